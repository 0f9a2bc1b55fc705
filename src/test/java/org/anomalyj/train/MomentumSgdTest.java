package org.anomalyj.train;

import static org.junit.Assert.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.Test;

/** The optimiser's update against PyTorch's SGD formula worked out in Java, and against DJL's own SGD. */
public class MomentumSgdTest {
    @Test
    public void followsPyTorchsSgdWithMomentumAndWeightDecay() {
        Engine engine = TrainingEngine.start(1);
        float lr = 0.4f;
        float mu = 0.9f;
        float wd = 1e-4f;
        float[] w0 = {1f, -2f, 0.5f};
        float[][] grads = {{0.1f, 0.2f, -0.3f}, {-0.05f, 0.4f, 0.2f}, {0.3f, -0.1f, 0.0f}};
        // by hand: d = g + wd w; v = mu v + d (v = d first); w -= lr v
        float[] w = w0.clone();
        float[] v = new float[3];
        for (int s = 0; s < grads.length; s++) {
            for (int i = 0; i < 3; i++) {
                float d = grads[s][i] + wd * w[i];
                v[i] = s == 0 ? d : mu * v[i] + d;
                w[i] -= lr * v[i];
            }
        }
        try (NDManager m = engine.newBaseManager()) {
            NDArray ours = m.create(w0, new Shape(3));
            NDArray djl = m.create(w0, new Shape(3));
            MomentumSgd sgd = new MomentumSgd(m, lr, mu, wd);
            Optimizer reference = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(lr)).optMomentum(mu)
                    .optWeightDecays(wd).build();
            for (float[] g : grads) {
                sgd.update("p", ours, m.create(g, new Shape(3)));
                reference.update("p", djl, m.create(g, new Shape(3)));
            }
            assertArrayEquals(w, ours.toFloatArray(), 1e-6f);
            assertArrayEquals("bit for bit DJL's optimiser", djl.toFloatArray(), ours.toFloatArray(), 0f);
        }
    }
}
