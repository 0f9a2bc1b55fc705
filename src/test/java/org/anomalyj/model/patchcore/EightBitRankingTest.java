package org.anomalyj.model.patchcore;

import static org.junit.Assert.assertArrayEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.util.Arrays;
import java.util.Collections;
import java.util.Random;
import org.anomalyj.onnx.DirectFloats;
import org.anomalyj.onnx.OnnxGraph;
import org.anomalyj.onnx.Sessions;
import org.junit.Test;

public class EightBitRankingTest {
    /**
     * The grouped ranking keeps the candidates a TopK over the whole bank keeps: the same
     * quantization and 8-bit products, then TopK over all entries, in a reference graph.
     */
    @Test
    public void groupedRankingKeepsTheWholeBanksBestEntries() throws Exception {
        checkAgainstWholeBank(1003, 4, 16); // 8 groups, the last one short by 5
        checkAgainstWholeBank(2048, 6, 64);
        checkAgainstWholeBank(300, 4, 16); // a small bank: one group, a plain TopK
        checkAgainstWholeBank(600, 40, 8); // more candidates than entries in the kept groups' share
    }

    private static void checkAgainstWholeBank(int size, int c, int rank) throws Exception {
        int n = 70;
        Random r = new Random(size);
        float[] projT = new float[rank * size];
        float[] norms = new float[size];
        for (int m = 0; m < size; m++) {
            double s = 0;
            for (int j = 0; j < rank; j++) {
                float v = (float) r.nextGaussian();
                projT[j * size + m] = v;
                s += v * v;
            }
            norms[m] = (float) s;
        }
        float[] projected = new float[n * rank];
        for (int i = 0; i < projected.length; i++) {
            projected[i] = (float) r.nextGaussian();
        }
        EightBitRanking ranking = new EightBitRanking(projT, norms, rank, size);
        int k = ranking.keptGroups(c);
        int kept = ranking.candidates(c);
        OnnxGraph g = new OnnxGraph("grouped").input("projected", OnnxGraph.FLOAT, "n", (long) rank);
        ranking.addTo(g, c);
        long[][] grouped = run(g, projected, n, rank);
        long[][] whole = run(wholeBankTopK(projT, norms, rank, size, kept), projected, n, rank);
        for (int q = 0; q < n; q++) {
            int[] got = new int[kept];
            for (int i = 0; i < kept; i++) {
                got[i] = ranking.entry(grouped[1][q * kept + i], grouped[0], q * k, k);
            }
            int[] expected = new int[kept];
            for (int i = 0; i < kept; i++) {
                expected[i] = (int) whole[0][q * kept + i];
            }
            Arrays.sort(got);
            Arrays.sort(expected);
            assertArrayEquals("query " + q + " of a " + size + "-entry bank", expected, got);
        }
    }

    /** The former ranking: the same 8-bit scores, TopK over every entry. */
    private static OnnxGraph wholeBankTopK(float[] projT, float[] norms, int rank, int size, int c) {
        float max = 0f;
        for (float v : projT) {
            max = Math.max(max, Math.abs(v));
        }
        float scale = max / 127f;
        byte[] codes = new byte[projT.length];
        for (int i = 0; i < projT.length; i++) {
            codes[i] = (byte) Math.round(projT[i] / scale);
        }
        return new OnnxGraph("whole").input("projected", OnnxGraph.FLOAT, "n", (long) rank)
                .initializer("bank_t", codes, rank, size)
                .initializer("bank_scale", new float[] {-2f * scale})
                .initializer("bank_norm", norms, size)
                .initializer("c", new long[] {c}, 1)
                .node("DynamicQuantizeLinear", new String[] {"projected"}, new String[] {"q", "q_scale", "q_zero"})
                .node(OnnxGraph.MICROSOFT, "MatMulIntegerToFloat",
                        new String[] {"q", "bank_t", "q_scale", "bank_scale", "q_zero", "", "bank_norm"},
                        new String[] {"partial"})
                .node("TopK", new String[] {"partial", "c"}, new String[] {"values", "best"}, "axis", 1L,
                        "largest", 0L, "sorted", 1L)
                .output("best", OnnxGraph.INT64, "n", (long) c);
    }

    /** The graph's int64 outputs. */
    private static long[][] run(OnnxGraph g, float[] projected, int n, int rank) throws Exception {
        try (OrtSession session = Sessions.create(g.toBytes(), 1);
                OnnxTensor in = DirectFloats.tensor(projected, 0, n, rank);
                OrtSession.Result result = session.run(Collections.singletonMap("projected", in))) {
            long[][] out = new long[result.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = ((OnnxTensor) result.get(i)).getLongBuffer().array();
            }
            return out;
        }
    }
}
