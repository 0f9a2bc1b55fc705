package org.anomalyj.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
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
        GenericDialog gd = new GenericDialog(TITLE);
        Dialogs.addPath(gd, "Model", Dialogs.remembered("model", ""), false);
        gd.addStringField("Threshold", "auto", 10);
        gd.addToSameRow();
        gd.addMessage("raw image score, or auto (calibrated)");
        gd.addSlider("Opacity", 0, 100, 40);
        gd.addNumericField("Min_area", 1, 0, 6, "pixels");
        gd.addCheckbox("Anomaly_map", false);
        gd.addCheckbox("Mask", false);
        gd.addMessage("Batch mode (leave blank to use the current image" + (imp == null ? "; no image is open" : ": " + imp.getTitle()) + "):");
        Dialogs.addPath(gd, "Folder", "", true);
        Dialogs.addPath(gd, "Output", "", true);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        DetectOptions o = new DetectOptions();
        o.model = Dialogs.path(gd.getNextString());
        o.threshold = Dialogs.numberOrAuto(gd.getNextString(), "threshold");
        o.opacity = gd.getNextNumber() / 100.0;
        o.minArea = (int) Math.max(1, gd.getNextNumber());
        o.showMap = gd.getNextBoolean();
        o.showMask = gd.getNextBoolean();
        Path folder = Dialogs.path(gd.getNextString());
        Path output = Dialogs.path(gd.getNextString());
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
