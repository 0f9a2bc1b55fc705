package org.anomalyj.model.patchcore;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Collections;
import java.util.Random;
import org.anomalyj.onnx.DirectFloats;
import org.anomalyj.onnx.MatrixProduct;
import org.anomalyj.onnx.OnnxGraph;
import org.anomalyj.onnx.Sessions;

/**
 * Fast nearest-entry search: candidates from a low-dimensional principal subspace of the bank,
 * then exact re-ranking in the full dimension.
 *
 * <p>The bank's principal subspace (rank {@code r}, from a randomized subspace iteration on a
 * seeded sample of entries) is where CNN patch features vary most, so distances measured there
 * rank the entries nearly as the full distances do. One ONNX Runtime graph projects the queries
 * ({@code (q - mean) V}), computes {@code |p_b|^2 - 2 p_q . p_b} against the projected bank (a
 * Gemm of n x M x r instead of n x M x D) and keeps the {@code c} best entries (TopK). Java then
 * computes the full distances of those c candidates and returns the best with its full distance
 * (recomputed in double when certified). The winner is the exact nearest neighbour whenever that
 * one is among the candidates; otherwise a slightly farther entry (never, beyond float rounding, a
 * smaller distance than the true one, so scores can only rise, never hide an anomaly).
 *
 * <p><b>Certified winners.</b> The basis is orthonormal, so a projected distance never exceeds the
 * full one: {@code |V^T(q - b)| <= |q - b|}. Every entry that is not a candidate lies at least the
 * c-th candidate's projected distance away in the subspace, hence at least that far in full. When
 * that bound (less a margin for float rounding) is no smaller than the winner's full distance, no
 * other entry can be nearer: the winner is the exact nearest neighbour. {@link #nearest} with
 * {@code certify} reports the queries it cannot certify with index -1, for an exact search of just
 * those. How many it certifies depends on the rank: on KolektorSDD (ResNet50v2, 1536 dims) 12% of
 * patches at rank 64 with 8 candidates, 58% at 128 / 8, 85% at 128 / 16, all but 0.01% at 256 / 16.
 * (Adding the residual norms as one more coordinate, a tighter bound in theory, certified no more.)
 *
 * <p><b>Eight-bit ranking</b> (the fast search): the projected bank is stored as int8 (one scale for
 * the bank), each run's projected queries are quantized to uint8 in the graph
 * ({@code DynamicQuantizeLinear}), and ONNX Runtime's {@code MatMulIntegerToFloat} computes the
 * products with its integer kernels (VNNI/AMX where the CPU has them). The candidates' order is then
 * approximate, so such a search cannot certify and re-ranks all its candidates. Magnetic Tile,
 * rank 64, 4 candidates, runs of 64 queries on one thread: the graph took 13.3-13.4 ms per 1024
 * queries in float and 9.7-10.4 ms in int8, and the exact nearest entry was among the candidates
 * for 97.94% of the patches against 98.17% (scratch benchmark, 8 images). A run's queries share
 * one scale, so a patch's candidates can depend on which patches share its run, and so on the
 * number of cores: Magnetic Tile evaluated within 0.01 point with three shares instead of two.
 * <p>Both rankings find their candidates through groups of entries rather than one TopK over the
 * bank ({@link GroupedTopK}): the same candidates, 0.8-1.1 ms less per image for the 8-bit one.
 */
final class ProjectedBankSearch {
    /** Entries used to estimate the principal subspace (more cost time, barely change it). */
    private static final int SAMPLE = 4096;
    private static final int POWER_ITERATIONS = 3;

    /**
     * Candidates of the certified search's first pass. ONNX Runtime's TopK is several times cheaper
     * for k <= 4 than for 8 or 16 (Magnetic Tile bank, rank 256: 16 ms per image against 26-28 ms),
     * and four candidates already prove ~90% of the winners; the rest go through a second pass with
     * all candidates.
     */
    static final int FIRST_PASS_CANDIDATES = 4;

    private final NearestNeighbours index;
    /** One session per pass: the first keeps {@code min(candidates, FIRST_PASS_CANDIDATES)}, the second all. */
    private final OrtSession[] sessions;
    private final int[] passCandidates;
    private final int rank;
    private final int parts;
    /** Largest squared norm of a projected bank entry (bounds the rounding error of the Gemm). */
    private final float maxProjectedNorm;
    /** Whether candidates are ranked with 8-bit products (approximate: no certificates, no early stop). */
    private final boolean eightBit;
    /** The 8-bit ranking, when {@link #eightBit}. */
    private final EightBitRanking ranking;
    /** How each query's candidates are picked from its scores. */
    private final GroupedTopK top;

    /**
     * @param rank       dimensions of the subspace the candidates are chosen in (capped at the bank's dims)
     * @param candidates entries re-ranked exactly per query (capped at the bank size)
     * @param twoPasses  whether queries first get {@link #FIRST_PASS_CANDIDATES} candidates and only
     *                   those whose winner that does not prove get all (for the certified search)
     * @param threads    shares the queries are split into, each run single-threaded ({@code <= 0}:
     *                   one per core; see {@link QueryShares})
     */
    ProjectedBankSearch(NearestNeighbours index, int rank, int candidates, boolean twoPasses, long seed, int threads)
            throws OrtException {
        this(index, rank, candidates, twoPasses, seed, threads, false);
    }

    /**
     * As {@link #ProjectedBankSearch(NearestNeighbours, int, int, boolean, long, int)}; with
     * {@code eightBit} the candidates are ranked with 8-bit products (see the class comment), which
     * rules out certificates and so two passes.
     */
    ProjectedBankSearch(NearestNeighbours index, int rank, int candidates, boolean twoPasses, long seed, int threads,
            boolean eightBit) throws OrtException {
        if (eightBit && twoPasses) {
            throw new IllegalArgumentException("an 8-bit ranking cannot certify, so it has no second pass");
        }
        this.index = index;
        this.eightBit = eightBit;
        int size = index.size();
        int dim = index.dim();
        this.rank = Math.min(rank, dim);
        int all = Math.min(candidates, size);
        float[] bank = index.bank();
        float[] mean = new float[dim];
        double[] sum = new double[dim];
        for (int m = 0; m < size; m++) {
            for (int k = 0; k < dim; k++) {
                sum[k] += bank[m * dim + k];
            }
        }
        for (int k = 0; k < dim; k++) {
            mean[k] = (float) (sum[k] / size);
        }
        float[][] basis = principalBasis(bank, size, dim, mean, this.rank, new Random(seed));
        float[] flatBasis = flat(basis, this.rank);
        // projected bank, transposed for the Gemm (r x M), and its squared norms
        float[] projected = MatrixProduct.multiply(centred(bank, size, dim, mean), size, dim, flatBasis, this.rank);
        float[] projT = new float[this.rank * size];
        float[] norms = new float[size];
        float maxNorm = 0f;
        for (int m = 0; m < size; m++) {
            double s = 0;
            for (int j = 0; j < this.rank; j++) {
                float v = projected[m * this.rank + j];
                projT[j * size + m] = v;
                s += (double) v * v;
            }
            norms[m] = (float) s;
            maxNorm = Math.max(maxNorm, norms[m]);
        }
        this.maxProjectedNorm = maxNorm;
        this.passCandidates = twoPasses && all > FIRST_PASS_CANDIDATES
                ? new int[] {FIRST_PASS_CANDIDATES, all} : new int[] {all};
        this.parts = threads; // single-threaded sessions, one share of the queries per core (QueryShares)
        this.ranking = eightBit ? new EightBitRanking(projT, norms, this.rank, size) : null;
        this.top = eightBit ? ranking.top() : new GroupedTopK(size);
        this.sessions = new OrtSession[passCandidates.length];
        for (int p = 0; p < passCandidates.length; p++) {
            sessions[p] = Sessions.create(graph(dim, size, mean, flatBasis, projT, norms, passCandidates[p]), 1);
            Sessions.closeWhenUnreachable(this, sessions[p]);
        }
    }

    /** The search graph keeping {@code k} candidates per query. */
    private byte[] graph(int dim, int size, float[] mean, float[] flatBasis, float[] projT, float[] norms, int k) {
        OnnxGraph g = new OnnxGraph("patchcore_projected_search")
                .input("patches", OnnxGraph.FLOAT, "n", (long) dim)
                .initializer("mean", mean, dim)
                .initializer("basis", flatBasis, dim, this.rank)
                .node("Sub", new String[] {"patches", "mean"}, new String[] {"centred"})
                .node("MatMul", new String[] {"centred", "basis"}, new String[] {"projected"});
        if (eightBit) {
            ranking.addTo(g, k);
            return g.toBytes();
        }
        int padded = top.padded();
        g.initializer("bank_t", top.padColumns(projT, this.rank), this.rank, padded)
                .initializer("bank_norm", top.padNorms(norms), padded)
                .node("Gemm", new String[] {"projected", "bank_t", "bank_norm"}, new String[] {"partial"},
                        "alpha", -2f, "beta", 1f);
        top.addTo(g, "partial", k);
        // the projected queries serve the certificates
        return g.output("projected", OnnxGraph.FLOAT, "n", (long) this.rank).toBytes();
    }

    private static float[] centred(float[] rows, int n, int dim, float[] mean) {
        float[] out = new float[n * dim];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < dim; k++) {
                out[i * dim + k] = rows[i * dim + k] - mean[k];
            }
        }
        return out;
    }

    /**
     * An orthonormal basis ({@code dim x rank}, as rows of length rank) of the dominant subspace of
     * the centred entries: randomized subspace iteration Y = X^T X Omega on a seeded sample.
     * Any orthonormal basis gives a valid search (re-ranking is exact); a better one only makes
     * the candidates better.
     */
    static float[][] principalBasis(float[] bank, int size, int dim, float[] mean, int rank, Random random)
            throws OrtException {
        int m = Math.min(size, SAMPLE);
        float[] sample = new float[m * dim];
        int[] pick = new int[size];
        for (int i = 0; i < size; i++) {
            pick[i] = i;
        }
        for (int i = 0; i < m; i++) { // partial Fisher-Yates: m distinct entries
            int j = i + random.nextInt(size - i);
            int t = pick[i];
            pick[i] = pick[j];
            pick[j] = t;
            for (int k = 0; k < dim; k++) {
                sample[i * dim + k] = bank[pick[i] * dim + k] - mean[k];
            }
        }
        float[] sampleT = new float[dim * m];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < dim; k++) {
                sampleT[k * m + i] = sample[i * dim + k];
            }
        }
        float[][] q = GreedyCoreset.projectionMatrix(dim, rank, random);
        orthonormalise(q, dim, rank);
        for (int it = 0; it < POWER_ITERATIONS; it++) {
            // the products through ONNX Runtime: in Java they took 1.2 s of the first image at rank 256
            float[] y = MatrixProduct.multiply(sample, m, dim, flat(q, rank), rank); // m x r
            float[] z = MatrixProduct.multiply(sampleT, dim, m, y, rank); // dim x r
            for (int k = 0; k < dim; k++) {
                q[k] = java.util.Arrays.copyOfRange(z, k * rank, (k + 1) * rank);
            }
            orthonormalise(q, dim, rank);
        }
        return q;
    }

    /** The rows of a {@code rows.length x width} matrix, concatenated. */
    private static float[] flat(float[][] rows, int width) {
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * width, width);
        }
        return out;
    }

    /** Modified Gram-Schmidt on the columns of a dim x rank matrix (in double); dependent columns become random-free zeros. */
    static void orthonormalise(float[][] a, int dim, int rank) {
        double[][] c = new double[rank][dim];
        for (int k = 0; k < dim; k++) {
            for (int j = 0; j < rank; j++) {
                c[j][k] = a[k][j];
            }
        }
        for (int j = 0; j < rank; j++) {
            for (int pass = 0; pass < 2; pass++) { // twice is enough (Kahan)
                for (int i = 0; i < j; i++) {
                    double dot = 0;
                    for (int k = 0; k < dim; k++) {
                        dot += c[i][k] * c[j][k];
                    }
                    for (int k = 0; k < dim; k++) {
                        c[j][k] -= dot * c[i][k];
                    }
                }
            }
            double norm = 0;
            for (int k = 0; k < dim; k++) {
                norm += c[j][k] * c[j][k];
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < dim; k++) {
                c[j][k] = norm > 1e-12 ? c[j][k] / norm : 0;
            }
        }
        for (int k = 0; k < dim; k++) {
            for (int j = 0; j < rank; j++) {
                a[k][j] = (float) c[j][k];
            }
        }
    }

    /** Nearest entry (among each query's candidates) and its exact Euclidean distance. */
    void nearest(float[] queries, int n, int[] nearest, float[] distance) throws OrtException {
        nearest(queries, n, nearest, distance, false);
    }

    /**
     * As {@link #nearest(float[], int, int[], float[])}; with {@code certify}, a query whose winner
     * cannot be proven the exact nearest entry (see the class comment) gets index -1 (its distance
     * is then meaningless) and is left to the caller.
     */
    void nearest(float[] queries, int n, int[] nearest, float[] distance, boolean certify) throws OrtException {
        if (certify && eightBit) {
            throw new IllegalStateException("an 8-bit ranking cannot certify its winners");
        }
        int last = passCandidates.length - 1;
        runPass(0, queries, n, nearest, distance, certify || last > 0);
        if (last == 0) {
            return;
        }
        // the second pass searches only the queries the first could not prove
        MarkedQueries.resolve(queries, n, index.dim(), MarkedQueries.count(nearest, n), nearest, distance,
                (block, m, found, dist) -> runPass(last, block, m, found, dist, certify));
    }

    /** One pass over queries {@code 0..n-1}, split into one share per core. */
    private void runPass(int pass, float[] queries, int n, int[] nearest, float[] distance, boolean certify)
            throws OrtException {
        QueryShares.run(n, index.size(), rank, parts,
                (from, to) -> search(pass, queries, from, to, nearest, distance, certify));
    }

    /**
     * Queries {@code from..to-1}: candidates from one single-threaded graph run, then re-ranking in
     * the candidates' projected order. Re-ranking stops as soon as the winner so far is proven
     * nearest (no later candidate and no other entry can beat it, see {@link #provenNearest}), so
     * the result is the one re-ranking all candidates would give; most patches stop after one or
     * two candidates.
     */
    private void search(int pass, float[] queries, int from, int to, int[] nearest, float[] distance,
            boolean certify) throws OrtException {
        int dim = index.dim();
        int k = top.keptGroups(passCandidates[pass]);
        int c = top.candidates(passCandidates[pass]);
        int n = to - from;
        long[] kept;
        long[] cand;
        float[] values = null;
        float[] projectedQueries = null;
        try (OnnxTensor input = DirectFloats.tensor(queries, from * dim, n, dim);
                OrtSession.Result result = sessions[pass].run(Collections.singletonMap("patches", input))) {
            kept = ((OnnxTensor) result.get(0)).getLongBuffer().array();
            cand = ((OnnxTensor) result.get(1)).getLongBuffer().array();
            if (!eightBit) { // only the certificates use the values and the projected queries
                values = ((OnnxTensor) result.get(2)).getFloatBuffer().array();
                projectedQueries = ((OnnxTensor) result.get(3)).getFloatBuffer().array();
            }
        }
        float[] bank = index.bank();
        RowDistance rows = new RowDistance(dim);
        for (int q = from; q < to; q++) {
            int qo = q * dim;
            int o = (q - from) * c;
            double pq = eightBit ? 0 : squaredNorm(projectedQueries, (q - from) * rank);
            int best = -1;
            float bestD = Float.POSITIVE_INFINITY;
            boolean proven = false;
            rows.query(queries, qo);
            for (int i = 0; i < c && !proven; i++) {
                int e = top.entry(cand[o + i], kept, (q - from) * k, k);
                if (e >= 0) { // not padding
                    float d2 = rows.squaredTo(bank, e * dim);
                    if (d2 < bestD || (d2 == bestD && e < best)) {
                        bestD = d2;
                        best = e;
                    }
                }
                // every entry after candidate i (later candidates, and all others, which score at
                // least as high as the last one: GroupedTopK) is at least values[i + 1] away in
                // projection; 8-bit values are approximate and prove nothing
                proven = !eightBit && provenNearest(pq, values[o + Math.min(i + 1, c - 1)], bestD);
            }
            if (certify && !proven) {
                nearest[q] = -1;
                continue;
            }
            nearest[q] = best;
            // certified winners report brute force's distance (in double); uncertified ones are
            // approximate anyway and keep the re-ranking's float distance (saves a pass over the row)
            distance[q] = certify ? (float) index.distance(queries, qo, best) : (float) Math.sqrt(bestD);
        }
    }

    /** Squared norm of the projected query at {@code offset} (rank values). */
    private double squaredNorm(float[] projectedQueries, int offset) {
        double s = 0;
        for (int j = 0; j < rank; j++) {
            double x = projectedQueries[offset + j];
            s += x * x;
        }
        return s;
    }

    /**
     * Whether no entry whose projected value is at least {@code value} can be nearer than the
     * winner: its projected squared distance ({@code |p_q|^2} plus the graph's
     * {@code |p_b|^2 - 2 p_q.p_b}) is a lower bound for its full squared distance. The margins cover
     * float rounding: of the Gemm (relative to the magnitudes it sums, generously 1e-5 of them), of
     * the basis's orthonormality and of the winner's squared distance (1e-5 each, relative).
     */
    private boolean provenNearest(double pq, float value, float bestSquared) {
        double bound = pq + value;
        double rounding = 1e-5 * (pq + maxProjectedNorm + 2 * Math.sqrt(pq * maxProjectedNorm));
        return (bound - rounding) * (1 - 1e-5) >= bestSquared * (1 + 1e-5);
    }
}
