package org.anomalyj.model.patchcore;

import org.anomalyj.onnx.OnnxGraph;

/**
 * The fast search's 8-bit candidate ranking (see {@link ProjectedBankSearch}): the projected bank as
 * int8 coordinates with one scale, products with each run's queries quantized to uint8 in the graph
 * ({@code DynamicQuantizeLinear} + {@code MatMulIntegerToFloat}), and the best entries per query
 * through groups ({@link GroupedTopK}).
 */
final class EightBitRanking {
    private final int rank;
    private final GroupedTopK top;
    /** int8 coordinates, transposed ({@code rank x padded}, zero padded). */
    private final byte[] codesT;
    /** |p_b|^2 per entry, padded. */
    private final float[] norms;
    private final float scale;

    /**
     * @param projT the projected bank, transposed ({@code rank x size})
     * @param norms squared norms of the projected entries
     */
    EightBitRanking(float[] projT, float[] norms, int rank, int size) {
        this.rank = rank;
        this.top = new GroupedTopK(size);
        float maxAbs = 0f;
        for (float v : projT) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        this.scale = maxAbs > 0 ? maxAbs / 127f : 1f;
        float[] padded = top.padColumns(projT, rank); // padding columns quantize to 0
        this.codesT = new byte[padded.length];
        for (int i = 0; i < padded.length; i++) {
            codesT[i] = (byte) Math.round(padded[i] / scale);
        }
        this.norms = top.padNorms(norms);
    }

    /** The candidate selection (groups kept, candidates, entries of positions). */
    GroupedTopK top() {
        return top;
    }

    /**
     * Adds the ranking of {@code c} candidates to a graph that has the projected queries
     * {@code projected} ({@code [n, rank]}), with the outputs of {@link GroupedTopK#addTo}.
     */
    void addTo(OnnxGraph g, int c) {
        g.initializer("bank_t", codesT, rank, top.padded())
                .initializer("bank_scale", new float[] {-2f * scale})
                .initializer("bank_norm", norms, top.padded())
                .node("DynamicQuantizeLinear", new String[] {"projected"},
                        new String[] {"projected_u8", "projected_scale", "projected_zero"})
                // |p_b|^2 - 2 p_q.p_b
                .node(OnnxGraph.MICROSOFT, "MatMulIntegerToFloat",
                        new String[] {"projected_u8", "bank_t", "projected_scale", "bank_scale", "projected_zero",
                            "", "bank_norm"},
                        new String[] {"partial"});
        top.addTo(g, "partial", c);
    }
}
