package org.anomalyj.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import java.nio.file.Path;

/**
 * Plugins &gt; Anomaly Detection &gt; Detect Anomalies (ImageJ 1.x entry point). Macro:
 * <pre>run("Detect Anomalies", "model=[/path/model.zip] threshold=auto opacity=40 min_area=1 anomaly_map mask");</pre>
 * works on the current image (every slice of a stack); with {@code folder=[in] output=[out]} on
 * every image of a folder instead.
 */
public class Detect_Anomalies implements PlugIn {
    static final String TITLE = "Detect Anomalies";

    @Override
    public void run(String arg) {
        UserErrors.run(TITLE, this::runWithDialog);
    }

    private void runWithDialog() {
        ImagePlus imp = WindowManager.getCurrentImage();
        PluginDialog gd = new PluginDialog(TITLE);
        gd.addFile("Model", Dialogs.remembered("model", ""));
        gd.addString("Threshold", "auto");
        gd.addMessage("threshold: a raw image score, or auto (the calibrated one)");
        gd.addSlider("Opacity", 0, 100, 40);
        gd.addNumber("Min_area", 1, 0, "pixels");
        gd.addCheckbox("Anomaly_map", false);
        gd.addCheckbox("Mask", false);
        gd.addMessage("Batch mode (leave blank to use the current image" + (imp == null ? "; no image is open" : ": " + imp.getTitle()) + "):");
        gd.addFolder("Folder", "");
        gd.addFolder("Output", "");
        if (!gd.show()) {
            return;
        }
        DetectOptions o = new DetectOptions();
        o.model = Dialogs.path(gd.nextString());
        o.threshold = Dialogs.numberOrAuto(gd.nextString(), "threshold");
        o.opacity = gd.nextNumber() / 100.0;
        o.minArea = (int) Math.max(1, gd.nextNumber());
        o.showMap = gd.nextBoolean();
        o.showMask = gd.nextBoolean();
        Path folder = Dialogs.path(gd.nextString());
        Path output = Dialogs.path(gd.nextString());
        if (o.model != null) {
            Dialogs.remember("model", o.model.toString());
        }
        run(o, imp, folder, output);
    }

    /** The work behind the dialog; also what scripts can call directly. */
    public static void run(DetectOptions o, ImagePlus imp, Path folder, Path output) {
        ResultsTable table = ResultsTable.getResultsTable();
        IJProgress progress = new IJProgress(TITLE);
        try {
            if (folder != null) {
                int defective = new DetectAction(o).runFolder(folder, output, table, progress);
                IJ.log(TITLE + ": " + defective + " defective image(s) in " + folder + "; results in " + output);
            } else {
                DetectAction.Result r = new DetectAction(o).run(imp, table, progress);
                if (r.note != null) {
                    IJ.log(TITLE + ": " + r.note);
                }
                imp.updateAndDraw();
                if (r.map != null) {
                    r.map.show();
                }
                if (r.mask != null) {
                    r.mask.show();
                }
            }
        } finally {
            table.show("Results");
            progress.done(TITLE + ": done");
        }
    }
}
