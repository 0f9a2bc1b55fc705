package org.anomalyj.cli;

import java.util.ArrayList;
import java.util.List;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.tiling.TileScore;
import org.anomalyj.tiling.Tiling;
import org.anomalyj.tiling.TilingMode;
import org.anomalyj.tiling.TilingSetup;
import picocli.CommandLine.Option;

/** Options shared by {@code train} and {@code evaluate} (when it trains). */
final class TrainingOptionsMixin {
    @Option(names = "--method", defaultValue = "patchcore", description = "patchcore, padim, stfpm (student-teacher distillation, trained; needs --backbone FILE.onnx and the lib/ jars),"
            + " or dcam (STFPM's student trained with channel attention, spatial KL and cosine losses; same inference) (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--backbone", defaultValue = "builtin",
            description = "builtin (weight-free filter bank), a path to an .onnx file with its .json sidecar, "
                    + "or a backbone name found in $ANOMALYJ_BACKBONES, ~/.anomalyj/backbones or ./backbones (default: ${DEFAULT-VALUE}).")
    String backbone;

    @Option(names = "--layers", split = ",", description = "Backbone outputs to use, e.g. stage2,stage3 (default: per method and backbone).")
    List<String> layers = new ArrayList<>();

    @Option(names = "--size", defaultValue = "256",
            description = "Input size in pixels: images are resized to size x size, then tiled if --tiling says so; "
                    + "WxH (e.g. 384x896) keeps tall or wide images' aspect (tiled models); "
                    + "native keeps every image at its own size (needs --tiling st or ens) (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--blur-sigma", defaultValue = "4",
            description = "Gaussian blur of the anomaly map, in pixels of the model input (or of a tile); 0 = none."
                    + " Scale it with the input: 8 at 512 px smooths the same share of the image as 4 at 256 (default: ${DEFAULT-VALUE}).")
    double blurSigma;

    @Option(names = "--tiling", defaultValue = "sm",
            description = "sm: one model on the whole resized image; st: one model trained on all tiles stacked; "
                    + "ens: tiled ensemble, one model per tile location (default: ${DEFAULT-VALUE}).")
    String tiling;

    @Option(names = "--tile", defaultValue = "256", description = "Tile size in pixels for st/ens (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--stride", description = "Step between tiles for st/ens; less than --tile makes tiles overlap (default: the tile size).")
    Integer stride;

    @Option(names = "--seam-band", defaultValue = "0.1",
            description = "Seams between tiles are smoothed within this fraction of the tile width on each side; 0 = off (default: ${DEFAULT-VALUE}).")
    double seamBand;

    @Option(names = "--tile-score", defaultValue = "mean",
            description = "Image score of a tiled model: mean or max of the tile scores (default: ${DEFAULT-VALUE}).")
    String tileScore;

    @Option(names = "--tile-standardize",
            description = "ens: before merging, map each tile location's anomaly map and score to standard deviations above"
                    + " that location's own held-out good images, so tile models with different distance scales agree.")
    boolean tileStandardize;

    @Option(names = "--tile-jobs", defaultValue = "1",
            description = "ens: tile models fitted at the same time; each holds one tile location's features, so memory grows"
                    + " with it; 1 = one after another, the memory of a single tile model (default: ${DEFAULT-VALUE}).")
    int tileJobs;

    @Option(names = "--max-train", defaultValue = "0",
            description = "Train on at most this many good images, a seeded random subset; 0 = all (default: ${DEFAULT-VALUE}).")
    int maxTrain;

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

    @Option(names = "--padim-rank", defaultValue = "0",
            description = "PaDiM: principal axes kept per position, plus each channel's residual variance:"
                    + " about positions x d x rank floats instead of positions x d x d, a faster head (48: a tenth of the memory);"
                    + " 0 = full covariances, as anomalib (default: ${DEFAULT-VALUE}).")
    int padimRank;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random projection, channel choice and hold-out split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--holdout", defaultValue = "0.1", description = "Fraction of good images held out for calibration (default: ${DEFAULT-VALUE}).")
    double holdout;

    @Option(names = "--unified-coreset", defaultValue = "per-category",
            description = "Unified PatchCore: per-category = each category keeps the --coreset share of its own patches in the"
                    + " one joined bank (bank and selection time = the separate models' together); union = one coreset over all"
                    + " categories' patches (small categories get fewer entries) (default: ${DEFAULT-VALUE}).")
    String unifiedCoreset;

    @Option(names = "--epochs", defaultValue = "100",
            description = "STFPM/DCAM: most training epochs; early stopping usually ends sooner (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "8", description = "STFPM/DCAM: images per SGD step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.4", description = "STFPM/DCAM: SGD learning rate (default: ${DEFAULT-VALUE}, as OTX/anomalib).")
    double lr;

    @Option(names = "--patience", defaultValue = "10",
            description = "STFPM/DCAM: stop after this many epochs without a lower validation loss; 0 = never (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--checkpoint",
            description = "STFPM/DCAM: file written after every epoch; when it exists, training resumes from it (default: none).")
    String checkpoint;

    @Option(names = "--kl-weight", defaultValue = "1",
            description = "DCAM: weight of the attention-weighted spatial KL divergence (default: ${DEFAULT-VALUE}).")
    double klWeight;

    @Option(names = "--cos-weight", defaultValue = "1",
            description = "DCAM: weight of the channel-wise cosine distance (STFPM's loss) (default: ${DEFAULT-VALUE}).")
    double cosWeight;

    @Option(names = "--kl-temperature", defaultValue = "1",
            description = "DCAM: temperature of the per-channel softmax over positions (default: ${DEFAULT-VALUE}).")
    double klTemperature;

    @Option(names = "--attention-floor", defaultValue = "0.5",
            description = "DCAM: added to the channel attention before its weights are normalised to mean 1; 0.5 lets one"
                    + " channel weigh at most 3x another (default: ${DEFAULT-VALUE}).")
    double attentionFloor;

    @Option(names = "--unified-coreset-ratio", defaultValue = "0",
            description = "Unified PatchCore: coreset ratio of the unified model (per category with per-category), 0 = --coreset;"
                    + " with evaluate --unified the separate models keep --coreset (default: ${DEFAULT-VALUE}).")
    double unifiedCoresetRatio;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads, 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    TrainOptions toOptions() {
        TrainOptions o = new TrainOptions();
        o.method = method;
        o.backbone = backbone;
        o.layers = layers;
        int[] geometry = TilingSetup.parseGeometry(size);
        o.size = geometry[0];
        o.height = geometry[1];
        o.tiling = tilingOrSingle();
        o.blurSigma = blurSigma;
        o.maxTrainImages = maxTrain;
        o.tileJobs = tileJobs;
        o.tileStandardize = tileStandardize;
        o.coresetRatio = coreset;
        o.maxChannelsPerLayer = maxChannels;
        o.projectionDim = projectionDim;
        o.padimFeatures = padimFeatures;
        o.padimRank = padimRank;
        o.seed = seed;
        o.holdoutFraction = holdout;
        o.threads = threads;
        o.unifiedCoreset = unifiedCoreset;
        o.unifiedCoresetRatio = unifiedCoresetRatio;
        o.epochs = epochs;
        o.batchSize = batch;
        o.learningRate = lr;
        o.patience = patience;
        o.checkpoint = checkpoint;
        o.klWeight = klWeight;
        o.cosineWeight = cosWeight;
        o.klTemperature = klTemperature;
        o.attentionFloor = attentionFloor;
        return o.validate();
    }

    Tiling tilingOrSingle() {
        TilingMode mode = TilingMode.parse(tiling);
        if (mode == TilingMode.SM) {
            return Tiling.SINGLE;
        }
        return new Tiling(mode, tile, stride == null ? tile : stride, seamBand, TileScore.parse(tileScore));
    }
}
