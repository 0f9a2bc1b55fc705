package org.anomalyj.model.patchcore;

import org.anomalyj.onnx.OnnxGraph;

/**
 * The fast search's 8-bit candidate ranking (see {@link ProjectedBankSearch}): the projected bank as
 * int8 coordinates with one scale, products with each run's queries quantized to uint8 in the graph
 * ({@code DynamicQuantizeLinear} + {@code MatMulIntegerToFloat}), and the best entries per query.
 *
 * <p><b>Groups instead of a TopK over the whole bank.</b> ONNX Runtime's TopK scans a query's
 * score row at about 0.6 ns per entry, more than the 8-bit products that fill it (Magnetic Tile,
 * 7,025 entries, rank 64, one thread: products 3.2 ms, products + TopK 7.7-8.2 ms per 1024
 * queries). So the bank's columns are dealt into {@link #GROUPS} groups ({@code e = j L + g}:
 * group g holds entries g, L + g, 2L + g, ...), the graph takes the minimum score of each group
 * ({@code ReduceMin} over the middle axis of {@code [n, GROUPS, L]}, an element-wise minimum of
 * contiguous rows that ONNX Runtime vectorises), keeps the k best of the L group minima (TopK),
 * gathers the scores of those groups' {@code GROUPS x k} entries and keeps the k best of them
 * (4.9-5.6 ms per 1024 queries for the first three steps). The k entries with the best scores
 * always lie in the k best groups, so these are the candidates a TopK over the whole bank keeps.
 */
final class EightBitRanking {
    /** Groups the bank's columns are dealt into; one ReduceMin over them, then TopK over the minima. */
    static final int GROUPS = 8;

    private final int rank;
    private final int size;
    private final int groups;
    private final int groupLength;
    /** int8 coordinates, transposed ({@code rank x groups * groupLength}, zero padded). */
    private final byte[] codesT;
    /** |p_b|^2 per entry, padded with a score no real entry reaches. */
    private final float[] norms;
    private final float scale;

    /**
     * @param projT the projected bank, transposed ({@code rank x size})
     * @param norms squared norms of the projected entries
     */
    EightBitRanking(float[] projT, float[] norms, int rank, int size) {
        this.rank = rank;
        this.size = size;
        this.groups = size >= 64 * GROUPS ? GROUPS : 1; // small banks: one group, a plain TopK
        this.groupLength = (size + groups - 1) / groups;
        int padded = groups * groupLength;
        float maxAbs = 0f;
        for (float v : projT) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        this.scale = maxAbs > 0 ? maxAbs / 127f : 1f;
        this.codesT = new byte[rank * padded];
        for (int j = 0; j < rank; j++) {
            for (int m = 0; m < size; m++) {
                codesT[j * padded + m] = (byte) Math.round(projT[j * size + m] / scale);
            }
        }
        this.norms = new float[padded];
        System.arraycopy(norms, 0, this.norms, 0, size);
        java.util.Arrays.fill(this.norms, size, padded, Float.MAX_VALUE / 4); // padding never beats an entry
    }

    /** Groups kept per query for {@code candidates} candidates. */
    int keptGroups(int candidates) {
        return Math.min(candidates, groupLength);
    }

    /** Candidates per query (at most the entries in the kept groups). */
    int candidates(int candidates) {
        return Math.min(candidates, groups * keptGroups(candidates));
    }

    /**
     * Adds the ranking of {@code c} candidates to a graph that has the projected queries
     * {@code projected} ({@code [n, rank]}): outputs {@code groups} ({@code [n, k]}, the kept
     * groups) and {@code best} ({@code [n, c]}, positions among their entries, best first; see
     * {@link #entry}).
     */
    void addTo(OnnxGraph g, int c) {
        int padded = groups * groupLength;
        long k = keptGroups(c);
        long best = candidates(c);
        g.initializer("bank_t", codesT, rank, padded)
                .initializer("bank_scale", new float[] {-2f * scale})
                .initializer("bank_norm", norms, padded)
                .initializer("group_shape", new long[] {-1, groups, groupLength}, 3)
                .initializer("k", new long[] {k}, 1)
                .initializer("member_axis", new long[] {1}, 1)
                .initializer("members", new long[] {1, groups, 1}, 3)
                .initializer("flat_shape", new long[] {-1, groups * k}, 2)
                .initializer("c", new long[] {best}, 1)
                .node("DynamicQuantizeLinear", new String[] {"projected"},
                        new String[] {"projected_u8", "projected_scale", "projected_zero"})
                // |p_b|^2 - 2 p_q.p_b
                .node(OnnxGraph.MICROSOFT, "MatMulIntegerToFloat",
                        new String[] {"projected_u8", "bank_t", "projected_scale", "bank_scale", "projected_zero",
                            "", "bank_norm"},
                        new String[] {"partial"})
                .node("Reshape", new String[] {"partial", "group_shape"}, new String[] {"grouped"})
                .node("ReduceMin", new String[] {"grouped"}, new String[] {"group_min"}, "axes", new long[] {1},
                        "keepdims", 0L)
                .node("TopK", new String[] {"group_min", "k"}, new String[] {"group_values", "groups"}, "axis", 1L,
                        "largest", 0L, "sorted", 1L)
                // the kept groups' entries: [n, GROUPS, k] scores, flattened, the c best
                .node("Unsqueeze", new String[] {"groups", "member_axis"}, new String[] {"groups_1"})
                .node("Expand", new String[] {"groups_1", "members"}, new String[] {"member_columns"})
                .node("GatherElements", new String[] {"grouped", "member_columns"}, new String[] {"member_scores"},
                        "axis", 2L)
                .node("Reshape", new String[] {"member_scores", "flat_shape"}, new String[] {"flat_scores"})
                .node("TopK", new String[] {"flat_scores", "c"}, new String[] {"best_values", "best"}, "axis", 1L,
                        "largest", 0L, "sorted", 1L)
                .output("groups", OnnxGraph.INT64, "n", k)
                .output("best", OnnxGraph.INT64, "n", best);
    }

    /**
     * The entry at position {@code position} of a query's kept groups' entries (row-major
     * {@code [GROUPS, k]}), given its kept groups at {@code kept[ko..ko + k)}; -1 for padding.
     */
    int entry(long position, long[] kept, int ko, int k) {
        int member = (int) (position / k);
        int e = member * groupLength + (int) kept[ko + (int) (position % k)];
        return e < size ? e : -1;
    }
}
