package org.anomalyj.fiji;

import ij.IJ;
import org.anomalyj.Progress;

/**
 * Progress on ImageJ's status line and progress bar; Esc (IJ.escapePressed) cancels. In headless
 * runs ImageJ turns both calls into no-ops or log lines, so this is safe everywhere.
 */
public final class IJProgress implements Progress {
    private final String title;
    private boolean cancelled;

    public IJProgress(String title) {
        this.title = title;
        IJ.resetEscape();
    }

    @Override
    public void update(String step, long done, long total) {
        IJ.showStatus(title + ": " + step + (total > 0 ? " " + done + "/" + total : "") + " (Esc cancels)");
        if (total > 0) {
            IJ.showProgress((double) done / total);
        }
    }

    @Override
    public boolean isCancelled() {
        if (!cancelled && IJ.escapePressed()) {
            cancelled = true;
        }
        return cancelled;
    }

    /** Clears the progress bar and status line at the end of the work, also after an error. */
    public void done(String status) {
        IJ.showProgress(1.0);
        IJ.showStatus(status);
    }
}
