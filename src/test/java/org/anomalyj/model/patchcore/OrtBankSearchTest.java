package org.anomalyj.model.patchcore;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

/** The ONNX Runtime bank search finds the same nearest entries as the Java search. */
public class OrtBankSearchTest {

    @Test
    public void graphSearchAgreesWithJavaSearch() {
        Random r = new Random(11);
        int size = 700;
        int dim = 384;
        assertTrue("bank large enough to take the graph path",
                (long) size * dim >= MemoryBank.GRAPH_SEARCH_MIN_VALUES);
        float[] bank = new float[size * dim];
        for (int i = 0; i < bank.length; i++) {
            bank[i] = (float) (r.nextGaussian() * 3 + 1);
        }
        int n = 300;
        float[] queries = new float[n * dim];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = (float) (r.nextGaussian() * 3 + 1);
        }
        // a few queries equal to bank entries: distance exactly 0
        System.arraycopy(bank, 5 * dim, queries, 0, dim);
        System.arraycopy(bank, 699 * dim, queries, 7 * dim, dim);

        MemoryBank memory = new MemoryBank(bank, size, dim, 3, null);
        int[] graphIdx = new int[n];
        float[] graphDist = new float[n];
        // this test is about the brute-force graph (the projected searches are tested in ProjectedBankSearchTest)
        ProjectedBankSearchTest.search("brute", memory, queries, n, graphIdx, graphDist);
        int[] javaIdx = new int[n];
        float[] javaDist = new float[n];
        memory.index().nearest(queries, n, javaIdx, javaDist);
        for (int i = 0; i < n; i++) {
            assertEquals("query " + i, javaIdx[i], graphIdx[i]);
            assertEquals("query " + i, javaDist[i], graphDist[i], 1e-5 * Math.max(1, javaDist[i]));
        }
        assertEquals(5, graphIdx[0]);
        assertEquals(0f, graphDist[0], 0f);
        assertEquals(699, graphIdx[7]);
        assertEquals(0f, graphDist[7], 0f);
    }

    @Test
    public void graphReturnsIndicesForABatchOfOne() throws Exception {
        float[] bank = {0, 0, 10, 10, 3, 4};
        OrtBankSearch s = new OrtBankSearch(bank, 3, 2, 1);
        assertEquals(2, s.nearest(new float[] {2.5f, 4.5f}, 1)[0]);
        assertEquals(1, s.nearest(new float[] {9f, 9f}, 1)[0]);
    }
}
