package org.anomalyj.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.anomalyj.AnomalyJException;

/**
 * DCAM's attention block on one student layer, used only while training: CBAM's channel branch
 * (the student's feature map average- and max-pooled over positions, one shared two-layer MLP
 * {@code C -> C/r -> C} with ReLU, the two results added, sigmoid) gives a mask {@code a} in (0, 1)
 * per image and channel. It does not change the student's features: it becomes per-channel loss
 * weights {@code w = (floor + a) / mean_c(floor + a)} (mean 1 over channels, so the mask can shift
 * emphasis between channels but never switch one off or shrink the loss as a whole). The block reads
 * the student's features with gradients stopped, so the student is shaped only by the matching terms,
 * and it is never exported (docs/training.md, "DCAM design").
 */
public final class ChannelAttention {
    private final int channels;
    private final float floor;
    private final NDArray w1;
    private final NDArray b1;
    private final NDArray w2;
    private final NDArray b2;

    /**
     * @param reduction hidden width = {@code channels / reduction}, at least 1
     * @param floor     added to the mask before normalising (see the class comment)
     */
    public ChannelAttention(NDManager manager, int channels, int reduction, float floor, Random random) {
        this.channels = channels;
        this.floor = floor;
        int hidden = Math.max(1, channels / reduction);
        w1 = manager.create(StudentNetwork.heNormal(random, hidden * channels, channels), new Shape(channels, hidden));
        b1 = manager.zeros(new Shape(hidden));
        w2 = manager.create(StudentNetwork.heNormal(random, channels * hidden, hidden), new Shape(hidden, channels));
        b2 = manager.zeros(new Shape(channels));
        for (NDArray p : new NDArray[] {w1, b1, w2, b2}) {
            p.setRequiresGradient(true);
        }
    }

    /** The mask {@code a} in (0, 1), shape {@code [N, C]}, of a student feature map {@code [N, C, H, W]}. */
    public NDArray mask(NDArray student) {
        // positions flattened: DJL's PyTorch engine reduces over one axis at a time
        NDArray s = student.stopGradient().reshape(student.getShape().get(0), channels, -1);
        NDArray avg = s.mean(new int[] {2});
        NDArray max = s.max(new int[] {2});
        return Activation.sigmoid(mlp(avg).add(mlp(max)));
    }

    /** Per image and channel loss weights {@code [N, C]}, mean 1 over channels. */
    public NDArray weights(NDArray student) {
        NDArray lifted = mask(student).add(floor);
        return lifted.div(lifted.mean(new int[] {1}, true));
    }

    private NDArray mlp(NDArray pooled) {
        return Activation.relu(pooled.matMul(w1).add(b1)).matMul(w2).add(b2);
    }

    /** Trainable arrays by name, prefixed with {@code prefix}. */
    public Map<String, NDArray> parameters(String prefix) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put(prefix + "w1", w1);
        p.put(prefix + "b1", b1);
        p.put(prefix + "w2", w2);
        p.put(prefix + "b2", b2);
        return p;
    }

    public int channels() {
        return channels;
    }

    /** Copies the values of {@link #parameters} from {@code state}; each must be present with the same size. */
    void load(Map<String, float[]> state, String prefix, String source) {
        for (Map.Entry<String, NDArray> e : parameters(prefix).entrySet()) {
            float[] v = state.get(e.getKey());
            if (v == null || v.length != e.getValue().size()) {
                throw new AnomalyJException("The checkpoint " + source + " does not fit this DCAM attention (" + e.getKey()
                        + " missing or of another size); delete it or train with the settings it was made with.");
            }
            e.getValue().set(v);
        }
    }
}
