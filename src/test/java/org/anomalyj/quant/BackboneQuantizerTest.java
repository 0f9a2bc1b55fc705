package org.anomalyj.quant;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.onnx.OnnxGraph;
import org.anomalyj.onnx.Tensors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class BackboneQuantizerTest {
    private static final int SIZE = 32;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static List<float[]> images(int n, int size) {
        List<float[]> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(OrtRun.image(100 + i, size, size, 1.0));
        }
        return l;
    }

    private static QuantizedBackbone int8(byte[] model, List<float[]> images, int size, CalibrationMethod m) {
        return BackboneQuantizer.toInt8(model, "tiny", TinyBackbone.INPUT, images, size, size, m, 1, Progress.NONE);
    }

    @Test
    public void batchNormFoldingIsExact() throws Exception {
        byte[] f = TinyBackbone.build(1);
        QuantGraph g = QuantGraph.parse(f, "tiny");
        assertEquals(1, GraphPreparer.prepare(g));
        byte[] folded = g.toBytes();
        assertFalse(OrtRun.opTypes(folded).containsKey("BatchNormalization"));
        float[] x = OrtRun.image(7, SIZE, SIZE, 1.0);
        float[] a = OrtRun.run(f, "x", "feat", x, SIZE, SIZE);
        float[] b = OrtRun.run(folded, "x", "feat", x, SIZE, SIZE);
        assertTrue(OrtRun.relativeError(a, b) < 1e-5);
    }

    @Test
    public void int8GraphHasQdqNodesRunsFusedAndStaysCloseToFloat() throws Exception {
        byte[] f = TinyBackbone.build(1);
        List<float[]> cal = images(4, SIZE);
        QuantizedBackbone q = int8(f, cal, SIZE, CalibrationMethod.MINMAX);
        Map<String, Integer> ops = OrtRun.opTypes(q.onnx());
        // x, r1, r2 get Q/DQ (feat is a graph output nobody else reads); 3 weights + 2 biases get DQ
        assertEquals(Integer.valueOf(3), ops.get("QuantizeLinear"));
        assertEquals(Integer.valueOf(8), ops.get("DequantizeLinear"));
        assertEquals(Integer.valueOf(3), ops.get("Conv"));
        assertFalse("Relus are absorbed by zero point 0", ops.containsKey("Relu"));
        assertFalse(ops.containsKey("BatchNormalization"));
        int int8 = 0;
        for (OnnxMl.TensorProto t : OnnxMl.ModelProto.parseFrom(q.onnx()).getGraph().getInitializerList()) {
            assertTrue("no float weight left: " + t.getName(), t.getDataType() != Tensors.FLOAT || t.getDimsCount() <= 1);
            int8 += t.getDataType() == Tensors.INT8 && t.getDimsCount() == 4 ? 1 : 0;
        }
        assertEquals(3, int8);
        assertEquals(3, q.report().getAsJsonObject("ops_quantized").get("Conv").getAsInt());
        assertEquals(2, q.report().get("activations_absorbed").getAsInt());
        // ORT fuses DQ -> Conv -> Q into QLinearConv for the two convs whose output is quantized
        Map<String, Integer> optimized = OrtRun.optimizedOpTypes(q.onnx(), tmp.getRoot().toPath());
        assertEquals(optimized.toString(), Integer.valueOf(2), optimized.get("QLinearConv"));
        // Error bound: 8-bit activations over their min..max (about 8 sd here) round with an RMS of
        // step/sqrt(12) ~ 0.9% of an activation's RMS, int8 weights ~0.5%; three weight and three
        // activation roundings add in quadrature to ~2%: 5% leaves room for unlucky ranges, and a
        // broken scale, zero point or axis gives errors of tens of percent.
        for (float[] x : Arrays.asList(cal.get(0), OrtRun.image(999, SIZE, SIZE, 1.0))) {
            double e = OrtRun.relativeError(OrtRun.run(f, "x", "feat", x, SIZE, SIZE),
                    OrtRun.run(q.onnx(), "x", "feat", x, SIZE, SIZE));
            assertTrue("relative error " + e, e < 0.05);
        }
    }

    @Test
    public void calibrationMethodsGiveDifferentScalesOnASkewedInput() throws Exception {
        byte[] f = TinyBackbone.build(2);
        int size = 64; // 12,288 values per image: one outlier in two images is under 0.01%
        List<float[]> cal = new ArrayList<>();
        float min = Float.POSITIVE_INFINITY;
        for (int i = 0; i < 2; i++) {
            float[] x = new float[3 * size * size];
            java.util.Random r = new java.util.Random(i);
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) (2 * r.nextDouble() - 1);
                min = Math.min(min, x[k]);
            }
            cal.add(x);
        }
        cal.get(1)[77] = 50f;
        float minmax = inputScale(int8(f, cal, size, CalibrationMethod.MINMAX));
        float percentile = inputScale(int8(f, cal, size, CalibrationMethod.PERCENTILE));
        float entropy = inputScale(int8(f, cal, size, CalibrationMethod.ENTROPY));
        assertEquals((50f - min) / 255f, minmax, 1e-6);
        // percentile: the symmetric histogram has bins of w = 50/2048; the 0.01% and 99.99% values lie in the
        // bins holding -1 and 1 and each quantile is its bin's upper edge: lo in [-1, -1 + w], hi in [1, 1 + w],
        // so hi - lo = 2 +- w (a 25x finer step than minmax)
        float w = 50f / 2048;
        assertTrue("percentile scale " + percentile, percentile >= (2f - w) / 255 - 1e-6 && percentile <= (2f + w) / 255 + 1e-6);
        assertTrue("entropy scale " + entropy, entropy < minmax && entropy != percentile);
    }

    /** The scale of the QuantizeLinear that reads the graph input x. */
    private static float inputScale(QuantizedBackbone q) throws Exception {
        OnnxMl.GraphProto g = OnnxMl.ModelProto.parseFrom(q.onnx()).getGraph();
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("QuantizeLinear") && n.getInput(0).equals("x")) {
                for (OnnxMl.TensorProto t : g.getInitializerList()) {
                    if (t.getName().equals(n.getInput(1))) {
                        return Tensors.floats(t)[0];
                    }
                }
            }
        }
        throw new AssertionError("no QuantizeLinear on x");
    }

    /** The tiny graph quantized with the given zero-point form, same calibration ranges. */
    private static byte[] rewritten(byte[] f, List<float[]> cal, boolean explicitZeroPoints) {
        QuantGraph g = QuantGraph.parse(f, "tiny");
        GraphPreparer.prepare(g);
        QdqPlan plan = QdqPlan.of(g);
        Map<String, ActivationHistogram> stats = BackboneQuantizer.calibrate(g, plan.qdqSource.keySet(), TinyBackbone.INPUT,
                cal, SIZE, SIZE, false, 1, Progress.NONE);
        Map<String, float[]> ranges = new java.util.HashMap<>();
        stats.forEach((t, h) -> ranges.put(t, h.range(CalibrationMethod.MINMAX)));
        QdqRewriter.rewrite(g, plan, ranges, explicitZeroPoints);
        return g.toBytes();
    }

    @Test
    public void omittedWeightAndBiasZeroPointsGiveBitIdenticalOutputsInASmallerFile() throws Exception {
        byte[] f = TinyBackbone.build(1);
        List<float[]> cal = images(4, SIZE);
        byte[] explicit = rewritten(f, cal, true);
        byte[] omitted = rewritten(f, cal, false);
        // 3 weights and 2 biases lose their zero-point initializer; the 3 uint8 activation zero points stay
        assertEquals(initializerCount(explicit) - 5, initializerCount(omitted));
        int dqWithZp = 0;
        for (OnnxMl.NodeProto n : OnnxMl.ModelProto.parseFrom(omitted).getGraph().getNodeList()) {
            dqWithZp += n.getOpType().equals("DequantizeLinear") && n.getInputCount() == 3 ? 1 : 0;
        }
        assertEquals(3, dqWithZp);
        assertTrue(omitted.length < explicit.length);
        for (float[] x : Arrays.asList(cal.get(1), OrtRun.image(4242, SIZE, SIZE, 1.0))) {
            float[] a = OrtRun.run(explicit, "x", "feat", x, SIZE, SIZE);
            float[] b = OrtRun.run(omitted, "x", "feat", x, SIZE, SIZE);
            assertArrayEquals(a, b, 0f);
        }
        // and the optimiser still fuses the same QLinearConvs
        assertEquals(OrtRun.optimizedOpTypes(explicit, tmp.newFolder().toPath()).get("QLinearConv"),
                OrtRun.optimizedOpTypes(omitted, tmp.newFolder().toPath()).get("QLinearConv"));
    }

    @Test
    public void generatedNamesAreShortAndTheGraphKeepsItsInputAndOutputNames() throws Exception {
        byte[] q = int8(TinyBackbone.build(1), images(2, SIZE), SIZE, CalibrationMethod.MINMAX).onnx();
        OnnxMl.GraphProto g = OnnxMl.ModelProto.parseFrom(q).getGraph();
        assertEquals("x", g.getInput(0).getName());
        assertEquals("feat", g.getOutput(0).getName());
        java.util.Set<String> original = new java.util.HashSet<>();
        for (OnnxMl.NodeProto n : OnnxMl.ModelProto.parseFrom(TinyBackbone.build(1)).getGraph().getNodeList()) {
            original.addAll(n.getOutputList());
        }
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            for (String o : n.getOutputList()) {
                assertTrue(o, original.contains(o) || o.length() <= 4);
            }
        }
    }

    private static int initializerCount(byte[] onnx) throws Exception {
        return OnnxMl.ModelProto.parseFrom(onnx).getGraph().getInitializerCount();
    }

    @Test
    public void anAlreadyQuantizedModelIsRefused() {
        byte[] q = int8(TinyBackbone.build(1), images(1, SIZE), SIZE, CalibrationMethod.MINMAX).onnx();
        assertEquals("int8", BackboneQuantizer.existingQuantization(q, "q"));
        try {
            int8(q, images(1, SIZE), SIZE, CalibrationMethod.MINMAX);
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("already quantized"));
        }
        byte[] h = BackboneQuantizer.toFp16(TinyBackbone.build(1), "tiny").onnx();
        assertEquals("fp16", BackboneQuantizer.existingQuantization(h, "h"));
    }

    @Test
    public void aConvWithComputedWeightsIsLeftInFloatAndReportedByName() throws Exception {
        OnnxGraph g = new OnnxGraph("computed");
        g.input("x", OnnxGraph.FLOAT, "N", 3L, "H", "W");
        g.initializer("w1", new float[] {1, 2, 3, -1, -2, -3}, 2, 3, 1, 1);
        g.initializer("w2", new float[] {0.5f, -0.5f, 1, 1}, 2, 2, 1, 1);
        g.node("Conv", new String[] {"x", "w1"}, new String[] {"c1"});
        g.node("Relu", new String[] {"w2"}, new String[] {"w2pos"});
        g.node("Conv", new String[] {"c1", "w2pos"}, new String[] {"feat"});
        g.output("feat", OnnxGraph.FLOAT, "N", 2L, "H", "W");
        byte[] f = g.toBytes();
        QuantizedBackbone q = int8(f, images(2, 8), 8, CalibrationMethod.MINMAX);
        assertEquals(1, q.warnings().size());
        assertTrue(q.warnings().get(0), q.warnings().get(0).contains("Conv 'Conv_2'"));
        assertEquals("Conv 'Conv_2'", q.report().getAsJsonArray("unhandled_ops").get(0).getAsString());
        assertEquals(1, q.report().getAsJsonObject("ops_left_float").get("Conv").getAsInt());
        float[] x = OrtRun.image(3, 8, 8, 1.0);
        assertTrue(OrtRun.relativeError(OrtRun.run(f, "x", "feat", x, 8, 8), OrtRun.run(q.onnx(), "x", "feat", x, 8, 8)) < 0.05);
    }

    @Test
    public void fp16KeepsFloatInputsAndOutputsAndStaysClose() throws Exception {
        byte[] f = TinyBackbone.build(1);
        QuantizedBackbone h = BackboneQuantizer.toFp16(f, "tiny");
        OnnxMl.GraphProto g = OnnxMl.ModelProto.parseFrom(h.onnx()).getGraph();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            assertEquals(t.getName(), Tensors.FLOAT16, t.getDataType());
        }
        assertEquals(Integer.valueOf(2), OrtRun.opTypes(h.onnx()).get("Cast"));
        float[] x = OrtRun.image(5, SIZE, SIZE, 1.0);
        // half precision keeps 11 significant bits (relative rounding 2^-11 = 0.05%) per operation
        double e = OrtRun.relativeError(OrtRun.run(f, "x", "feat", x, SIZE, SIZE), OrtRun.run(h.onnx(), "x", "feat", x, SIZE, SIZE));
        assertTrue("relative error " + e, e < 5e-3);
        assertNotNull(h.report().get("precision"));
    }

    @Test
    public void halfConversionRoundsToNearestEven() {
        assertEquals(0x3c00, Half.fromFloat(1f) & 0xffff);
        assertEquals(0xc000, Half.fromFloat(-2f) & 0xffff);
        assertEquals(0x7bff, Half.fromFloat(65504f) & 0xffff);
        assertEquals(0x7c00, Half.fromFloat(1e6f) & 0xffff);
        assertEquals(0x0001, Half.fromFloat(5.9604645e-8f) & 0xffff);
        // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to the even mantissa (1)
        assertEquals(0x3c00, Half.fromFloat(1f + 1f / 2048) & 0xffff);
        assertEquals(0x3c02, Half.fromFloat(1f + 3f / 2048) & 0xffff);
        for (float v : new float[] {0.1f, -3.25f, 1000f, 6.1e-5f}) {
            assertEquals(v, Half.toFloat(Half.fromFloat(v)), Math.abs(v) * 1e-3);
        }
    }
}
