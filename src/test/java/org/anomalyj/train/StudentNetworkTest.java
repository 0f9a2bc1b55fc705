package org.anomalyj.train;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.anomalyj.AnomalyJException;
import org.anomalyj.model.stfpm.StudentWeights;
import org.anomalyj.model.stfpm.TeacherGraph;
import org.anomalyj.model.stfpm.TeacherStudentGraph;
import org.junit.Test;

public class StudentNetworkTest {
    static final List<String> LAYERS = Arrays.asList("f1", "f2");

    static float[] randomImages(int n, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * 3 * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    public void prunesToTheRequestedLayersAndListsItsConvolutions() {
        TeacherGraph g = TeacherGraph.parse(TinyTeacher.build(1), LAYERS, "tiny");
        assertEquals(5, g.convolutions().size());
        for (ai.onnx.proto.OnnxMl.NodeProto n : g.nodes()) {
            assertTrue(TeacherGraph.SUPPORTED.contains(n.getOpType())); // GlobalAveragePool pruned
        }
    }

    @Test(expected = AnomalyJException.class)
    public void refusesALayerThatNeedsAnUnsupportedOperator() {
        TeacherGraph.parse(TinyTeacher.build(1), Arrays.asList("pooled"), "tiny");
    }

    @Test
    public void samePaddingIsAsymmetricForStrideTwo() {
        ai.onnx.proto.OnnxMl.NodeProto c1 = TeacherGraph.parse(TinyTeacher.build(1), LAYERS, "tiny").nodes().get(0);
        // 16 px, kernel 3, stride 2: out 8, total pad (8-1)*2+3-16 = 1, all at the end (SAME_UPPER)
        assertArrayEquals(new int[] {0, 0, 1, 1}, TeacherGraph.padding(c1, 16, 16, new long[] {3, 3}));
        // 15 px: out 8, total pad 2: one each side
        assertArrayEquals(new int[] {1, 1, 1, 1}, TeacherGraph.padding(c1, 15, 15, new long[] {3, 3}));
    }

    /**
     * The exported student (batch normalisation folded into the convolutions) run by ONNX Runtime
     * gives the training engine's inference-mode outputs, and the teacher half of the combined
     * graph gives exactly the teacher's outputs.
     */
    @Test
    public void exportedStudentMatchesTheEngineAndTheTeacherHalfIsTheTeacher() throws Exception {
        byte[] teacherOnnx = TinyTeacher.build(3);
        TeacherGraph g = TeacherGraph.parse(teacherOnnx, LAYERS, "tiny");
        Engine engine = TrainingEngine.start(1);
        int n = 2;
        int h = 16;
        int w = 20;
        float[] images = randomImages(n, h, w, 5);
        long[] shape = {n, 3, h, w};
        try (NDManager m = engine.newBaseManager()) {
            StudentNetwork net = new StudentNetwork(g, m, 7);
            // a few training-mode passes move the running statistics away from (0, 1)
            for (int i = 0; i < 3; i++) {
                try (NDManager s = m.newSubManager()) {
                    net.forward(s.create(randomImages(n, h, w, 10 + i), new Shape(shape)).mul(2).add(0.5f), true);
                }
            }
            NDList engineOut = net.forward(m.create(images, new Shape(shape)), false);
            StudentWeights weights = net.exportWeights();
            List<float[]> ort = OrtRunner.run(TeacherStudentGraph.studentOnly(g, weights), "x", images, shape,
                    Arrays.asList(TeacherStudentGraph.studentLayer("f1"), TeacherStudentGraph.studentLayer("f2")));
            for (int l = 0; l < LAYERS.size(); l++) {
                float[] expected = engineOut.get(l).toFloatArray();
                float[] actual = ort.get(l);
                assertEquals(expected.length, actual.length);
                float scale = 0;
                for (float v : expected) {
                    scale = Math.max(scale, Math.abs(v));
                }
                assertTrue("layer output is not trivial", scale > 0.1f);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals("layer " + LAYERS.get(l) + " value " + i, expected[i], actual[i], 1e-4f * scale);
                }
            }
            List<float[]> teacher = OrtRunner.run(teacherOnnx, "x", images, shape, LAYERS);
            List<float[]> combined = OrtRunner.run(TeacherStudentGraph.build(g, weights), "x", images, shape,
                    TeacherStudentGraph.pairedLayers(LAYERS));
            assertArrayEquals(teacher.get(0), combined.get(0), 0f);
            assertArrayEquals(teacher.get(1), combined.get(2), 0f);
            assertArrayEquals(ort.get(1), combined.get(3), 1e-6f);
        }
    }
}
