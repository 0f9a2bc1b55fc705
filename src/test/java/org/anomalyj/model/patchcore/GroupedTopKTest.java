package org.anomalyj.model.patchcore;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.util.Arrays;
import java.util.Collections;
import java.util.Random;
import org.anomalyj.onnx.DirectFloats;
import org.anomalyj.onnx.OnnxGraph;
import org.anomalyj.onnx.Sessions;
import org.junit.Test;

public class GroupedTopKTest {
    /**
     * The candidates picked through groups are the c lowest scores of the whole row, best first,
     * with their values; padding is never picked while real entries remain.
     */
    @Test
    public void picksTheLowestScoresOfTheWholeRow() throws Exception {
        check(1003, 4, false); // 8 groups, the last one short by 5 (padding)
        check(2048, 32, false); // the certified search's second pass
        check(7025, 4, true); // ties: scores on a coarse grid
        check(300, 4, false); // a small bank: one group, a plain TopK
        check(600, 40, false); // 8 groups of 75, 40 kept
    }

    private static void check(int size, int c, boolean ties) throws Exception {
        int n = 50;
        Random r = new Random(size + c);
        GroupedTopK top = new GroupedTopK(size);
        int padded = top.padded();
        float[] scores = new float[n * padded];
        float[] norms = new float[size]; // zero bias: padding gets the pad value only
        float[] pad = top.padNorms(norms);
        for (int q = 0; q < n; q++) {
            for (int e = 0; e < padded; e++) {
                float s = ties ? (float) Math.floor(r.nextGaussian() * 20) : (float) r.nextGaussian();
                scores[q * padded + e] = e < size ? s : pad[e];
            }
        }
        int k = top.keptGroups(c);
        int kept = top.candidates(c);
        assertEquals(Math.min(c, size), kept);
        OnnxGraph g = new OnnxGraph("t").input("scores", OnnxGraph.FLOAT, "n", (long) padded);
        top.addTo(g, "scores", c);
        try (OrtSession session = Sessions.create(g.toBytes(), 1);
                OnnxTensor in = DirectFloats.tensor(scores, 0, n, padded);
                OrtSession.Result result = session.run(Collections.singletonMap("scores", in))) {
            long[] groups = ((OnnxTensor) result.get(0)).getLongBuffer().array();
            long[] best = ((OnnxTensor) result.get(1)).getLongBuffer().array();
            float[] values = ((OnnxTensor) result.get(2)).getFloatBuffer().array();
            for (int q = 0; q < n; q++) {
                float[] row = Arrays.copyOfRange(scores, q * padded, q * padded + size);
                float[] sorted = row.clone();
                Arrays.sort(sorted);
                float[] gotValues = new float[kept];
                for (int i = 0; i < kept; i++) {
                    int e = top.entry(best[q * kept + i], groups, q * k, k);
                    String where = "query " + q + " of " + size + " entries, candidate " + i;
                    assertEquals(where + " is a real entry", true, e >= 0 && e < size);
                    assertEquals(where + ": its value", row[e], values[q * kept + i], 0f);
                    gotValues[i] = values[q * kept + i];
                }
                // the c lowest scores of the row, in order (entries may differ only between ties)
                assertArrayEquals("query " + q + " of " + size + " entries", Arrays.copyOf(sorted, kept), gotValues, 0f);
            }
        }
    }
}
