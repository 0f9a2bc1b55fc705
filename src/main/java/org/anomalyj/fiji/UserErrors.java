package org.anomalyj.fiji;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;
import java.awt.GraphicsEnvironment;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;

/**
 * How the IJ1 entry points report failures: a user error (an {@link AnomalyJException}, whose
 * message is one sentence naming the file and the fix) becomes an error dialog in the GUI and a
 * log line in batch/headless mode, never a stack trace. When a macro is running it is aborted
 * afterwards, so a script never carries on with missing results (in {@code -batch} runs the
 * message is in the log and nothing after the failed command runs).
 */
public final class UserErrors {
    private UserErrors() {
    }

    /** True when no window may be opened: headless JVM or a macro in batch mode. */
    public static boolean noWindows() {
        return GraphicsEnvironment.isHeadless() || Interpreter.isBatchMode();
    }

    /** Runs {@code action}, reporting a user error or a cancel as described in the class comment. */
    public static void run(String title, Runnable action) {
        try {
            action.run();
        } catch (Progress.CancelledException e) {
            IJ.showStatus(title + ": cancelled");
            IJ.log(title + ": cancelled; nothing was written for the unfinished work.");
            abortMacro();
        } catch (AnomalyJException e) {
            report(title, e.getMessage());
            abortMacro();
        }
    }

    /** Shows one user-facing sentence: dialog with a GUI, log line without. */
    public static void report(String title, String message) {
        IJ.showStatus(title + " failed");
        if (noWindows()) {
            IJ.log(title + " failed: " + message);
        } else {
            IJ.error(title, message);
        }
    }

    private static void abortMacro() {
        Interpreter macro = Interpreter.getInstance();
        if (macro != null) {
            // Stops the running macro after this command returns (silently: the message was
            // shown or logged above). Macro.abort() alone only stops macros run in their own
            // "Macro$" thread, not e.g. -batch runs.
            macro.abortMacro();
            Macro.abort();
        }
    }
}
