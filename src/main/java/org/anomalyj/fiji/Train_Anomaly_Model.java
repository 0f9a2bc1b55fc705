package org.anomalyj.fiji;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import java.util.Locale;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;

/**
 * Plugins &gt; Anomaly Detection &gt; Train Anomaly Model... (ImageJ 1.x entry point). Macro:
 * <pre>run("Train Anomaly Model...", "data=[/path/grain] method=patchcore backbone=builtin size=256 output=[/path/model.zip]");</pre>
 */
public class Train_Anomaly_Model implements PlugIn {
    static final String TITLE = "Train Anomaly Model";
    private static final String[] METHODS = {"patchcore", "padim"};

    @Override
    public void run(String arg) {
        UserErrors.run(TITLE, this::runWithDialog);
    }

    private void runWithDialog() {
        TrainOptions defaults = new TrainOptions();
        GenericDialog gd = new GenericDialog(TITLE);
        Dialogs.addPath(gd, "Data", Dialogs.remembered("data", ""), true);
        gd.addMessage("a category folder (MVTec layout: train/good) or a folder of good images");
        gd.addChoice("Method", METHODS, defaults.method);
        gd.addStringField("Backbone", defaults.backbone, 30);
        gd.addMessage("builtin, a .onnx file with its .json sidecar, or a backbone name");
        gd.addNumericField("Size", defaults.size, 0, 6, "pixels (multiple of 16)");
        gd.addNumericField("Coreset", defaults.coresetRatio, 3, 6, "PatchCore: fraction of patches kept");
        gd.addNumericField("Seed", defaults.seed, 0);
        gd.addNumericField("Threads", 0, 0, 4, "0 = all cores");
        Dialogs.addPath(gd, "Validation", "", true);
        gd.addMessage("optional: a category with defects in test/ for F1-optimal thresholds");
        Dialogs.addPath(gd, "Output", Dialogs.remembered("output", ""), false);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        Path data = Dialogs.path(gd.getNextString());
        TrainOptions o = new TrainOptions();
        o.method = gd.getNextChoice();
        o.backbone = gd.getNextString().trim();
        o.size = (int) gd.getNextNumber();
        o.coresetRatio = gd.getNextNumber();
        o.seed = (long) gd.getNextNumber();
        o.threads = (int) gd.getNextNumber();
        Path validation = Dialogs.path(gd.getNextString());
        Path output = Dialogs.path(gd.getNextString());
        if (data != null) {
            Dialogs.remember("data", data.toString());
        }
        if (output != null) {
            Dialogs.remember("output", output.toString());
        }
        IJProgress progress = new IJProgress(TITLE);
        try {
            ModelBundle b = TrainAction.train(data, output, o, validation, o.threads, progress);
            Dialogs.remember("model", output.toString());
            IJ.log(String.format(Locale.ROOT, "%s: wrote %s (%s, %s, %.1f s; image threshold %.4g, pixel threshold %.4g)",
                    TITLE, output, b.method(), b.backbone().name(), b.training().get("seconds").getAsDouble(),
                    b.calibration().imageThreshold(), b.calibration().pixelThreshold()));
        } finally {
            progress.done(TITLE + ": done");
        }
    }
}
