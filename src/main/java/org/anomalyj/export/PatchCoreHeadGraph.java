package org.anomalyj.export;

import java.util.List;
import org.anomalyj.model.FeatureAggregator;
import org.anomalyj.model.patchcore.MemoryBank;
import org.anomalyj.model.patchcore.PatchCoreModel;

/**
 * PatchCore's head ({@link PatchCoreModel#score}) as ONNX nodes after the backbone's outputs:
 * <ol>
 * <li>the model's feature aggregation ({@link AggregationGraph}), as position-major {@code [P, D]};</li>
 * <li>nearest memory entry of every patch: {@code ArgMin} over {@code |b|^2 - 2 x.b} (one Gemm with
 * the bank, {@code |x|^2} does not change the winner), exact nearest-neighbour search over the
 * whole bank as the Java path does;</li>
 * <li>the winner's distance recomputed directly, {@code sqrt(sum((x - b)^2))}, as the Java path
 * recomputes it, so the score has no cancellation error of the expanded form;</li>
 * <li>image score: anomalib's re-weighting ({@link PatchCoreModel} class comment): the patch with
 * the largest score s*, the stored k neighbours of its nearest entry, the distances d of that
 * patch to them, {@code (1 - softmax(d)_0) * s*}; with k = 1 the plain maximum;</li>
 * <li>the patch scores as a {@code [1, 1, H, W]} grid, upsampled and blurred ({@link MapGraph}).</li>
 * </ol>
 */
final class PatchCoreHeadGraph {
    private PatchCoreHeadGraph() {
    }

    /**
     * Appends the head, writing the graph outputs {@code mapOutput} ({@code [1, 1, size, size]})
     * and {@code scoreOutput} ({@code [1]}).
     */
    static void append(HeadBuilder h, PatchCoreModel model, List<LayerTensor> layers, int size, double blurSigma,
            String mapOutput, String scoreOutput) {
        // the aggregation as recorded with the model (PatchCoreModel keeps it private)
        FeatureAggregator aggregator = FeatureAggregator.fromParameters(model.parameters().getAsJsonObject("aggregation"));
        String embedding = AggregationGraph.append(h, aggregator, layers);
        LayerTensor first = layers.get(0);
        int gh = first.height;
        int gw = first.width;
        int positions = gh * gw;
        MemoryBank bank = model.memoryBank();
        int m = bank.size();
        int d = bank.dim();
        String x = AggregationGraph.positionMajor(h, embedding, d, positions);

        float[] entries = bank.entries();
        float[] norms = new float[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                double v = entries[i * d + k];
                s += v * v;
            }
            norms[i] = (float) s;
        }
        String b = h.floats("memory_bank", entries, m, d);
        String ranking = h.op("Gemm", "bank_ranking", new String[] {x, b, h.floats("bank_norms", norms, m)},
                HeadBuilder.real("alpha", -2f), HeadBuilder.real("beta", 1f), HeadBuilder.integer("transB", 1));
        String nearest = h.op("ArgMin", "nearest", new String[] {ranking}, HeadBuilder.integer("axis", 1),
                HeadBuilder.integer("keepdims", 0));
        String rows = h.op("Gather", "nearest_rows", new String[] {b, nearest}, HeadBuilder.integer("axis", 0));
        String dist = euclidean(h, x, rows, d); // [P, 1]

        String grid = h.reshape(dist, 1, 1, gh, gw);
        MapGraph.append(h, grid, gh, gw, size, blurSigma, mapOutput);

        int k = bank.k();
        if (model.config().numNeighbours() == 1 || k == 1) {
            MapGraph.maxTo(h, dist, scoreOutput);
            return;
        }
        String flat = h.reshape(dist, positions);
        String best = h.op("ArgMax", "best_patch", new String[] {flat}, HeadBuilder.integer("axis", 0),
                HeadBuilder.integer("keepdims", 1)); // [1]; first of equal maxima, as the Java loop
        String top = h.op("Gather", "best_score", new String[] {flat, best}, HeadBuilder.integer("axis", 0));
        String entry = h.op("Gather", "best_entry", new String[] {nearest, best}, HeadBuilder.integer("axis", 0));
        String nb = h.op("Gather", "entry_neighbours", new String[] {h.longs("memory_neighbours", bank.neighbours(), m, k),
                entry}, HeadBuilder.integer("axis", 0)); // [1, k]
        String nbRows = h.op("Gather", "neighbour_rows", new String[] {b, h.reshape(nb, k)}, HeadBuilder.integer("axis", 0));
        String patch = h.op("Gather", "best_embedding", new String[] {x, best}, HeadBuilder.integer("axis", 0)); // [1, D]
        String nd = h.reshape(euclidean(h, patch, nbRows, d), 1, k);
        String soft = h.op("Softmax", "softmax", new String[] {nd}, HeadBuilder.integer("axis", 1));
        String p0 = h.reshape(h.op("Gather", "softmax_0", new String[] {soft, h.longs("zero", new long[] {0}, 1)},
                HeadBuilder.integer("axis", 1)), 1);
        String weight = h.op("Sub", "weight", new String[] {h.floats("one", new float[] {1f}, 1), p0});
        h.opTo("Mul", scoreOutput, new String[] {weight, top});
    }

    /** {@code sqrt(sum((a - b)^2))} per row of {@code [n, d]} tensors (a may broadcast from {@code [1, d]}): {@code [n, 1]}. */
    static String euclidean(HeadBuilder h, String a, String b, int d) {
        String diff = h.op("Sub", "diff", new String[] {a, b});
        String sq = h.op("Mul", "square", new String[] {diff, diff});
        return h.op("Sqrt", "distance", new String[] {h.sumLastAxis(sq, d)});
    }
}
