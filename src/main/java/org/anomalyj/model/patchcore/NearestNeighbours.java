package org.anomalyj.model.patchcore;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Exact Euclidean nearest-neighbour search of query vectors in a fixed bank (PatchCore's hot path:
 * ~1000 queries x ~8000 entries x ~1500 dims per image).
 *
 * <p>Squared distances are {@code |q|^2 + |m|^2 - 2 q.m} (clamped at 0). The dot products come from
 * a blocked kernel: the bank is stored dimension-major in tiles of {@value #TILE} entries, one
 * small array per (tile, dimension) (a tile, D x 256 floats, fits in L2); a tile is scored against
 * four queries at a time, one dimension per pass, with an inner loop that is element-wise over
 * the tile's entries so every bank value loaded serves four queries. The arrays are indexed
 * without offsets on purpose: C2 (JDK 11-17) vectorises such loops only (see {@link #kernel}). Queries are split over threads. The
 * distance to each query's winner is then recomputed directly (in double), which removes the
 * cancellation error of the expanded form from the reported scores.
 *
 * <p>Immutable and thread-safe; working buffers are per call, not per query.
 */
public final class NearestNeighbours {

    static final int TILE = 256;
    private static final int QUERY_BLOCK = 4;

    private final int size;
    private final int dim;
    /** Row-major copy (M x D) for exact distance recomputation. */
    private final float[] rows;
    /** Tiled dimension-major copy for the kernel: {@code columns[tile * dim + k][j]}. */
    private final float[][] columns;
    private final float[] norms;

    /** @param bank {@code size x dim} row-major; not copied, must not change afterwards */
    public NearestNeighbours(float[] bank, int size, int dim) {
        if (size < 1 || dim < 1 || bank.length != (long) size * dim) {
            throw new IllegalArgumentException("bank length " + bank.length + " != " + size + "x" + dim);
        }
        this.size = size;
        this.dim = dim;
        this.rows = bank;
        int tiles = (size + TILE - 1) / TILE;
        this.columns = new float[Math.multiplyExact(tiles, dim)][TILE];
        this.norms = new float[size];
        for (int m = 0; m < size; m++) {
            double s = 0;
            int t = (m / TILE) * dim;
            int j = m % TILE;
            for (int k = 0; k < dim; k++) {
                float v = bank[m * dim + k];
                columns[t + k][j] = v;
                s += (double) v * v;
            }
            norms[m] = (float) s;
        }
    }

    public int size() {
        return size;
    }

    public int dim() {
        return dim;
    }

    /** Row-major bank ({@code size x dim}); shared, not copied. */
    public float[] bank() {
        return rows;
    }

    /** Euclidean distance between {@code q[qOffset..+dim)} and bank entry m, in double. */
    public double distance(float[] q, int qOffset, int m) {
        double s = 0;
        int b = m * dim;
        for (int k = 0; k < dim; k++) {
            double t = (double) q[qOffset + k] - rows[b + k];
            s += t * t;
        }
        return Math.sqrt(s);
    }

    /**
     * Nearest bank entry of each of {@code n} queries ({@code n x dim} row-major).
     * @param index out: nearest entry per query (lowest index on ties)
     * @param distance out: its Euclidean distance
     */
    public void nearest(float[] queries, int n, int[] index, float[] distance) {
        kNearest(queries, n, 1, index, distance);
    }

    /**
     * The {@code k} nearest bank entries of each query, closest first
     * ({@code index[q*k + i]}, {@code distance[q*k + i]}: Euclidean distances).
     */
    public void kNearest(float[] queries, int n, int k, int[] index, float[] distance) {
        if (queries.length < (long) n * dim || k < 1 || k > size) {
            throw new IllegalArgumentException("bad query block: n=" + n + " k=" + k + " bank=" + size);
        }
        int blocks = (n + QUERY_BLOCK - 1) / QUERY_BLOCK;
        int threads = Math.min(Runtime.getRuntime().availableProcessors(), Math.max(1, blocks / 2));
        int perThread = (blocks + threads - 1) / threads;
        IntStream.range(0, threads).parallel().forEach(t -> {
            int from = t * perThread * QUERY_BLOCK;
            int to = Math.min(n, (t + 1) * perThread * QUERY_BLOCK);
            if (from < to) {
                search(queries, from, to, k, index, distance);
            }
        });
        // exact distances for the winners
        IntStream.range(0, n).parallel().forEach(q -> {
            for (int i = 0; i < k; i++) {
                distance[q * k + i] = (float) distance(queries, q * dim, index[q * k + i]);
            }
        });
    }

    private void search(float[] queries, int from, int to, int k, int[] index, float[] distance) {
        int count = to - from;
        float[] qNorm = new float[count];
        for (int q = 0; q < count; q++) {
            double s = 0;
            int o = (from + q) * dim;
            for (int c = 0; c < dim; c++) {
                s += (double) queries[o + c] * queries[o + c];
            }
            qNorm[q] = (float) s;
        }
        // best-so-far lists (squared distances), sorted ascending
        float[] best = new float[count * k];
        int[] bestIndex = new int[count * k];
        Arrays.fill(best, Float.POSITIVE_INFINITY);
        Arrays.fill(bestIndex, -1);
        float[] acc0 = new float[TILE];
        float[] acc1 = new float[TILE];
        float[] acc2 = new float[TILE];
        float[] acc3 = new float[TILE];
        float[][] acc = {acc0, acc1, acc2, acc3};
        for (int j0 = 0; j0 < size; j0 += TILE) {
            int width = Math.min(TILE, size - j0);
            for (int q0 = 0; q0 < count; q0 += QUERY_BLOCK) {
                int qs = Math.min(QUERY_BLOCK, count - q0);
                int o0 = (from + q0) * dim;
                // a short last block repeats its first query and ignores the extra results
                int o1 = qs > 1 ? o0 + dim : o0;
                int o2 = qs > 2 ? o0 + 2 * dim : o0;
                int o3 = qs > 3 ? o0 + 3 * dim : o0;
                dotTile(queries, o0, o1, o2, o3, j0, acc0, acc1, acc2, acc3);
                for (int b = 0; b < qs; b++) {
                    float[] a = acc[b];
                    int q = q0 + b;
                    float qn = qNorm[q];
                    int bo = q * k;
                    float worst = best[bo + k - 1];
                    for (int j = 0; j < width; j++) {
                        float d2 = qn + norms[j0 + j] - 2f * a[j];
                        if (d2 < 0f) {
                            d2 = 0f;
                        }
                        if (d2 < worst) {
                            insert(best, bestIndex, bo, k, d2, j0 + j);
                            worst = best[bo + k - 1];
                        }
                    }
                }
            }
        }
        for (int q = 0; q < count; q++) {
            System.arraycopy(bestIndex, q * k, index, (from + q) * k, k);
            for (int i = 0; i < k; i++) {
                distance[(from + q) * k + i] = (float) Math.sqrt(best[q * k + i]);
            }
        }
    }

    /** Inserts into a sorted list of length k (strict order: earlier entries win ties). */
    private static void insert(float[] best, int[] bestIndex, int bo, int k, float d2, int j) {
        int p = bo + k - 1;
        while (p > bo && best[p - 1] > d2) {
            best[p] = best[p - 1];
            bestIndex[p] = bestIndex[p - 1];
            p--;
        }
        best[p] = d2;
        bestIndex[p] = j;
    }

    /** acc_b[j] = q_b . bank[j0 + j] for four queries, one dimension per pass. */
    private void dotTile(float[] q, int o0, int o1, int o2, int o3, int j0, float[] acc0, float[] acc1,
            float[] acc2, float[] acc3) {
        Arrays.fill(acc0, 0f);
        Arrays.fill(acc1, 0f);
        Arrays.fill(acc2, 0f);
        Arrays.fill(acc3, 0f);
        int tile = (j0 / TILE) * dim;
        for (int c = 0; c < dim; c++) {
            kernel(acc0, acc1, acc2, acc3, columns[tile + c], q[o0 + c], q[o1 + c], q[o2 + c], q[o3 + c]);
        }
    }

    /**
     * Four queries x one dimension over one tile. The shape matters: C2 (JDK 11-17) vectorises
     * this body (one loaded array, four accumulators; measured ~33 GFlop/s per core) but not e.g.
     * two queries x two dimensions or offset-indexed arrays (~10 GFlop/s).
     */
    private static void kernel(float[] acc0, float[] acc1, float[] acc2, float[] acc3, float[] b,
            float a0, float a1, float a2, float a3) {
        for (int j = 0; j < TILE; j++) {
            float x = b[j];
            acc0[j] += a0 * x;
            acc1[j] += a1 * x;
            acc2[j] += a2 * x;
            acc3[j] += a3 * x;
        }
    }
}
