package org.anomalyj.quant;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.anomalyj.Progress;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The shared pretrained backbones (skipped when ../shared is absent), at a small input size to stay fast. */
public class RealBackboneQuantizationTest {
    private static final Path DIR = Paths.get("../shared/backbones");
    private static final int SIZE = 64;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] read(String name) throws Exception {
        Path p = DIR.resolve(name);
        Assume.assumeTrue(Files.isRegularFile(p));
        return Files.readAllBytes(p);
    }

    /** Smooth, image-like inputs (sums of sinusoids) in the backbones' normalised range. */
    private static float[] smooth(int seed) {
        float[] x = new float[3 * SIZE * SIZE];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIZE; y++) {
                for (int i = 0; i < SIZE; i++) {
                    x[(c * SIZE + y) * SIZE + i] = (float) (Math.sin(0.2 * i * (seed + 1) + c) * Math.cos(0.13 * y + seed));
                }
            }
        }
        return x;
    }

    @Test
    public void resnetRoundTripsThroughOnnxMlByteForByte() throws Exception {
        byte[] f = read("resnet50v2_imagenet_stage1to3.onnx");
        byte[] again = OnnxMl.ModelProto.parseFrom(f).toByteArray();
        assertArrayEquals(f, again);
        // and the edit path (QuantGraph, which rebuilds the graph) keeps the outputs identical
        byte[] rebuilt = QuantGraph.parse(f, "resnet").toBytes();
        float[] x = smooth(0);
        assertArrayEquals(OrtRun.run(f, "input", "stage2", x, SIZE, SIZE), OrtRun.run(rebuilt, "input", "stage2", x, SIZE, SIZE), 0f);
    }

    @Test
    public void resnetInt8RunsAsQLinearConvAndIsFourTimesSmaller() throws Exception {
        byte[] f = read("resnet50v2_imagenet_stage1to3.onnx");
        List<float[]> cal = new ArrayList<>();
        cal.add(smooth(0));
        cal.add(smooth(1));
        QuantizedBackbone q = BackboneQuantizer.toInt8(f, "resnet", "input", cal, SIZE, SIZE,
                CalibrationMethod.PERCENTILE, 2, Progress.NONE);
        Map<String, Integer> optimized = OrtRun.optimizedOpTypes(q.onnx(), tmp.getRoot().toPath());
        assertEquals(optimized.toString(), Integer.valueOf(43), optimized.get("QLinearConv"));
        assertTrue(q.onnx().length < 0.3 * f.length);
        assertEquals(27, q.report().get("batchnorm_folded").getAsInt());
        // 27 Relus after folded convs and the 13 pre-activation Relus that only feed convs
        assertEquals(40, q.report().get("activations_absorbed").getAsInt());
        assertTrue(q.report().getAsJsonObject("ops_left_float").toString(), !q.report().getAsJsonObject("ops_left_float").has("Relu"));
        // deep 8-bit network on 2 calibration inputs: a broken quantizer gives errors near or above 1
        float[] x = smooth(2);
        double e = OrtRun.relativeError(OrtRun.run(f, "input", "stage3", x, SIZE, SIZE), OrtRun.run(q.onnx(), "input", "stage3", x, SIZE, SIZE));
        assertTrue("relative error " + e, e < 0.25);
    }

    @Test
    public void mobilenetInt8FusesEveryConvAndAddAndIsUnderThreeTenthsOfTheFloatFile() throws Exception {
        byte[] f = read("mobilenetv2_imagenet_features_s8_s16.onnx");
        List<float[]> cal = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[] x = smooth(i);
            cal.add(x);
        }
        QuantizedBackbone q = BackboneQuantizer.toInt8(f, "mobilenet", "t0", cal, SIZE, SIZE,
                CalibrationMethod.ENTROPY, 2, Progress.NONE);
        Map<String, Integer> optimized = OrtRun.optimizedOpTypes(q.onnx(), tmp.getRoot().toPath());
        assertEquals(optimized.toString(), Integer.valueOf(39), optimized.get("QLinearConv"));
        // the 6 inner residual Adds run as QLinearAdd; the 2 that write the features (feat_s8, feat_s16) stay float
        // Adds of DequantizeLinear outputs, so the features get no extra 8-bit rounding
        assertEquals(optimized.toString(), Integer.valueOf(6), optimized.get("QLinearAdd"));
        assertEquals(optimized.toString(), Integer.valueOf(2), optimized.get("Add"));
        assertFalse(optimized.toString(), optimized.containsKey("Conv"));
        assertEquals(1, q.report().get("conv_inputs_channel_padded").getAsInt());
        // the size target; weight/bias zero points and long generated names made it 0.32
        assertTrue(q.onnx().length + " of " + f.length, q.onnx().length < 0.3 * f.length);
        float[] x = smooth(1);
        double e = OrtRun.relativeError(OrtRun.run(f, "t0", "feat_s16", x, SIZE, SIZE), OrtRun.run(q.onnx(), "t0", "feat_s16", x, SIZE, SIZE));
        assertTrue("relative error " + e, e < 0.25);
    }
}
