package org.anomalyj.export;

import java.util.ArrayList;
import java.util.List;
import org.anomalyj.model.FeatureAggregator;

/**
 * {@link FeatureAggregator#aggregate} as ONNX nodes, step for step: per layer the optional 3x3
 * average pooling (stride 1, zero padding 1, always divided by 9: {@code count_include_pad=1}),
 * the optional channel reduction by adaptive average pooling over channels (a 1x1 Conv whose
 * weights average the same channel ranges), resampling of deeper layers to the first layer's grid
 * (bilinear half-pixel, or nearest with floor) and concatenation along channels, shallowest first.
 */
final class AggregationGraph {
    private AggregationGraph() {
    }

    /** @return the name of the {@code [1, D, H0, W0]} embedding (NCHW) */
    static String append(HeadBuilder h, FeatureAggregator aggregator, List<LayerTensor> layers) {
        LayerTensor first = layers.get(0);
        List<String> parts = new ArrayList<>();
        for (LayerTensor l : layers) {
            String x = l.name;
            if (aggregator.averagePool()) {
                x = h.op("AveragePool", "avgpool3x3", new String[] {x}, HeadBuilder.ints("kernel_shape", 3, 3),
                        HeadBuilder.ints("pads", 1, 1, 1, 1), HeadBuilder.ints("strides", 1, 1),
                        HeadBuilder.integer("count_include_pad", 1));
            }
            int c = aggregator.outputChannels(l.channels);
            if (c < l.channels) {
                x = h.op("Conv", "channel_pool", new String[] {x,
                        h.floats("channel_pool_w", channelPoolWeights(l.channels, c), c, l.channels, 1, 1)});
            }
            if (l.height != first.height || l.width != first.width) {
                x = h.resize(x, aggregator.upsampling() == FeatureAggregator.Upsampling.BILINEAR,
                        1, c, first.height, first.width);
            }
            parts.add(x);
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return h.op("Concat", "embedding", parts.toArray(new String[0]), HeadBuilder.integer("axis", 1));
    }

    /** torch adaptive_avg_pool1d over channels as a {@code [out, in]} matrix: row i averages [floor(iC/O), ceil((i+1)C/O)). */
    static float[] channelPoolWeights(int channels, int outChannels) {
        float[] w = new float[outChannels * channels];
        for (int i = 0; i < outChannels; i++) {
            int start = (int) ((long) i * channels / outChannels);
            int end = (int) (((long) (i + 1) * channels + outChannels - 1) / outChannels);
            float v = 1f / (end - start);
            for (int c = start; c < end; c++) {
                w[i * channels + c] = v;
            }
        }
        return w;
    }

    /** {@code [1, D, H, W]} to position-major {@code [H*W, D]} (a patch's vector contiguous, as PatchEmbedding). */
    static String positionMajor(HeadBuilder h, String embedding, int dim, int positions) {
        String t = h.op("Transpose", "nhwc", new String[] {embedding}, HeadBuilder.ints("perm", 0, 2, 3, 1));
        return h.reshape(t, positions, dim);
    }
}
