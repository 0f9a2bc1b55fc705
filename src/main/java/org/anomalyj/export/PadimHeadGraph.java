package org.anomalyj.export;

import java.util.List;
import org.anomalyj.model.FeatureAggregator;
import org.anomalyj.model.padim.PadimModel;

/**
 * PaDiM's head ({@link PadimModel#score}) as ONNX nodes after the backbone's outputs: PaDiM's
 * aggregation (no pooling, nearest resampling, all channels), the stored channel selection
 * ({@code Gather} on the channel axis), per position {@code diff = x - mean} and
 * {@code sqrt(max(diff^T S^-1 diff, 0))} as one batched MatMul over positions
 * ({@code [P, 1, d] x [P, d, d]}) with the stored inverse covariances, then the grid upsampled and
 * blurred ({@link MapGraph}); the image score is the maximum of the blurred map, as the Java
 * pipeline takes it for methods without their own image score.
 */
final class PadimHeadGraph {
    private PadimHeadGraph() {
    }

    static void append(HeadBuilder h, PadimModel model, List<LayerTensor> layers, int size, double blurSigma,
            String mapOutput, String scoreOutput) {
        String embedding = AggregationGraph.append(h, FeatureAggregator.padim(), layers);
        LayerTensor first = layers.get(0);
        int gh = first.height;
        int gw = first.width;
        int positions = gh * gw;
        int[] channels = model.channels();
        int d = channels.length;
        String selected = h.op("Gather", "channel_select", new String[] {embedding,
                h.longs("channel_index", channels, d)}, HeadBuilder.integer("axis", 1)); // [1, d, H, W]
        String x = h.reshape(AggregationGraph.positionMajor(h, selected, d, positions), positions, 1, d);
        String diff = h.op("Sub", "centred", new String[] {x, h.floats("mean", model.mean(), positions, 1, d)});
        String projected = h.op("MatMul", "inv_cov_times_diff", new String[] {diff,
                h.floats("inv_covariance", model.inverseCovariance(), positions, d, d)}); // [P, 1, d]
        String terms = h.op("Mul", "quadratic_terms", new String[] {projected, diff});
        String quadratic = h.sumLastAxis(terms, d); // [P, 1, 1]
        String dist = h.op("Sqrt", "mahalanobis", new String[] {h.op("Relu", "clamp0", new String[] {quadratic})});
        String grid = h.reshape(dist, 1, 1, gh, gw);
        String map = MapGraph.append(h, grid, gh, gw, size, blurSigma, mapOutput);
        MapGraph.maxTo(h, map, scoreOutput);
    }
}
