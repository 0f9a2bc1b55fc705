package org.anomalyj.cli;

import java.util.ArrayList;
import java.util.List;
import org.anomalyj.api.TrainOptions;
import picocli.CommandLine.Option;

/** Options shared by {@code train} and {@code evaluate} (when it trains). */
final class TrainingOptionsMixin {
    @Option(names = "--method", defaultValue = "patchcore", description = "patchcore or padim (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--backbone", defaultValue = "builtin",
            description = "builtin (weight-free filter bank), a path to an .onnx file with its .json sidecar, "
                    + "or a backbone name found in $ANOMALYJ_BACKBONES, ~/.anomalyj/backbones or ./backbones (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--layers", split = ",", description = "Backbone outputs to use, e.g. stage2,stage3 (default: per method and backbone).")
    List<String> layers = new ArrayList<>();

    @Option(names = "--size", defaultValue = "256", description = "Input size in pixels, images are resized to size x size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--coreset", defaultValue = "0.01", description = "PatchCore: fraction of patches kept in the memory bank (default: ${DEFAULT-VALUE}).")
    double coreset;

    @Option(names = "--max-channels", defaultValue = "0",
            description = "PatchCore: channels kept per layer by average pooling over channels, 0 = all (default: ${DEFAULT-VALUE}).")
    int maxChannels;

    @Option(names = "--projection-dim", defaultValue = "0",
            description = "PatchCore: dimensions of the random projection the greedy coreset is computed on; "
                    + "0 = automatic: 128, or 64 above 400,000 training patches (default: ${DEFAULT-VALUE}).")
    int projectionDim;

    @Option(names = "--padim-features", defaultValue = "550",
            description = "PaDiM: number of randomly chosen channels, capped at the channels the layers have (default: ${DEFAULT-VALUE}).")
    int padimFeatures;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random projection, channel choice and hold-out split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--holdout", defaultValue = "0.1", description = "Fraction of good images held out for calibration (default: ${DEFAULT-VALUE}).")
    double holdout;

    @Option(names = "--unified-coreset", defaultValue = "union",
            description = "Unified PatchCore: union = one coreset over all categories' patches, per-category = one per "
                    + "category at --coreset (bank and selection time = the separate models' together) (default: ${DEFAULT-VALUE}).")
    String unifiedCoreset;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads, 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    TrainOptions toOptions() {
        TrainOptions o = new TrainOptions();
        o.method = method;
        o.backbone = backbone;
        o.layers = layers;
        o.size = size;
        o.coresetRatio = coreset;
        o.maxChannelsPerLayer = maxChannels;
        o.projectionDim = projectionDim;
        o.padimFeatures = padimFeatures;
        o.seed = seed;
        o.holdoutFraction = holdout;
        o.threads = threads;
        o.unifiedCoreset = unifiedCoreset;
        return o.validate();
    }
}
