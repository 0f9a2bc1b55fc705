package org.anomalyj.model.patchcore;

import ai.onnxruntime.OrtException;
import java.util.stream.IntStream;

/**
 * How the bank searches spread queries over the cores: one contiguous share of the queries per
 * core, each searched on its own thread by single-threaded graph runs of at most
 * {@link #RUN_QUERIES} queries. The shares are independent, so nothing waits on ONNX Runtime's
 * intra-op thread synchronisation, which stalls badly when the cores are busy with other work;
 * on a quiet machine the split runs were also faster than one two-threaded run (Gemm + TopK of
 * 1024 queries against 7,025 entries: 7.96 against 9.21 ms at 128 dimensions, 6.2 against 7.6 ms
 * at 64, scratch benchmark).
 */
final class QueryShares {
    /** Queries per graph run at most: bounds each run's queries x entries distance matrix and input buffer. */
    static final int RUN_QUERIES = 1024;
    /** Fewer queries than this per share are not worth a thread of their own. */
    private static final int MIN_SHARE = 64;

    /** One graph run over queries {@code from..to-1}. */
    interface Run {
        void search(int from, int to) throws OrtException;
    }

    private QueryShares() {
    }

    /** Runs {@code n} queries in {@code parts} shares ({@code <= 0}: one per core). */
    static void run(int n, int parts, Run run) throws OrtException {
        int wanted = parts > 0 ? parts : Runtime.getRuntime().availableProcessors();
        int shares = Math.max(1, Math.min(wanted, n / MIN_SHARE));
        int per = (n + shares - 1) / shares;
        OrtException[] failure = new OrtException[1];
        IntStream.range(0, shares).parallel().forEach(t -> {
            int from = t * per;
            int to = Math.min(n, from + per);
            try {
                for (int a = from; a < to; a += RUN_QUERIES) {
                    run.search(a, Math.min(to, a + RUN_QUERIES));
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
