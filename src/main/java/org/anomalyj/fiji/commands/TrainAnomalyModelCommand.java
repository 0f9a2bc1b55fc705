package org.anomalyj.fiji.commands;

import java.io.File;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.fiji.IJProgress;
import org.anomalyj.fiji.TrainAction;
import org.anomalyj.fiji.Tilings;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Train Anomaly Model: writes a bundle; outputs its thresholds. No menu path (see the package comment). */
@Plugin(type = Command.class, name = "anomalyj.train", label = "Train Anomaly Model")
public class TrainAnomalyModelCommand implements Command {
    @Parameter(label = "Good images (category or plain folder)", style = "directory")
    public File data;

    @Parameter(label = "Unified: data is a root of categories, one model for all", required = false)
    public boolean unified = false;

    @Parameter(label = "Method", choices = {"patchcore", "padim", "stfpm", "dcam"})
    public String method = "patchcore";

    @Parameter(label = "Backbone (builtin, .onnx file or name)")
    public String backbone = "builtin";

    @Parameter(label = "Input size (multiple of 16; 0 = native, tiled models only)", min = "0", max = "16384", stepSize = "16")
    public int size = 256;

    @Parameter(label = "Tiling", choices = {"sm", "st", "ens"},
            description = "sm: one model on the resized image; st: one model on all tiles; ens: one model per tile location")
    public String tiling = "sm";

    @Parameter(label = "Tile size (st/ens)", min = "16", max = "4096")
    public int tile = 256;

    @Parameter(label = "Tile stride (st/ens; < tile = overlap)", min = "1", max = "4096")
    public int stride = 256;

    @Parameter(label = "Coreset ratio (PatchCore)", min = "0.0001", max = "1")
    public double coreset = 0.01;

    @Parameter(label = "Seed")
    public long seed = 42;

    @Parameter(label = "STFPM: epochs (at most)", min = "1", required = false)
    public int epochs = 100;

    @Parameter(label = "STFPM: batch size", min = "1", required = false)
    public int batch = 8;

    @Parameter(label = "STFPM: learning rate", required = false)
    public double learningRate = 0.4;

    @Parameter(label = "STFPM: patience (epochs; 0 = no early stopping)", min = "0", required = false)
    public int patience = 10;

    @Parameter(label = "Model bundle to write (.zip)", style = "save")
    public File output;

    @Parameter(type = ItemIO.OUTPUT)
    public double imageThreshold;

    @Parameter(type = ItemIO.OUTPUT)
    public double pixelThreshold;

    @Override
    public void run() {
        TrainOptions o = new TrainOptions();
        o.method = method;
        o.unified = unified;
        o.backbone = backbone;
        o.size = size;
        o.tiling = Tilings.of(tiling, tile, stride);
        o.coresetRatio = coreset;
        o.seed = seed;
        o.epochs = epochs;
        o.batchSize = batch;
        o.learningRate = learningRate;
        o.patience = patience;
        IJProgress progress = new IJProgress("Train Anomaly Model");
        try {
            org.anomalyj.api.ModelBundle b = TrainAction.train(data.toPath(), output.toPath(), o, null, 0, progress);
            imageThreshold = b.calibration().imageThreshold();
            pixelThreshold = b.calibration().pixelThreshold();
        } finally {
            progress.done("Train Anomaly Model: done");
        }
    }
}
