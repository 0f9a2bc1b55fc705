package org.anomalyj.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.anomalyj.AnomalyJException;
import org.anomalyj.tiling.Tiling;

/** What to train: method, backbone, input size and the method's knobs. Mutable builder-style bean. */
public final class TrainOptions {
    public String method = "patchcore";
    /** "builtin", a path to an .onnx file (with its .json sidecar), or a backbone name on the search path. */
    public String backbone = "builtin";
    /** Empty: the method's default layers for the backbone. */
    public List<String> layers = new ArrayList<>();
    /** Images are resized to size x size; 0 = native: tiled at their own size (needs tiling st or ens). */
    public int size = 256;
    /**
     * Height of a non-square input (then {@link #size} is the width); 0 = square. Only tiled models take
     * one: tall or wide images (KolektorSDD's 500 x 1250) keep their aspect and are cut into square tiles.
     */
    public int height = 0;
    /** SM (default), ST or ENS, with tile size, stride, seam band and tile-score rule. */
    public Tiling tiling = Tiling.SINGLE;
    /** Tiled ensemble: standardise each tile location's map and score by its held-out statistics before merging. */
    public boolean tileStandardize = false;
    /** Tiled ensemble: tile locations fitted at the same time (each holds its own features); 1 = one after another. */
    public int tileJobs = 1;
    /** Use at most this many good images (a seeded random subset), 0 = all. */
    public int maxTrainImages = 0;
    public double coresetRatio = 0.01;
    /**
     * Unified PatchCore: coreset ratio of the unified model (per category with the per-category budget);
     * 0 = {@link #coresetRatio}. Lets {@code evaluate --unified} compare a smaller unified bank with
     * separate models at {@link #coresetRatio}.
     */
    public double unifiedCoresetRatio = 0;
    /** PaDiM: randomly chosen channels (capped at the embedding's channel count). */
    public int padimFeatures = 550;
    /** PaDiM: principal axes kept per position (plus per-channel residual variances); 0 = full covariances. */
    public int padimRank = 0;
    /** PatchCore: channels kept per layer by adaptive average pooling (0 = all). */
    public int maxChannelsPerLayer = 0;
    /** PatchCore: dimensions of the random projection the greedy coreset runs on; 0 = automatic (128, or 64 above 400k patches). */
    public int projectionDim = 0;
    public long seed = 42;
    /** ONNX Runtime intra-op threads; 0 = all cores. */
    public int threads = 0;
    /** Part of the good training images held out for calibration. */
    public double holdoutFraction = 0.1;
    public double blurSigma = 4.0;
    /** Train one model on the good images of every category under an MVTec-layout root ({@link UnifiedTrainer}). */
    public boolean unified = false;
    /**
     * Unified PatchCore: {@link #CORESET_PER_CATEGORY} (default) gives every category the budget its own
     * model would have (a coreset per category at the same ratio, joined into one bank searched without a
     * category label: bank = the separate banks together, selection time = theirs together);
     * {@link #CORESET_UNION} selects one greedy coreset over all categories' patches, which spends the
     * budget where the union varies most and starves small categories (docs/multiclass.md).
     */
    public String unifiedCoreset = CORESET_PER_CATEGORY;
    public static final String CORESET_UNION = "union";
    public static final String CORESET_PER_CATEGORY = "per-category";
    /** STFPM: most training epochs (early stopping usually ends sooner). */
    public int epochs = 100;
    /** STFPM: images per SGD step. */
    public int batchSize = 8;
    /** STFPM: SGD learning rate (OTX/anomalib: 0.4). */
    public double learningRate = 0.4;
    /** STFPM: epochs without a lower validation loss before stopping; 0 = never stop early. */
    public int patience = 10;
    /** STFPM: checkpoint file written after every epoch and resumed from when it exists; null = none. */
    public String checkpoint = null;
    /** DCAM: weight of the attention-weighted spatial KL divergence (docs/training.md). */
    public double klWeight = 1;
    /** DCAM: weight of the channel-wise cosine distance. */
    public double cosineWeight = 1;
    /** DCAM: temperature of the per-channel softmax over positions. */
    public double klTemperature = 1;
    /** DCAM: floor added to the channel attention before its weights are normalised (0.5: at most 3x between channels). */
    public double attentionFloor = 0.5;

    public TrainOptions validate() {
        method = method.toLowerCase(Locale.ROOT);
        if (!method.equals("patchcore") && !method.equals("padim") && !method.equals("stfpm") && !method.equals("dcam")) {
            throw new AnomalyJException("Unknown method '" + method + "'; use patchcore, padim, stfpm or dcam.");
        }
        if (size == 0) {
            if (!tiling.tiled()) {
                throw new AnomalyJException("--size native needs a tiled model: add --tiling st or --tiling ens with --tile and --stride.");
            }
        } else if (size < 32 || size > 16384 || size % 16 != 0) {
            throw new AnomalyJException("Input size " + size + " is not usable; give a multiple of 16 between 32 and 16384 (default 256), or native.");
        } else if (height != 0) {
            if (!tiling.tiled()) {
                throw new AnomalyJException("A non-square --size " + size + "x" + height + " needs a tiled model (the single"
                        + " model is square): add --tiling st or --tiling ens with --tile and --stride, or give one size.");
            }
            if (height < 32 || height > 16384 || height % 16 != 0) {
                throw new AnomalyJException("Input height " + height + " is not usable; give a multiple of 16 between 32 and 16384.");
            }
            tiling.grid(size, height);
        } else if (tiling.tiled()) {
            tiling.grid(size, size);
        }
        if (tileJobs < 1) {
            throw new AnomalyJException("--tile-jobs must be at least 1 (1 = fit the tile models one after another).");
        }
        if (maxTrainImages < 0) {
            throw new AnomalyJException("--max-train must be 0 (all images) or a positive number of images.");
        }
        if (!(coresetRatio > 0 && coresetRatio <= 1)) {
            throw new AnomalyJException("Coreset ratio " + coresetRatio + " must be in (0, 1]; 0.01 keeps 1% of the patches.");
        }
        if (projectionDim < 0) {
            throw new AnomalyJException("The coreset projection dimension must be positive, or 0 for automatic (the default).");
        }
        if (padimFeatures < 1) {
            throw new AnomalyJException("PaDiM needs at least 1 feature (default 550).");
        }
        if (padimRank < 0) {
            throw new AnomalyJException("The PaDiM covariance rank must be positive, or 0 for full covariances (the default).");
        }
        if (!(unifiedCoresetRatio >= 0 && unifiedCoresetRatio <= 1)) {
            throw new AnomalyJException("Unified coreset ratio " + unifiedCoresetRatio + " must be in (0, 1], or 0 for --coreset.");
        }
        if (!(blurSigma >= 0 && blurSigma <= 64)) {
            throw new AnomalyJException("Blur sigma " + blurSigma + " must be between 0 (no blur) and 64 pixels; 4 is the default.");
        }
        if (!(holdoutFraction >= 0 && holdoutFraction < 1)) {
            throw new AnomalyJException("Held-out fraction " + holdoutFraction + " must be in [0, 1).");
        }
        unifiedCoreset = unifiedCoreset.toLowerCase(Locale.ROOT);
        if (!unifiedCoreset.equals(CORESET_UNION) && !unifiedCoreset.equals(CORESET_PER_CATEGORY)) {
            throw new AnomalyJException("Unknown unified coreset '" + unifiedCoreset + "'; use " + CORESET_UNION
                    + " or " + CORESET_PER_CATEGORY + ".");
        }
        return this;
    }
}
