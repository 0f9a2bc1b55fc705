package org.anomalyj.quant;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.anomalyj.Progress;
import org.anomalyj.onnx.OnnxGraph;
import org.anomalyj.onnx.Tensors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A MobileNetV2-like residual block: the RGB stem Conv(3->8, 3x3) -> Relu = r; r -> Conv(8->8, 1x1)
 * (linear bottleneck) = c; s = Add(r, c), named as graph output "mid" by an Identity (as
 * MobileNetV2's feat_s8) and read by Conv(8->8, 1x1) = d; "feat" = Add(s, d), a graph output read
 * by nothing else (as feat_s16).
 */
public class ResidualBlockQuantizationTest {
    private static final int SIZE = 24;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static byte[] residualBlock(long seed) {
        Random r = new Random(seed);
        OnnxGraph g = new OnnxGraph("residual");
        g.input("x", OnnxGraph.FLOAT, "N", 3L, "H", "W");
        g.initializer("w1", gaussian(r, 8 * 3 * 9, 0.3), 8, 3, 3, 3);
        g.initializer("b1", gaussian(r, 8, 0.1), 8);
        g.initializer("w2", gaussian(r, 8 * 8, 0.3), 8, 8, 1, 1);
        g.initializer("b2", gaussian(r, 8, 0.1), 8);
        g.initializer("w3", gaussian(r, 8 * 8, 0.3), 8, 8, 1, 1);
        g.node("Conv", new String[] {"x", "w1", "b1"}, new String[] {"c1"}, "kernel_shape", new long[] {3, 3},
                "pads", new long[] {1, 1, 1, 1});
        g.node("Relu", new String[] {"c1"}, new String[] {"r"});
        g.node("Conv", new String[] {"r", "w2", "b2"}, new String[] {"c"});
        g.node("Add", new String[] {"r", "c"}, new String[] {"s"});
        g.node("Conv", new String[] {"s", "w3"}, new String[] {"d"});
        g.node("Add", new String[] {"s", "d"}, new String[] {"feat"});
        g.output("feat", OnnxGraph.FLOAT, "N", 8L, "H", "W");
        return g.toBytes();
    }

    private static float[] gaussian(Random r, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * sd);
        }
        return v;
    }

    private static List<float[]> images(int n) {
        List<float[]> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(OrtRun.image(300 + i, SIZE, SIZE, 1.0));
        }
        return l;
    }

    @Test
    public void theInnerAddRunsAsQLinearAddAndTheOutputAddStaysFloat() throws Exception {
        byte[] f = residualBlock(3);
        List<float[]> cal = images(4);
        QuantizedBackbone q = BackboneQuantizer.toInt8(f, "residual", "x", cal, SIZE, SIZE, CalibrationMethod.MINMAX, 1,
                Progress.NONE);
        assertEquals(1, q.report().getAsJsonObject("ops_quantized").get("Add").getAsInt());
        assertEquals(1, q.report().getAsJsonObject("ops_left_float").get("Add").getAsInt());

        // What ONNX Runtime runs: every Conv and the inner Add as integer kernels; the Add that writes the
        // graph output stays a float Add of two DequantizeLinear, so the features get no extra 8-bit rounding.
        Map<String, Integer> optimized = OrtRun.optimizedOpTypes(q.onnx(), tmp.getRoot().toPath());
        assertEquals(optimized.toString(), Integer.valueOf(1), optimized.get("QLinearAdd"));
        assertEquals(optimized.toString(), Integer.valueOf(3), optimized.get("QLinearConv"));
        assertEquals(optimized.toString(), Integer.valueOf(1), optimized.get("Add"));
        assertFalse(optimized.toString(), optimized.containsKey("Conv"));
        OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(q.onnx());
        for (OnnxMl.NodeProto n : m.getGraph().getNodeList()) {
            if (n.getOutputList().contains("feat")) {
                assertEquals("the output's producer", "Add", n.getOpType());
                for (String in : n.getInputList()) {
                    assertEquals(in, "DequantizeLinear", producer(m.getGraph(), in).getOpType());
                }
            }
        }

        // The same error budget as the tiny backbone's test (three weight and a few activation roundings, ~2%).
        for (float[] x : new float[][] {cal.get(0), OrtRun.image(77, SIZE, SIZE, 1.0)}) {
            double e = OrtRun.relativeError(OrtRun.run(f, "x", "feat", x, SIZE, SIZE), OrtRun.run(q.onnx(), "x", "feat", x, SIZE, SIZE));
            assertTrue("feat relative error " + e, e < 0.05);
        }
    }

    @Test
    public void theRgbStemIsPaddedToFourChannelsWithoutChangingTheResult() throws Exception {
        byte[] f = residualBlock(4);
        List<float[]> cal = images(3);
        byte[] padded = rewritten(f, cal, true);
        byte[] unpadded = rewritten(f, cal, false);
        OnnxMl.GraphProto g = OnnxMl.ModelProto.parseFrom(padded).getGraph();
        int pads = 0;
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Pad")) {
                pads++;
                // between the input's QuantizeLinear and DequantizeLinear, padding with the zero point (a real 0)
                assertTrue(n.getInput(0), producer(g, n.getInput(0)).getOpType().equals("QuantizeLinear"));
                assertEquals("x", producer(g, n.getInput(0)).getInput(0));
                assertEquals(producer(g, n.getInput(0)).getInput(2), n.getInput(2));
            }
        }
        assertEquals(1, pads);
        int stemWeights = 0;
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (t.getDataType() == Tensors.INT8 && t.getDimsCount() == 4 && t.getDims(2) == 3) {
                assertEquals(4, t.getDims(1));
                stemWeights++;
            }
        }
        assertEquals(1, stemWeights);
        // the added channel is zero in both the data and the weights: the integer sums are the same
        for (float[] x : new float[][] {cal.get(1), OrtRun.image(78, SIZE, SIZE, 1.0)}) {
            assertArrayEquals(OrtRun.run(unpadded, "x", "feat", x, SIZE, SIZE), OrtRun.run(padded, "x", "feat", x, SIZE, SIZE), 0f);
        }
    }

    private static OnnxMl.NodeProto producer(OnnxMl.GraphProto g, String tensor) {
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            if (n.getOutputList().contains(tensor)) {
                return n;
            }
        }
        throw new AssertionError("no producer of " + tensor);
    }

    /** The graph quantized on the same ranges, with or without the stem's channel padding. */
    private static byte[] rewritten(byte[] f, List<float[]> cal, boolean pad) {
        QuantGraph g = QuantGraph.parse(f, "residual");
        GraphPreparer.prepare(g);
        QdqPlan plan = QdqPlan.of(g);
        int marked = 0;
        for (QdqPlan.WeightOp op : plan.weightOps) {
            marked += op.paddedChannels == 4 ? 1 : 0;
            if (!pad) {
                op.paddedChannels = 0;
            }
        }
        assertEquals("only the 3-channel stem is padded", 1, marked);
        Map<String, ActivationHistogram> stats = BackboneQuantizer.calibrate(g, plan.qdqSource.keySet(), "x", cal, SIZE, SIZE,
                false, 1, Progress.NONE);
        Map<String, float[]> ranges = new HashMap<>();
        stats.forEach((t, h) -> ranges.put(t, h.range(CalibrationMethod.MINMAX)));
        QdqRewriter.rewrite(g, plan, ranges);
        return g.toBytes();
    }
}
