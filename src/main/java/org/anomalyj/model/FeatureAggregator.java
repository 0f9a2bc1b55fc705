package org.anomalyj.model;

import java.util.stream.IntStream;

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
    /** Channels per parallel task and per contiguous write (16 floats = one 64-byte cache line). */
    private static final int CHANNEL_BLOCK = 16;


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
        if (features.isEmpty()) {
            throw new IllegalArgumentException("no feature layers");
        }
        int outH = features.get(0).height();
        int outW = features.get(0).width();
        int dim = 0;
        for (FeatureMap f : features) {
            dim += outputChannels(f.channels());
        }
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(outH, outW), dim)];
        int offset = 0;
        for (FeatureMap f : features) {
            final int h = f.height();
            final int w = f.width();
            float[] planes = f.data();
            if (averagePool) {
                planes = averagePool3x3(planes, f.channels(), h, w);
            }
            int c = outputChannels(f.channels());
            if (c < f.channels()) {
                planes = poolChannels(planes, f.channels(), h * w, c);
            }
            // Channels are independent: blocks of CHANNEL_BLOCK channels run in parallel, and each
            // block writes CHANNEL_BLOCK consecutive floats per position (a cache line) instead of
            // one float per position at a stride of dim (same arithmetic, same result).
            final float[] src = planes;
            final int off = offset;
            final int channels = c;
            final int stride = dim;
            IntStream.range(0, (channels + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK).parallel().forEach(k -> {
                int c0 = k * CHANNEL_BLOCK;
                int c1 = Math.min(channels, c0 + CHANNEL_BLOCK);
                if (h == outH && w == outW) {
                    scatter(src, c0, c1, outH * outW, out, stride, off);
                } else if (upsampling == Upsampling.BILINEAR) {
                    bilinear(src, c0, c1, h, w, outH, outW, out, stride, off);
                } else {
                    nearest(src, c0, c1, h, w, outH, outW, out, stride, off);
                }
            });
            offset += c;
        }
        return new PatchEmbedding(outH, outW, dim, out);
    }

    /** 3x3 mean, stride 1, zero padding 1, always divided by 9 (torch count_include_pad=True). */
    static float[] averagePool3x3(float[] in, int channels, int h, int w) {
        float[] out = new float[in.length];
        IntStream.range(0, (channels + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK).parallel().forEach(k ->
                averagePool3x3(in, k * CHANNEL_BLOCK, Math.min(channels, (k + 1) * CHANNEL_BLOCK), h, w, out));
        return out;
    }

    private static void averagePool3x3(float[] in, int c0, int c1, int h, int w, float[] out) {
        float[] rowSum = new float[w];
        for (int c = c0; c < c1; c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                // vertical sum of rows y-1..y+1, then horizontal 3-sum
                java.util.Arrays.fill(rowSum, 0f);
                for (int yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
                    int r = base + yy * w;
                    for (int x = 0; x < w; x++) {
                        rowSum[x] += in[r + x];
                    }
                }
                int o = base + y * w;
                for (int x = 0; x < w; x++) {
                    float s = rowSum[x];
                    if (x > 0) {
                        s += rowSum[x - 1];
                    }
                    if (x < w - 1) {
                        s += rowSum[x + 1];
                    }
                    out[o + x] = s / 9f;
                }
            }
        }
    }

    /** torch adaptive_avg_pool1d over channels: output i averages [floor(iC/O), ceil((i+1)C/O)). */
    static float[] poolChannels(float[] in, int channels, int plane, int outChannels) {
        float[] out = new float[outChannels * plane];
        for (int i = 0; i < outChannels; i++) {
            int start = (int) ((long) i * channels / outChannels);
            int end = (int) (((long) (i + 1) * channels + outChannels - 1) / outChannels);
            int o = i * plane;
            for (int c = start; c < end; c++) {
                int src = c * plane;
                for (int p = 0; p < plane; p++) {
                    out[o + p] += in[src + p];
                }
            }
            float inv = 1f / (end - start);
            for (int p = 0; p < plane; p++) {
                out[o + p] *= inv;
            }
        }
        return out;
    }

    private static void scatter(float[] planes, int c0, int c1, int positions, float[] out, int dim, int offset) {
        for (int p = 0; p < positions; p++) {
            int o = p * dim + offset;
            for (int c = c0; c < c1; c++) {
                out[o + c] = planes[c * positions + p];
            }
        }
    }

    /** torch interpolate bilinear, align_corners=false: src = (dst + 0.5) * in/out - 0.5, clamped at 0. */
    private static void bilinear(float[] planes, int c0, int c1, int h, int w, int outH, int outW, float[] out,
            int dim, int offset) {
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        float[] ly = new float[outH];
        sourceIndices(h, outH, y0, y1, ly);
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] lx = new float[outW];
        sourceIndices(w, outW, x0, x1, lx);
        for (int y = 0; y < outH; y++) {
            float b = ly[y];
            float a = 1f - b;
            int o = y * outW;
            for (int x = 0; x < outW; x++) {
                float d = lx[x];
                float e = 1f - d;
                int dst = (o + x) * dim + offset;
                for (int c = c0; c < c1; c++) {
                    int base = c * h * w;
                    int r0 = base + y0[y] * w;
                    int r1 = base + y1[y] * w;
                    float v = a * (e * planes[r0 + x0[x]] + d * planes[r0 + x1[x]])
                            + b * (e * planes[r1 + x0[x]] + d * planes[r1 + x1[x]]);
                    out[dst + c] = v;
                }
            }
        }
    }

    private static void sourceIndices(int in, int out, int[] i0, int[] i1, float[] lambda) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            float src = Math.max(0f, scale * (d + 0.5f) - 0.5f);
            int lo = Math.min((int) src, in - 1);
            i0[d] = lo;
            i1[d] = lo < in - 1 ? lo + 1 : lo;
            lambda[d] = src - lo;
        }
    }

    /** torch interpolate nearest: src = floor(dst * in/out), clamped to in - 1. */
    private static void nearest(float[] planes, int c0, int c1, int h, int w, int outH, int outW, float[] out,
            int dim, int offset) {
        int[] sy = new int[outH];
        for (int y = 0; y < outH; y++) {
            sy[y] = Math.min((int) Math.floor(y * ((float) h / outH)), h - 1);
        }
        int[] sx = new int[outW];
        for (int x = 0; x < outW; x++) {
            sx[x] = Math.min((int) Math.floor(x * ((float) w / outW)), w - 1);
        }
        for (int y = 0; y < outH; y++) {
            int o = y * outW;
            for (int x = 0; x < outW; x++) {
                int dst = (o + x) * dim + offset;
                for (int c = c0; c < c1; c++) {
                    out[dst + c] = planes[c * h * w + sy[y] * w + sx[x]];
                }
            }
        }
    }
}
