package org.anomalyj.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import org.anomalyj.AnomalyJException;
import org.anomalyj.backbone.FeatureMap;

/**
 * Turns a backbone's layers (shallowest first) into one {@link PatchEmbedding} at the first layer's
 * resolution, as anomalib does before fitting either method:
 * <ol>
 * <li>optional 3x3 average pooling per layer (stride 1, zero padding 1, padding counted in the
 * divisor as torch {@code AvgPool2d} does by default) - PatchCore's local neighbourhood
 * aggregation;</li>
 * <li>optional channel reduction per layer by adaptive average pooling over the channel axis to at
 * most {@code maxChannelsPerLayer} channels (as the original PatchCore code does with
 * {@code adaptive_avg_pool1d}); it keeps memory and k-NN cost down for wide ResNet layers. Being
 * linear over channels it commutes with the spatial resampling, so it is done first (cheaper);</li>
 * <li>deeper layers resampled to the first layer's size: bilinear with {@code align_corners=false}
 * (PatchCore) or nearest (PaDiM), both with torch's source-index rules;</li>
 * <li>concatenation along channels, shallowest layer first.</li>
 * </ol>
 * Immutable and thread-safe.
 */
public final class FeatureAggregator {
    /** How deeper layers are brought to the first layer's resolution. */
    public enum Upsampling {
        BILINEAR, NEAREST
    }

    private final boolean averagePool;
    private final Upsampling upsampling;
    private final int maxChannelsPerLayer;

    /**
     * @param averagePool 3x3 average pooling per layer before resampling
     * @param upsampling resampling of deeper layers
     * @param maxChannelsPerLayer channel cap per layer by adaptive average pooling; 0 keeps all
     */
    public FeatureAggregator(boolean averagePool, Upsampling upsampling, int maxChannelsPerLayer) {
        if (maxChannelsPerLayer < 0) {
            throw new IllegalArgumentException("maxChannelsPerLayer must be >= 0, got " + maxChannelsPerLayer);
        }
        this.averagePool = averagePool;
        this.upsampling = upsampling;
        this.maxChannelsPerLayer = maxChannelsPerLayer;
    }

    /** PatchCore's aggregation: 3x3 average pooling, bilinear upsampling. */
    public static FeatureAggregator patchCore(int maxChannelsPerLayer) {
        return new FeatureAggregator(true, Upsampling.BILINEAR, maxChannelsPerLayer);
    }

    /** PaDiM's aggregation: no pooling, nearest upsampling, all channels. */
    public static FeatureAggregator padim() {
        return new FeatureAggregator(false, Upsampling.NEAREST, 0);
    }

    public boolean averagePool() {
        return averagePool;
    }

    public Upsampling upsampling() {
        return upsampling;
    }

    public int maxChannelsPerLayer() {
        return maxChannelsPerLayer;
    }

    /** Channels one layer contributes to the embedding. */
    public int outputChannels(int layerChannels) {
        return maxChannelsPerLayer > 0 ? Math.min(layerChannels, maxChannelsPerLayer) : layerChannels;
    }

    /** Embedding dimension for layers with these channel counts. */
    public int outputDim(int... layerChannels) {
        int d = 0;
        for (int c : layerChannels) {
            d += outputChannels(c);
        }
        return d;
    }

    /** The settings, as recorded in a model's parameters. */
    public JsonObject parameters() {
        JsonObject o = new JsonObject();
        o.addProperty("average_pool_3x3", averagePool);
        o.addProperty("upsampling", upsampling.name().toLowerCase());
        o.addProperty("max_channels_per_layer", maxChannelsPerLayer);
        return o;
    }

    /** Inverse of {@link #parameters()}. */
    public static FeatureAggregator fromParameters(JsonObject o) {
        return new FeatureAggregator(o.get("average_pool_3x3").getAsBoolean(),
                Upsampling.valueOf(o.get("upsampling").getAsString().toUpperCase()),
                o.get("max_channels_per_layer").getAsInt());
    }

    /** Names and channel counts of the layers, to record with a fitted model. */
    public static JsonArray describeLayers(List<FeatureMap> features) {
        JsonArray a = new JsonArray();
        for (FeatureMap f : features) {
            JsonObject j = new JsonObject();
            j.addProperty("name", f.name());
            j.addProperty("channels", f.channels());
            a.add(j);
        }
        return a;
    }

    /**
     * Checks that features have the layers (names and channels) a model was fitted on.
     * @throws AnomalyJException when they differ: the model and backbone do not belong together
     */
    public static void checkLayers(JsonArray expected, List<FeatureMap> features, String method) {
        boolean same = expected.size() == features.size();
        for (int i = 0; same && i < features.size(); i++) {
            JsonObject j = expected.get(i).getAsJsonObject();
            same = j.get("name").getAsString().equals(features.get(i).name())
                    && j.get("channels").getAsInt() == features.get(i).channels();
        }
        if (!same) {
            throw new AnomalyJException("The " + method + " model was fitted on layers " + expected
                    + " but the backbone gave " + describeLayers(features)
                    + "; use the backbone and layers the model was trained with.");
        }
    }

    /** Aggregates one image's layers (shallowest first) into its patch embedding. */
    public PatchEmbedding aggregate(List<FeatureMap> features) {
        return aggregate(features, null);
    }

    /**
     * As {@link #aggregate(List)}, written into {@code reuse} when it has exactly the embedding's
     * length (every value is overwritten), else into a new array. Scoring reuses one buffer per
     * thread: allocating ResNet50v2's 6 MB embedding per image cost 0.7 ms of a 3.2 ms aggregation.
     */
    public PatchEmbedding aggregate(List<FeatureMap> features, float[] reuse) {
        if (features.isEmpty()) {
            throw new IllegalArgumentException("no feature layers");
        }
        int outH = features.get(0).height();
        int outW = features.get(0).width();
        int dim = 0;
        for (FeatureMap f : features) {
            dim += outputChannels(f.channels());
        }
        int length = Math.multiplyExact(Math.multiplyExact(outH, outW), dim);
        float[] out = reuse != null && reuse.length == length ? reuse : new float[length];
        RowScratch scratch = RowScratch.PER_THREAD.take(RowScratch::new);
        int offset = 0;
        for (int l = 0; l < features.size(); l++) {
            FeatureMap f = features.get(l);
            int h = f.height();
            int w = f.width();
            int line = w * f.channels();
            // position-major image rows, the embedding's own layout (see PositionMajor for why)
            float[][] rows = PositionMajor.rows(f.data(), f.channels(), h, w, scratch.rows(3 * l, h, line));
            if (averagePool) {
                rows = PositionMajor.averagePool3x3(rows, f.channels(), h, w, scratch.rows(3 * l + 1, h, line));
            }
            int c = outputChannels(f.channels());
            if (c < f.channels()) {
                rows = PositionMajor.poolChannels(rows, f.channels(), w, c);
            }
            if (h == outH && w == outW) {
                PositionMajor.place(rows, c, w, out, dim, offset);
            } else if (upsampling == Upsampling.BILINEAR) {
                PositionMajor.bilinear(rows, c, h, w, outH, outW, out, dim, offset,
                        scratch.rows(3 * l + 2, h, outW * c));
            } else {
                PositionMajor.nearest(rows, c, h, w, outH, outW, out, dim, offset);
            }
            offset += c;
        }
        RowScratch.PER_THREAD.give(scratch);
        return new PatchEmbedding(outH, outW, dim, out);
    }
}
