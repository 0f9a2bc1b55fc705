package org.anomalyj.model.padim;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.anomalyj.AnomalyJException;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.io.ArrayStore;
import org.anomalyj.io.NpyArray;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.FeatureAggregator;
import org.anomalyj.model.PatchEmbedding;
import org.anomalyj.model.PatchScores;

/**
 * A fitted PaDiM model: per position the Mahalanobis distance (square root) of the selected
 * channels to that position's Gaussian. No image score of its own: the pipeline takes the maximum
 * of the smoothed map. Thread-safe.
 */
public final class PadimModel implements AnomalyModel {
    public static final String METHOD = "padim";
    static final String CHANNELS = "channel_index";
    static final String MEAN = "mean";

    private final PadimConfig config;
    private final JsonArray layers;
    private final int height;
    private final int width;
    private final int[] channels;
    private final float[] mean;
    /** The inverse covariances, full (packed) or low-rank. */
    private final Precisions precisions;
    private final int trainingImages;

    /** @param precisions the P inverse covariances */
    PadimModel(PadimConfig config, JsonArray layers, int height, int width, int[] channels, float[] mean,
            Precisions precisions, int trainingImages) {
        this.config = config;
        this.layers = layers;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.mean = mean;
        this.precisions = precisions;
        this.trainingImages = trainingImages;
    }

    @Override
    public String method() {
        return METHOD;
    }

    /** Selected channel indices (sorted); shared. */
    public int[] channels() {
        return channels;
    }

    /** Means {@code [P, d]}; shared. */
    public float[] mean() {
        return mean;
    }

    /**
     * Inverse covariances {@code [P, d, d]}, symmetric (a new array: the packed upper triangles
     * unpacked, or the low-rank form multiplied out).
     */
    public float[] inverseCovariance() {
        return precisions.dense();
    }

    /** Principal axes per position of a low-rank model, 0 for full covariances. */
    public int covarianceRank() {
        return precisions.rank();
    }

    /**
     * The selected channels of PaDiM's patch embedding of these layers ({@code [P, d]},
     * position-major). PaDiM's aggregation only copies values (nearest upsampling, no pooling), so
     * with sorted channels that include one of the first layer's (the first layer sets the grid),
     * the layers are first cut down to the selected channels and only those are aggregated: 550
     * of ResNet50v2's 1536 channels, a third of the work. Otherwise the whole embedding is
     * aggregated and then selected; both give the same values.
     */
    static PatchEmbedding embed(List<FeatureMap> features, int[] channels) {
        List<FeatureMap> selected = selectedLayers(features, channels);
        if (selected != null) {
            return FeatureAggregator.padim().aggregate(selected);
        }
        PatchEmbedding e = FeatureAggregator.padim().aggregate(features);
        return new PatchEmbedding(e.height(), e.width(), channels.length, select(e, channels));
    }

    /** The layers cut down to the selected channels, or null where {@link #embed} cannot use them. */
    private static List<FeatureMap> selectedLayers(List<FeatureMap> features, int[] channels) {
        for (int i = 1; i < channels.length; i++) {
            if (channels[i] <= channels[i - 1]) {
                return null;
            }
        }
        List<FeatureMap> out = new java.util.ArrayList<>(features.size());
        int base = 0;
        int next = 0;
        for (FeatureMap f : features) {
            int from = next;
            while (next < channels.length && channels[next] < base + f.channels()) {
                next++;
            }
            int count = next - from;
            if (count == 0 && out.isEmpty()) {
                return null; // the first layer would no longer set the grid
            }
            if (count > 0) {
                int plane = f.height() * f.width();
                float[] data = new float[count * plane];
                for (int i = 0; i < count; i++) {
                    System.arraycopy(f.data(), (channels[from + i] - base) * plane, data, i * plane, plane);
                }
                out.add(new FeatureMap(f.name(), f.stride(), count, f.height(), f.width(), data));
            }
            base += f.channels();
        }
        return next == channels.length ? out : null;
    }

    /** The embedding's selected channels, position-major {@code [P, d]}. */
    static float[] select(PatchEmbedding e, int[] channels) {
        int d = channels.length;
        float[] out = new float[e.positions() * d];
        float[] x = e.data();
        int dim = e.dim();
        for (int p = 0; p < e.positions(); p++) {
            for (int i = 0; i < d; i++) {
                out[p * d + i] = x[p * dim + channels[i]];
            }
        }
        return out;
    }

    @Override
    public PatchScores score(List<FeatureMap> features) {
        FeatureAggregator.checkLayers(layers, features, METHOD);
        PatchEmbedding e = embed(features, channels);
        if (e.height() != height || e.width() != width) {
            throw new AnomalyJException("The PaDiM model was fitted on " + width + "x" + height + " feature maps but got "
                    + e.width() + "x" + e.height() + "; use the input size the model was trained with.");
        }
        float[] x = e.data();
        float[] scores = new float[height * width];
        int chunk = 64;
        IntStream.range(0, (scores.length + chunk - 1) / chunk).parallel().forEach(b ->
                precisions.distances(x, mean, b * chunk, Math.min(scores.length, (b + 1) * chunk), scores));
        return new PatchScores(width, height, scores, OptionalDouble.empty());
    }

    /** Low-rank covariances came with bundle format 3; full ones read in every version. */
    @Override
    public int formatVersion() {
        return precisions.rank() > 0 ? 3 : 1;
    }

    @Override
    public JsonObject parameters() {
        JsonObject o = new JsonObject();
        o.addProperty("method", METHOD);
        o.add("config", config.toJson());
        o.add("aggregation", FeatureAggregator.padim().parameters());
        o.add("layers", layers.deepCopy());
        o.addProperty("height", height);
        o.addProperty("width", width);
        o.addProperty("num_features", channels.length);
        o.addProperty("covariance_rank", precisions.rank());
        o.addProperty("training_images", trainingImages);
        return o;
    }

    @Override
    public void writeArrays(ArrayStore store) {
        int d = channels.length;
        store.put(CHANNELS, NpyArray.ofInts(channels, d));
        store.put(MEAN, NpyArray.ofFloats(mean, height * width, d));
        precisions.writeArrays(store);
    }

    /**
     * Rebuilds a model from its {@link #parameters()} and arrays.
     * @throws AnomalyJException when parameters or arrays are missing or their shapes disagree
     */
    public static PadimModel read(JsonObject parameters, ArrayStore store) {
        PadimConfig config;
        JsonArray layers;
        int height;
        int width;
        int d;
        int images;
        int rank;
        try {
            config = PadimConfig.fromJson(parameters.getAsJsonObject("config"));
            layers = parameters.getAsJsonArray("layers");
            height = parameters.get("height").getAsInt();
            width = parameters.get("width").getAsInt();
            d = parameters.get("num_features").getAsInt();
            images = parameters.has("training_images") ? parameters.get("training_images").getAsInt() : 0;
            rank = parameters.has("covariance_rank") ? parameters.get("covariance_rank").getAsInt() : 0;
        } catch (AnomalyJException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AnomalyJException("The PaDiM parameters in model.json are incomplete or malformed (" + e
                    + "); retrain the model or restore model.json.", e);
        }
        if (layers == null || height < 1 || width < 1 || d < 1 || rank < 0 || rank > d) {
            throw new AnomalyJException("The PaDiM parameters in model.json lack layers, height, width or "
                    + "num_features, or its covariance_rank is not within 0..num_features; retrain the model or "
                    + "restore model.json.");
        }
        int p = height * width;
        NpyArray ch = expect(store.get(CHANNELS), CHANNELS, false, d);
        NpyArray mean = expect(store.get(MEAN), MEAN, true, p, d);
        Precisions precisions;
        if (rank == 0) {
            NpyArray inv = expect(store.get(FullPrecisions.INV), FullPrecisions.INV, true, p, d, d);
            // the bundle holds the full matrices; only their upper triangles are kept
            precisions = new FullPrecisions(PackedSymmetric.ofUpper(inv.floats(), p, d));
        } else {
            NpyArray diagonal = expect(store.get(LowRankPrecisions.DIAGONAL), LowRankPrecisions.DIAGONAL, true, p, d);
            NpyArray axes = expect(store.get(LowRankPrecisions.AXES), LowRankPrecisions.AXES, true, p, d, rank);
            NpyArray weights = expect(store.get(LowRankPrecisions.WEIGHTS), LowRankPrecisions.WEIGHTS, true, p, rank);
            precisions = new LowRankPrecisions(p, d, rank, diagonal.floats(), axes.floats(), weights.floats());
        }
        return new PadimModel(config, layers, height, width, ch.ints(), mean.floats(), precisions, images);
    }

    private static NpyArray expect(NpyArray a, String name, boolean isFloat, int... shape) {
        if (a.isFloat() != isFloat || !Arrays.equals(a.shape(), shape)) {
            throw new AnomalyJException(name + ".npy has shape " + Arrays.toString(a.shape()) + " " + a.dtype()
                    + " but model.json expects " + (isFloat ? "float32 " : "int32 ") + Arrays.toString(shape)
                    + "; the bundle is inconsistent, retrain the model.");
        }
        return a;
    }
}
