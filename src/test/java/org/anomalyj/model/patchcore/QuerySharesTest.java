package org.anomalyj.model.patchcore;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.Test;

/** The shares cover every query exactly once, in runs no longer than RUN_QUERIES. */
public class QuerySharesTest {

    @Test
    public void everyQueryIsSearchedOnceInBoundedRuns() throws Exception {
        for (int n : new int[] {1, 63, 64, 129, 1024, 2049, 5000}) {
            for (int parts : new int[] {0, 1, 2, 3}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(n);
                QueryShares.run(n, parts, (from, to) -> {
                    assertTrue(from < to && to - from <= QueryShares.RUN_QUERIES);
                    for (int i = from; i < to; i++) {
                        seen.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals("n " + n + " parts " + parts + " query " + i, 1, seen.get(i));
                }
            }
        }
    }
}
