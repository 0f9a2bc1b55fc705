package org.anomalyj.fiji;

import ij.Macro;
import ij.Prefs;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Small helpers shared by the IJ1 dialogs. */
final class Dialogs {
    private static final String PREFIX = "anomalyj.";

    private Dialogs() {
    }

    /** True when a macro passes options (the dialog is then filled from them, not shown). */
    static boolean fromMacro() {
        return Macro.getOptions() != null;
    }

    /**
     * The remembered value of a field for interactive use. Macros get {@code fallback}, so that a
     * recorded macro does the same on every machine whatever was typed last in a dialog.
     */
    static String remembered(String key, String fallback) {
        return fromMacro() ? fallback : Prefs.get(PREFIX + key, fallback);
    }

    static void remember(String key, String value) {
        Prefs.set(PREFIX + key, value);
    }

    /** A path field's value, or null when left blank. */
    static Path path(String text) {
        String t = text == null ? "" : text.trim();
        return t.isEmpty() ? null : Paths.get(t);
    }

    /** "auto" or blank: NaN (use the calibrated value); otherwise the number. */
    static double numberOrAuto(String text, String what) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("auto")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new org.anomalyj.AnomalyJException("The " + what + " '" + t + "' is not a number; give a number or 'auto'.");
        }
    }
}
