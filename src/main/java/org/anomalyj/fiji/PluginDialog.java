package org.anomalyj.fiji;

import ij.Macro;
import ij.gui.GenericDialog;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.anomalyj.AnomalyJException;

/**
 * The options dialog of an IJ1 entry point. With a display it is ImageJ's {@link GenericDialog}
 * (macro recorder, {@code Macro.getOptions()} filling it without showing it). In a headless JVM
 * (plain ImageJ 1.x {@code -batch} with {@code -Djava.awt.headless=true}, where a GenericDialog
 * cannot even be created) the same fields are read straight from the macro options with ImageJ's
 * own parser, so {@code run("Detect Anomalies", "model=[...] ...")} behaves the same everywhere.
 *
 * <p>The macro key of a field is its label in lower case (labels are single words with
 * underscores, shown with spaces in the dialog), as ImageJ derives it.
 */
final class PluginDialog {
    private enum Kind { STRING, FILE, FOLDER, NUMBER, SLIDER, CHOICE, CHECKBOX }

    private static final class Field {
        final Kind kind;
        final String label;
        final String value;
        final String[] choices;
        final int digits;
        final String units;

        Field(Kind kind, String label, String value, String[] choices, int digits, String units) {
            this.kind = kind;
            this.label = label;
            this.value = value;
            this.choices = choices;
            this.digits = digits;
            this.units = units;
        }
    }

    private final String title;
    private final List<Object> items = new ArrayList<>(); // Field or String (a message)
    private GenericDialog gd;
    private final List<String> values = new ArrayList<>();
    private int next;

    PluginDialog(String title) {
        this.title = title;
    }

    void addString(String label, String value) {
        items.add(new Field(Kind.STRING, label, value, null, 0, null));
    }

    void addFile(String label, String value) {
        items.add(new Field(Kind.FILE, label, value, null, 0, null));
    }

    void addFolder(String label, String value) {
        items.add(new Field(Kind.FOLDER, label, value, null, 0, null));
    }

    void addNumber(String label, double value, int digits, String units) {
        items.add(new Field(Kind.NUMBER, label, format(value, digits), null, digits, units));
    }

    /** A number with a slider between {@code min} and {@code max} (a plain number headless). */
    void addSlider(String label, double min, double max, double value) {
        items.add(new Field(Kind.SLIDER, label, format(value, 0), new String[] {format(min, 0), format(max, 0)}, 0, null));
    }

    void addChoice(String label, String[] choices, String value) {
        items.add(new Field(Kind.CHOICE, label, value, choices, 0, null));
    }

    void addCheckbox(String label, boolean value) {
        items.add(new Field(Kind.CHECKBOX, label, Boolean.toString(value), null, 0, null));
    }

    void addMessage(String text) {
        items.add(text);
    }

    private static String format(double v, int digits) {
        return digits == 0 ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** True when no window can be created at all (not merely batch mode). */
    static boolean headlessJvm() {
        return GraphicsEnvironment.isHeadless();
    }

    /** @return false when the user cancelled */
    boolean show() {
        if (headlessJvm()) {
            readMacroOptions();
            return true;
        }
        gd = new GenericDialog(title);
        for (Object item : items) {
            if (item instanceof String) {
                gd.addMessage((String) item);
                continue;
            }
            Field f = (Field) item;
            switch (f.kind) {
                case STRING:
                    gd.addStringField(f.label, f.value, 30);
                    break;
                case FILE:
                    gd.addFileField(f.label, f.value, 40);
                    break;
                case FOLDER:
                    gd.addDirectoryField(f.label, f.value, 40);
                    break;
                case NUMBER:
                    gd.addNumericField(f.label, Double.parseDouble(f.value), f.digits, 8, f.units);
                    break;
                case SLIDER:
                    gd.addSlider(f.label, Double.parseDouble(f.choices[0]), Double.parseDouble(f.choices[1]),
                            Double.parseDouble(f.value));
                    break;
                case CHOICE:
                    gd.addChoice(f.label, f.choices, f.value);
                    break;
                default:
                    gd.addCheckbox(f.label, Boolean.parseBoolean(f.value));
            }
        }
        gd.showDialog();
        if (gd.wasCanceled()) {
            return false;
        }
        for (Object item : items) {
            if (item instanceof Field) {
                Field f = (Field) item;
                switch (f.kind) {
                    case NUMBER:
                    case SLIDER:
                        values.add(Double.toString(gd.getNextNumber()));
                        break;
                    case CHOICE:
                        values.add(gd.getNextChoice());
                        break;
                    case CHECKBOX:
                        values.add(Boolean.toString(gd.getNextBoolean()));
                        break;
                    default:
                        values.add(gd.getNextString());
                }
            }
        }
        return true;
    }

    private void readMacroOptions() {
        String options = Macro.getOptions();
        if (options == null) {
            throw new AnomalyJException(title + " has no window to ask for its options here (headless); "
                    + "run it from a macro with its options, e.g. run(\"" + title + "\", \"model=[/path/model.zip]\").");
        }
        for (Object item : items) {
            if (!(item instanceof Field)) {
                continue;
            }
            Field f = (Field) item;
            String key = f.label.toLowerCase(Locale.ROOT);
            if (f.kind == Kind.CHECKBOX) {
                values.add(Boolean.toString((" " + options).contains(" " + key + " ")));
                continue;
            }
            String v = Macro.getValue(options, key, f.value);
            if (f.kind == Kind.CHOICE && !java.util.Arrays.asList(f.choices).contains(v)) {
                throw new AnomalyJException(title + ": '" + v + "' is not a choice for " + key + "=; use one of "
                        + String.join(", ", f.choices) + ".");
            }
            values.add(v);
        }
    }

    String nextString() {
        return values.get(next++);
    }

    String nextChoice() {
        return values.get(next++);
    }

    boolean nextBoolean() {
        return Boolean.parseBoolean(values.get(next++));
    }

    double nextNumber() {
        String v = values.get(next++).trim();
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new AnomalyJException(title + ": '" + v + "' is not a number; give a number in the macro options.");
        }
    }
}
