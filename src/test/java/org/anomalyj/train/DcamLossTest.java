package org.anomalyj.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.anomalyj.model.stfpm.DcamConfig;
import org.junit.Test;

/** DCAM's loss on small tensors whose values are worked out by hand, and its attention block. */
public class DcamLossTest {
    private static final double LN3 = Math.log(3);

    private static NDManager manager() {
        return TrainingEngine.start(1).newBaseManager();
    }

    @Test
    public void spatialKlOfTwoPositionsMatchesTheClosedForm() {
        try (NDManager m = manager()) {
            // teacher softmax over two positions of (0, ln 3) = (1/4, 3/4); student (0, 0) = (1/2, 1/2)
            NDArray t = m.create(new float[] {0f, (float) LN3}, new Shape(1, 1, 1, 2));
            NDArray s = m.zeros(new Shape(1, 1, 1, 2));
            double kl = 0.25 * Math.log(0.25 / 0.5) + 0.75 * Math.log(0.75 / 0.5); // 0.130812
            assertEquals(kl, DcamLoss.spatialKl(t, s, 1f).getFloat(), 1e-6);
            // T = 2: teacher (0, ln3 / 2) -> (1, sqrt 3) / (1 + sqrt 3); times T^2 = 4
            double p = 1 / (1 + Math.sqrt(3));
            double kl2 = 4 * (p * Math.log(p / 0.5) + (1 - p) * Math.log((1 - p) / 0.5));
            assertEquals(kl2, DcamLoss.spatialKl(t, s, 2f).getFloat(), 1e-6);
            // identical maps: zero; a constant shift of the student is invisible to the softmax
            assertEquals(0, DcamLoss.spatialKl(t, t.add(5f), 1f).getFloat(), 1e-6);
        }
    }

    @Test
    public void spatialKlIsPerImageAndChannel() {
        try (NDManager m = manager()) {
            // image 0 channel 0 as above, image 0 channel 1 identical maps, image 1 channel 0 roles swapped
            NDArray t = m.create(new float[] {0, (float) LN3, 1, 2, 0, 0, 4, 4}, new Shape(2, 2, 1, 2));
            NDArray s = m.create(new float[] {0, 0, 1, 2, 0, (float) LN3, 4, 4}, new Shape(2, 2, 1, 2));
            float[] kl = DcamLoss.spatialKl(t, s, 1f).toFloatArray();
            assertEquals(Arrays.toString(kl), 4, kl.length);
            assertEquals(0.25 * Math.log(0.5) + 0.75 * Math.log(1.5), kl[0], 1e-6);
            assertEquals(0, kl[1], 1e-6);
            // KL((1/2, 1/2) || (1/4, 3/4)) = 0.5 ln 2 + 0.5 ln(2/3)
            assertEquals(0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3), kl[2], 1e-6);
            assertEquals(0, kl[3], 1e-6);
        }
    }

    @Test
    public void cosineTermIsOneMinusCosineAveragedOverPositions() {
        try (NDManager m = manager()) {
            // position 0: (1, 0) vs (1, 1): 1 - 1/sqrt2; position 1: (0, 2) vs (0, 3): 0 (scale does not matter)
            NDArray t = m.create(new float[] {1, 0, 0, 2}, new Shape(1, 2, 1, 2));
            NDArray s = m.create(new float[] {1, 0, 1, 3}, new Shape(1, 2, 1, 2));
            double expected = ((1 - 1 / Math.sqrt(2)) + 0) / 2;
            assertEquals(expected, StfpmLoss.layer(t, s).getFloat(), 1e-6);
        }
    }

    @Test
    public void lossWeighsKlByTheAttentionAndAddsTheCosineTerm() {
        try (NDManager m = manager()) {
            // one image, two channels, two positions: channel 0 the (0, ln3) vs (0, 0) case, channel 1 (0, 0) vs (0, ln3)
            NDArray t = m.create(new float[] {0, (float) LN3, 0, 0}, new Shape(1, 2, 1, 2));
            NDArray s = m.create(new float[] {0, 0, 0, (float) LN3}, new Shape(1, 2, 1, 2));
            double kl0 = 0.25 * Math.log(0.5) + 0.75 * Math.log(1.5);
            double kl1 = 0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3);
            // position 0: teacher (0, 0) and student (0, 0) both normalise to the zero vector: 0.5 |0 - 0|^2 = 0
            // p1 t=(ln3, 0) s=(0, ln3): orthogonal, 1 - 0 = 1; mean over the 2 positions = 0.5
            double cos = 0.5;
            DcamConfig c = new DcamConfig();
            c.klWeight = 2f;
            c.cosineWeight = 3f;
            NDArray w = m.create(new float[] {1.5f, 0.5f}, new Shape(1, 2));
            double expected = 3 * cos + 2 * (1.5 * kl0 + 0.5 * kl1) / 2;
            assertEquals(expected, DcamLoss.loss(new NDList(t), new NDList(s), Arrays.asList(w), c).getFloat(), 1e-5);
            // without weights: a plain mean over channels
            assertEquals(3 * cos + 2 * (kl0 + kl1) / 2, DcamLoss.loss(new NDList(t), new NDList(s), null, c).getFloat(), 1e-5);
        }
    }

    @Test
    public void attentionWeightsHaveMeanOneAndBoundedRatio() {
        try (NDManager m = manager()) {
            ChannelAttention a = new ChannelAttention(m, 32, 4, 0.5f, new Random(3));
            Random r = new Random(4);
            float[] x = new float[2 * 32 * 5 * 5];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (10 * r.nextGaussian()); // large inputs push the sigmoid towards 0 and 1
            }
            float[] w = a.weights(m.create(x, new Shape(2, 32, 5, 5))).toFloatArray();
            assertEquals(64, w.length);
            for (int img = 0; img < 2; img++) {
                double sum = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = 0;
                for (int c = 0; c < 32; c++) {
                    float v = w[img * 32 + c];
                    sum += v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                assertEquals(1, sum / 32, 1e-5);
                assertTrue("ratio " + max / min, max / min < 3 + 1e-5);
                assertTrue("the mask should not be constant here: " + min + ".." + max, max - min > 0.05);
            }
        }
    }

    @Test
    public void attentionParametersGetGradientsButTheStudentOnlyThroughTheMatchingTerms() {
        Engine engine = TrainingEngine.start(1);
        try (NDManager m = engine.newBaseManager()) {
            DistillationObjective dcam = DistillationObjective.dcam(new DcamConfig());
            dcam.initialise(m, new int[][] {{4, 3, 3}}, 7);
            Map<String, NDArray> p = dcam.parameters();
            assertEquals(4, p.size()); // w1, b1, w2, b2 of the one layer's block
            Random r = new Random(5);
            float[] tv = new float[2 * 4 * 9];
            float[] sv = new float[tv.length];
            for (int i = 0; i < tv.length; i++) {
                tv[i] = (float) r.nextGaussian();
                sv[i] = (float) r.nextGaussian();
            }
            NDArray t = m.create(tv, new Shape(2, 4, 3, 3));
            NDArray s = m.create(sv, new Shape(2, 4, 3, 3));
            s.setRequiresGradient(true);
            try (GradientCollector g = engine.newGradientCollector()) {
                g.backward(dcam.loss(new NDList(t), new NDList(s)));
            }
            for (Map.Entry<String, NDArray> e : p.entrySet()) {
                if (e.getKey().endsWith("w1") || e.getKey().endsWith("w2")) {
                    assertTrue(e.getKey() + " has no gradient", e.getValue().getGradient().abs().sum().getFloat() > 0);
                }
            }
            // the block reads the student with gradients stopped: the student's gradient is the one with
            // the weights taken as constants (computed from a copy that is not part of the graph)
            ChannelAttention block = new ChannelAttention(m, 4, 16, 0.5f, new Random(8));
            NDArray s1 = m.create(sv, new Shape(2, 4, 3, 3));
            s1.setRequiresGradient(true);
            try (GradientCollector g = engine.newGradientCollector()) {
                g.backward(DcamLoss.loss(new NDList(t), new NDList(s1), Arrays.asList(block.weights(s1)), new DcamConfig()));
            }
            NDArray constant = block.weights(m.create(sv, new Shape(2, 4, 3, 3)));
            NDArray s2 = m.create(sv, new Shape(2, 4, 3, 3));
            s2.setRequiresGradient(true);
            try (GradientCollector g = engine.newGradientCollector()) {
                g.backward(DcamLoss.loss(new NDList(t), new NDList(s2), Arrays.asList(constant), new DcamConfig()));
            }
            float[] g1 = s1.getGradient().toFloatArray();
            float[] g2 = s2.getGradient().toFloatArray();
            assertTrue(s1.getGradient().abs().sum().getFloat() > 0);
            for (int i = 0; i < g1.length; i++) {
                assertEquals(g2[i], g1[i], 1e-6);
            }
            assertTrue(DistillationObjective.stfpm().parameters().isEmpty());
        }
    }
}
