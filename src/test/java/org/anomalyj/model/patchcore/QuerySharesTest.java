package org.anomalyj.model.patchcore;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.Test;

/** The shares cover every query exactly once, in runs whose distance matrix stays within its bound. */
public class QuerySharesTest {

    @Test
    public void everyQueryIsSearchedOnceInBoundedRuns() throws Exception {
        for (int n : new int[] {1, 63, 64, 129, 1024, 2049, 5000}) {
            for (int parts : new int[] {0, 1, 2, 3}) {
                for (int entries : new int[] {10, 7025, 1_000_000}) {
                    everyQueryOnce(n, entries, 64, parts);
                }
                everyQueryOnce(n, 7025, 1536, parts);
            }
        }
    }

    @Test
    public void runsKeepTheirDistanceMatrixWithinTheBoundUnlessTheBankIsWide() {
        assertEquals(QueryShares.MAX_RUN_QUERIES, QueryShares.runQueries(10, 64));
        assertEquals(64, QueryShares.runQueries(7025, 64)); // 64 x 7,025 floats = 1.8 MB; 128 would be 3.6 MB
        assertEquals(QueryShares.MIN_RUN_QUERIES, QueryShares.runQueries(1_000_000, 16));
        assertEquals(32, QueryShares.runQueries(1_000_000, 64)); // not below dims / 2
        assertEquals(128, QueryShares.runQueries(7025, 256)); // at least dims / 2
        assertEquals(QueryShares.MAX_RUN_QUERIES, QueryShares.runQueries(35_123, 1536));
        for (int dims : new int[] {1, 64, 128, 256, 1536, 4096}) {
            for (int entries = 1; entries < 200_000; entries = entries * 3 + 1) {
                int q = QueryShares.runQueries(entries, dims);
                String at = entries + " x " + dims + ": " + q;
                assertEquals(at, 0, q & (q - 1)); // a power of two
                assertTrue(at, q >= QueryShares.MIN_RUN_QUERIES && q <= QueryShares.MAX_RUN_QUERIES);
                boolean fits = (long) q * entries * Float.BYTES <= QueryShares.RUN_MATRIX_BYTES;
                assertTrue(at, fits || q == QueryShares.MIN_RUN_QUERIES || q / 2 < dims / 2);
                assertTrue(at, q == QueryShares.MAX_RUN_QUERIES || q >= dims / 2);
                assertTrue(at, q == QueryShares.MAX_RUN_QUERIES // the largest such
                        || 2L * q * entries * Float.BYTES > QueryShares.RUN_MATRIX_BYTES);
            }
        }
    }

    private static void everyQueryOnce(int n, int entries, int dims, int parts) throws Exception {
        int runQueries = QueryShares.runQueries(entries, dims);
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        QueryShares.run(n, entries, dims, parts, (from, to) -> {
            assertTrue(from < to && to - from <= runQueries);
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals("n " + n + " entries " + entries + " parts " + parts + " query " + i, 1, seen.get(i));
        }
    }
}
