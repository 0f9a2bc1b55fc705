package org.anomalyj.model.patchcore;

import org.anomalyj.onnx.OnnxGraph;

/**
 * The c lowest scores per query of a bank search graph, found through groups of entries instead of
 * one TopK over the whole bank.
 *
 * <p>ONNX Runtime's TopK scans a query's score row at about 0.6 ns per entry, more than the 8-bit
 * products that fill it (Magnetic Tile, 7,025 entries, rank 64, one thread: products 3.2 ms,
 * products + TopK 7.7-8.2 ms per 1024 queries). So the bank's columns are dealt into
 * {@link #GROUPS} groups ({@code e = j L + g}: group g holds entries g, L + g, 2L + g, ...), the
 * graph takes the minimum score of each group ({@code ReduceMin} over the middle axis of
 * {@code [n, GROUPS, L]}, an element-wise minimum of contiguous rows that ONNX Runtime
 * vectorises), keeps the k best of the L group minima (TopK), gathers the scores of those groups'
 * {@code GROUPS x k} entries and keeps the c best of them (4.9-5.6 ms per 1024 queries in all).
 * With {@code k = c}, the c lowest scores of the bank always lie in the k best groups, so these
 * are the candidates a TopK over the whole bank keeps, and every other entry scores at least the
 * c-th candidate's value (each of the k group minima is at least that low, and every entry of
 * another group at least its group's minimum), which the certified search's bounds rely on.
 */
final class GroupedTopK {
    /** Groups the bank's columns are dealt into. */
    static final int GROUPS = 8;

    private final int size;
    private final int groups;
    private final int groupLength;

    GroupedTopK(int size) {
        this.size = size;
        this.groups = size >= 64 * GROUPS ? GROUPS : 1; // small banks: one group, a plain TopK
        this.groupLength = (size + groups - 1) / groups;
    }

    /** Columns of the padded bank: {@code GROUPS x L}. */
    int padded() {
        return groups * groupLength;
    }

    /** A {@code rows x size} matrix (bank entries as columns) padded with zero columns to {@link #padded()}. */
    float[] padColumns(float[] matrix, int rows) {
        int padded = padded();
        float[] out = new float[rows * padded];
        for (int j = 0; j < rows; j++) {
            System.arraycopy(matrix, j * size, out, j * padded, size);
        }
        return out;
    }

    /** The squared norms (or any bias) padded with a score no real entry reaches. */
    float[] padNorms(float[] norms) {
        float[] out = new float[padded()];
        System.arraycopy(norms, 0, out, 0, size);
        java.util.Arrays.fill(out, size, out.length, Float.MAX_VALUE / 4);
        return out;
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
     * Adds the selection of {@code c} candidates from {@code scores} ({@code [n, padded()]}, lower
     * is better): outputs {@code groups} ({@code [n, k]}, the kept groups), {@code best}
     * ({@code [n, c]}, positions among their entries, best first; see {@link #entry}) and
     * {@code best_values} ({@code [n, c]}, their scores).
     */
    void addTo(OnnxGraph g, String scores, int c) {
        long k = keptGroups(c);
        long best = candidates(c);
        g.initializer("group_shape", new long[] {-1, groups, groupLength}, 3)
                .initializer("k", new long[] {k}, 1)
                .initializer("member_axis", new long[] {1}, 1)
                .initializer("members", new long[] {1, groups, 1}, 3)
                .initializer("flat_shape", new long[] {-1, groups * k}, 2)
                .initializer("c", new long[] {best}, 1)
                .node("Reshape", new String[] {scores, "group_shape"}, new String[] {"grouped"})
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
                .output("best", OnnxGraph.INT64, "n", best)
                .output("best_values", OnnxGraph.FLOAT, "n", best);
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
