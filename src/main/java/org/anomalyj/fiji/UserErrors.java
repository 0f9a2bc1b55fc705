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
 * message is in the log and nothing after the failed command runs). ImageJ's {@code -batch} exits
 * with 0 whatever a macro did; for scripts that need a failing exit code, start Java with
 * {@code -Danomalyj.exitOnError=true} and a user error ends the JVM with exit code 1 after logging
 * (only in a headless JVM, never in a GUI session).
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

    /** System property that turns a user error in a headless JVM into exit code 1. */
    public static final String EXIT_ON_ERROR = "anomalyj.exitOnError";

    private static void exitIfAsked() {
        if (GraphicsEnvironment.isHeadless() && Boolean.getBoolean(EXIT_ON_ERROR)) {
            System.out.flush();
            System.exit(1);
        }
    }

    private static void abortMacro() {
        exitIfAsked();
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
