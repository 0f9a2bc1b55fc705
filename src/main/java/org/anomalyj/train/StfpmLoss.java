package org.anomalyj.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * STFPM's training loss, as anomalib computes it: per layer, teacher and student features are
 * L2-normalised along channels and {@code 0.5 / (h * w) * sum((t - s)^2)} is taken over the whole
 * batch, positions and channels; the layer losses are summed. The norm is
 * {@code sqrt(sum x^2 + 1e-12)} rather than F.normalize's {@code max(|x|, 1e-12)}: the same for any
 * real feature vector, but with a finite gradient at an all-zero vector (ReLU outputs can be).
 */
public final class StfpmLoss {
    private static final float NORM_EPS_SQUARED = 1e-12f;

    private StfpmLoss() {
    }

    static NDArray normalise(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).add(NORM_EPS_SQUARED).sqrt());
    }

    /** The loss of a batch (a scalar); {@code teacher} and {@code student} hold the same layers in order. */
    public static NDArray loss(NDList teacher, NDList student) {
        NDArray total = null;
        for (int l = 0; l < teacher.size(); l++) {
            NDArray layer = layer(teacher.get(l), student.get(l));
            total = total == null ? layer : total.add(layer);
        }
        return total;
    }

    /**
     * One layer's term, {@code 0.5 / (h w) * sum((t/|t| - s/|s|)^2)} over batch, channels and
     * positions: for unit vectors {@code 0.5 |a - b|^2 = 1 - cos(a, b)}, so this is also the
     * channel-wise cosine distance averaged over positions and summed over the batch.
     */
    public static NDArray layer(NDArray teacher, NDArray student) {
        NDArray t = normalise(teacher);
        NDArray s = normalise(student);
        long h = t.getShape().get(2);
        long w = t.getShape().get(3);
        return t.sub(s).square().sum().mul(0.5f / (h * w));
    }
}
