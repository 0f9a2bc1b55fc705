package org.anomalyj.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD with momentum and weight decay, PyTorch's update ({@code torch.optim.SGD}, no dampening, no
 * Nesterov) as DJL's SGD runs it: its native kernel, {@code s = momentum * s + lr * (g + wd * w);
 * w -= s} (s starts at zero, so s = lr * v of PyTorch's formulation). The only difference to DJL's
 * {@code Sgd}: the state s is held here, so it can be checkpointed and a resumed run continues
 * with the momentum an uninterrupted one would have (DJL keeps it private, so a resume restarted
 * from zero). Same kernel, same state: the same numbers as DJL's optimiser, step for step.
 */
final class MomentumSgd {
    /** Checkpoint names of the velocities: {@code momentum/<parameter>}. */
    static final String PREFIX = "momentum/";

    private final NDManager manager;
    private final float learningRate;
    private final float momentum;
    private final float weightDecay;
    private final Map<String, NDArray> velocity = new LinkedHashMap<>();

    /** @param manager owns the velocities (lives as long as the training) */
    MomentumSgd(NDManager manager, float learningRate, float momentum, float weightDecay) {
        this.manager = manager;
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /** One step for one parameter; {@code gradient} is not changed (the kernel works on a copy). */
    void update(String name, NDArray weight, NDArray gradient) {
        NDArray s = velocity.get(name);
        if (s == null) {
            s = weight.zerosLike();
            s.attach(manager);
            velocity.put(name, s);
        }
        // DJL's defaults: no gradient rescaling (1), no clipping (-1)
        weight.getNDArrayInternal().sgdUpdate(new NDList(weight, gradient, s), new NDList(weight), learningRate,
                weightDecay, 1f, -1f, momentum, true);
    }

    /** The momentum states as checkpoint arrays ({@link #PREFIX} + parameter name). */
    Map<String, float[]> state() {
        Map<String, float[]> s = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : velocity.entrySet()) {
            s.put(PREFIX + e.getKey(), e.getValue().toFloatArray());
        }
        return s;
    }

    /** Checkpoint names the velocities of these parameters would have. */
    static Iterable<String> names(Iterable<String> parameters) {
        java.util.List<String> n = new java.util.ArrayList<>();
        for (String p : parameters) {
            n.add(PREFIX + p);
        }
        return n;
    }

    /**
     * Restores the velocities found in {@code arrays} (a checkpoint written before they were
     * saved has none: those parameters start from zero momentum, as a fresh run does).
     */
    void load(Map<String, float[]> arrays, Map<String, NDArray> parameters) {
        for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
            float[] v = arrays.get(PREFIX + p.getKey());
            if (v != null && v.length == p.getValue().size()) {
                velocity.put(p.getKey(), manager.create(v, p.getValue().getShape()));
            }
        }
    }
}
