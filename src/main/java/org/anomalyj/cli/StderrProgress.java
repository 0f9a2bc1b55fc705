package org.anomalyj.cli;

import java.io.PrintStream;
import org.anomalyj.Progress;

/** Progress lines on stderr, at most about one per second per step (and always the last). */
final class StderrProgress implements Progress {
    private final PrintStream err;
    private String lastStep = "";
    private long lastPrint;
    private final long start = System.nanoTime();

    StderrProgress(PrintStream err) {
        this.err = err;
    }

    @Override
    public synchronized void update(String step, long done, long total) {
        long now = System.nanoTime();
        boolean last = total > 0 && done >= total;
        if (!step.equals(lastStep) || last || now - lastPrint > 1_000_000_000L) {
            double seconds = (now - start) / 1e9;
            if (total > 0) {
                err.printf("%s: %d/%d (%d%%) [%.0f s]%n", step, done, total, 100 * done / total, seconds);
            } else {
                err.printf("%s: %d [%.0f s]%n", step, done, seconds);
            }
            lastStep = step;
            lastPrint = now;
        }
    }
}
