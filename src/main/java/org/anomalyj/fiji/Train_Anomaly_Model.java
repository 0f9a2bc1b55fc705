package org.anomalyj.fiji;

import ij.IJ;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import java.util.Locale;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;

/**
 * Plugins &gt; Anomaly Detection &gt; Train Anomaly Model... (ImageJ 1.x entry point). Macro:
 * <pre>run("Train Anomaly Model...", "data=[/path/grain] method=patchcore backbone=builtin size=256 output=[/path/model.zip]");</pre>
 * A tiled ensemble of nine 256-pixel tiles on a 512-pixel input: {@code size=512 tiling=ens tile=256 stride=128}.
 * One model for every category of a root: add {@code unified} (a checkbox key) and give the root as {@code data}.
 * PaDiM with 48 principal axes per position instead of full covariances: {@code method=padim covariance=48}.
 * A student-teacher model: {@code method=stfpm backbone=[/path/teacher.onnx] epochs=30 batch=8 learning=0.4 patience=10
 * checkpoint=[/path/run.ckpt]} (needs the training engine's jars, see the README).
 */
public class Train_Anomaly_Model implements PlugIn {
    static final String TITLE = "Train Anomaly Model";
    private static final String[] METHODS = {"patchcore", "padim", "stfpm", "dcam"};
    private static final String[] TILINGS = {"sm", "st", "ens"};

    @Override
    public void run(String arg) {
        UserErrors.run(TITLE, this::runWithDialog);
    }

    private void runWithDialog() {
        TrainOptions defaults = new TrainOptions();
        PluginDialog gd = new PluginDialog(TITLE);
        gd.addFolder("Data", Dialogs.remembered("data", ""));
        gd.addMessage("a category folder (MVTec layout: train/good) or a folder of good images");
        gd.addCheckbox("Unified", false);
        gd.addMessage("unified: Data is a root of categories; one model learns all of them");
        gd.addChoice("Method", METHODS, defaults.method);
        gd.addString("Backbone", defaults.backbone);
        gd.addMessage("builtin, a .onnx file with its .json sidecar, or a backbone name");
        gd.addNumber("Size", defaults.size, 0, "pixels (multiple of 16; 0 = native, tiled models only)");
        gd.addNumber("Height", 0, 0, "pixels; 0 = square; else Size is the width (tiled models: tall or wide images keep their aspect)");
        gd.addChoice("Tiling", TILINGS, "sm");
        gd.addMessage("sm: one model on the resized image; st: one model on all tiles; ens: one model per tile location");
        gd.addNumber("Tile", 256, 0, "pixels (st/ens)");
        gd.addNumber("Stride", 256, 0, "pixels between tiles (st/ens; less than the tile = overlap)");
        gd.addNumber("Coreset", defaults.coresetRatio, 3, "PatchCore: fraction of patches kept");
        gd.addNumber("Covariance rank", defaults.padimRank, 0,
                "PaDiM: principal axes per position; 0 = full covariances (48: a tenth of the memory, faster)");
        gd.addNumber("Seed", defaults.seed, 0, "");
        gd.addNumber("Threads", 0, 0, "0 = all cores");
        gd.addMessage("STFPM, DCAM (a student network trained to match the teacher = Backbone, a .onnx file):");
        gd.addNumber("Epochs", defaults.epochs, 0, "at most (early stopping usually ends sooner)");
        gd.addNumber("Batch", defaults.batchSize, 0, "images per SGD step");
        gd.addNumber("Learning rate", defaults.learningRate, 3, "SGD");
        gd.addNumber("Patience", defaults.patience, 0, "epochs without a lower validation loss before stopping; 0 = never");
        gd.addFile("Checkpoint", "");
        gd.addMessage("optional: written after every epoch; training the same model again resumes from it");
        gd.addFolder("Validation", "");
        gd.addMessage("optional: a category with defects in test/ for F1-optimal thresholds");
        gd.addFile("Output", Dialogs.remembered("output", ""));
        if (!gd.show()) {
            return;
        }
        Path data = Dialogs.path(gd.nextString());
        TrainOptions o = new TrainOptions();
        o.unified = gd.nextBoolean();
        o.method = gd.nextChoice();
        o.backbone = gd.nextString().trim();
        o.size = (int) gd.nextNumber();
        o.height = (int) gd.nextNumber();
        String tiling = gd.nextChoice();
        int tile = (int) gd.nextNumber();
        int stride = (int) gd.nextNumber();
        o.tiling = Tilings.of(tiling, tile, stride);
        o.coresetRatio = gd.nextNumber();
        o.padimRank = (int) gd.nextNumber();
        o.seed = (long) gd.nextNumber();
        o.threads = (int) gd.nextNumber();
        o.epochs = (int) gd.nextNumber();
        o.batchSize = (int) gd.nextNumber();
        o.learningRate = gd.nextNumber();
        o.patience = (int) gd.nextNumber();
        String checkpoint = gd.nextString().trim();
        o.checkpoint = checkpoint.isEmpty() ? null : checkpoint;
        Path validation = Dialogs.path(gd.nextString());
        Path output = Dialogs.path(gd.nextString());
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
