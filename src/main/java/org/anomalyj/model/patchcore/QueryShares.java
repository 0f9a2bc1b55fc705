package org.anomalyj.model.patchcore;

import ai.onnxruntime.OrtException;
import java.util.stream.IntStream;

/**
 * How the bank searches spread queries over the cores: one contiguous share of the queries per
 * core, each searched on its own thread by single-threaded graph runs of at most
 * {@link #runQueries} queries. The shares are independent, so nothing waits on ONNX Runtime's
 * intra-op thread synchronisation, which stalls badly when the cores are busy with other work;
 * on a quiet machine the split runs were also faster than one two-threaded run (Gemm + TopK of
 * 1024 queries against 7,025 entries: 7.96 against 9.21 ms at 128 dimensions, 6.2 against 7.6 ms
 * at 64, scratch benchmark).
 */
final class QueryShares {
    /** Queries per graph run at most: bounds each run's input buffer. */
    static final int MAX_RUN_QUERIES = 1024;
    /** Fewest queries per graph run, however large the bank: below this the run's fixed cost dominates. */
    static final int MIN_RUN_QUERIES = 16;
    /**
     * Bytes of a run's queries x entries distance matrix at most. The graph writes the matrix and
     * TopK reads it back, so it should stay in a core's L2 cache (4 MB here): with 1,024 queries
     * against 7,025 entries (28 MB) the fast search's head took 18.1-18.6 ms in the bench, with
     * 64 queries (1.8 MB) 13.6-13.7 ms; 128 (3.6 MB) 14.3-14.5, 256 (7.2 MB) 15.4-17.2 (Magnetic
     * Tile, ResNet50v2, 30 warm-up images).
     */
    static final long RUN_MATRIX_BYTES = 2L << 20;
    /** Fewer queries than this per share are not worth a thread of their own. */
    private static final int MIN_SHARE = 64;

    /** One graph run over queries {@code from..to-1}. */
    interface Run {
        void search(int from, int to) throws OrtException;
    }

    private QueryShares() {
    }

    /**
     * Queries per graph run against a bank of {@code entries} x {@code dims}: the largest power of
     * two whose distance matrix fits {@link #RUN_MATRIX_BYTES}, but at least {@code dims / 2}
     * (rounded up to a power of two), within [{@link #MIN_RUN_QUERIES}, {@link #MAX_RUN_QUERIES}].
     * Every run streams the whole (transposed) bank once, {@code dims x entries} floats for its
     * queries, while a distance row that misses the cache costs two passes of {@code entries}
     * floats per query; with fewer than {@code dims / 2} queries per run re-reading the bank costs
     * more than the cache misses it avoids. The fit's neighbour graph of a 35,123 x 1536 bank took
     * 27-30 s in runs of 16 queries against 15-19 s in runs of 1024. So the small runs are for the
     * projected searches (64-256 dims) and narrow embeddings; brute force over 1536 dims keeps
     * 1024.
     */
    static int runQueries(int entries, int dims) {
        long fit = RUN_MATRIX_BYTES / (Float.BYTES * (long) Math.max(1, entries));
        int q = MIN_RUN_QUERIES;
        while (q < MAX_RUN_QUERIES && (q * 2L <= fit || q < dims / 2)) {
            q *= 2;
        }
        return q;
    }

    /**
     * Runs {@code n} queries against a bank of {@code entries} x {@code dims} in {@code parts}
     * shares ({@code <= 0}: one per core), each share in graph runs of {@link #runQueries} queries.
     */
    static void run(int n, int entries, int dims, int parts, Run run) throws OrtException {
        int runQueries = runQueries(entries, dims);
        int wanted = parts > 0 ? parts : Runtime.getRuntime().availableProcessors();
        int shares = Math.max(1, Math.min(wanted, n / MIN_SHARE));
        int per = (n + shares - 1) / shares;
        OrtException[] failure = new OrtException[1];
        IntStream.range(0, shares).parallel().forEach(t -> {
            int from = t * per;
            int to = Math.min(n, from + per);
            try {
                for (int a = from; a < to; a += runQueries) {
                    run.search(a, Math.min(to, a + runQueries));
                }
            } catch (OrtException e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }
}
