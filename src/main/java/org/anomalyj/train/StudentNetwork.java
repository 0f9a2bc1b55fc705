package org.anomalyj.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.onnx.proto.OnnxMl;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.anomalyj.AnomalyJException;
import org.anomalyj.model.stfpm.StudentWeights;
import org.anomalyj.model.stfpm.TeacherGraph;

/**
 * The STFPM student: the teacher's graph ({@link TeacherGraph}) run as a PyTorch computation
 * through DJL, with fresh convolution weights and a batch normalisation after every convolution.
 * Autograd, the kernels and the optimiser are PyTorch's; this class only walks the graph's nodes
 * in order and calls the matching DJL operator.
 *
 * <p>Why batch normalisation: the shipped backbones have theirs folded into the convolutions
 * (MobileNetV2 converted from TFLite) or never had any (SqueezeNet); a 50-layer student trained
 * from scratch at STFPM's learning rate 0.4 needs it (MobileNetV2 itself was trained with it). It
 * costs nothing at inference: {@link #exportWeights()} folds each normalisation's running
 * statistics into its convolution, so the exported student has exactly the teacher's operators.
 *
 * <p>Parameters live in the manager given at construction; {@link #forward} creates intermediate
 * arrays in the input's manager, so a caller that runs each step in a sub-manager frees them all
 * by closing it. Not thread-safe.
 */
public final class StudentNetwork {
    /** Batch normalisation epsilon (PyTorch's default). */
    public static final float BN_EPSILON = 1e-5f;
    /** DJL momentum convention: running = 0.9 running + 0.1 batch (PyTorch's momentum 0.1). */
    private static final float BN_MOMENTUM = 0.9f;

    private final TeacherGraph graph;
    private final List<OnnxMl.NodeProto> convs;
    private final Map<String, Integer> convIndex = new HashMap<>();
    private final NDArray[] weights;
    private final NDArray[] gammas;
    private final NDArray[] betas;
    private final NDArray[] runningMeans;
    private final NDArray[] runningVars;

    /** A student with He (fan-in) normal weights drawn from {@code seed}, gamma 1, beta 0. */
    public StudentNetwork(TeacherGraph graph, NDManager manager, long seed) {
        this.graph = graph;
        this.convs = graph.convolutions();
        int n = convs.size();
        weights = new NDArray[n];
        gammas = new NDArray[n];
        betas = new NDArray[n];
        runningMeans = new NDArray[n];
        runningVars = new NDArray[n];
        Random random = new Random(seed);
        for (int i = 0; i < n; i++) {
            OnnxMl.NodeProto c = convs.get(i);
            convIndex.put(c.getOutput(0), i);
            long[] s = graph.shape(c.getInput(1));
            int out = (int) s[0];
            int fanIn = (int) (s[1] * s[2] * s[3]);
            weights[i] = manager.create(heNormal(random, out * fanIn, fanIn), new Shape(s));
            gammas[i] = manager.ones(new Shape(out));
            betas[i] = manager.zeros(new Shape(out));
            runningMeans[i] = manager.zeros(new Shape(out));
            runningVars[i] = manager.ones(new Shape(out));
            weights[i].setRequiresGradient(true);
            gammas[i].setRequiresGradient(true);
            betas[i].setRequiresGradient(true);
        }
    }

    /** {@code n} values drawn from N(0, 2 / fanIn) (He initialisation, for layers followed by ReLU). */
    static float[] heNormal(Random random, int n, int fanIn) {
        float[] w = new float[n];
        double std = Math.sqrt(2.0 / fanIn);
        for (int k = 0; k < n; k++) {
            w[k] = (float) (random.nextGaussian() * std);
        }
        return w;
    }

    public TeacherGraph graph() {
        return graph;
    }

    /** Trainable arrays by a stable id ("conv3.weight", "conv3.gamma", ...), for the optimiser. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> p = new LinkedHashMap<>();
        for (int i = 0; i < weights.length; i++) {
            p.put("conv" + i + ".weight", weights[i]);
            p.put("conv" + i + ".gamma", gammas[i]);
            p.put("conv" + i + ".beta", betas[i]);
        }
        return p;
    }

    /**
     * Runs the graph on a batch {@code [N, 3, H, W]} (already normalised as the teacher expects) and
     * returns the output layers in {@link TeacherGraph#outputs()} order. {@code training}: batch
     * statistics (and running statistics updated), else the running statistics.
     */
    public NDList forward(NDArray input, boolean training) {
        Map<String, NDArray> values = new HashMap<>();
        values.put(graph.input(), input);
        for (OnnxMl.NodeProto n : graph.nodes()) {
            values.put(n.getOutput(0), apply(n, values, training));
        }
        NDList out = new NDList();
        for (String o : graph.outputs()) {
            out.add(values.get(o));
        }
        return out;
    }

    private NDArray value(Map<String, NDArray> values, String name, NDArray like) {
        NDArray v = values.get(name);
        if (v != null) {
            return v;
        }
        if (graph.isInitializer(name)) {
            NDArray c = like.getManager().create(graph.floats(name), new Shape(graph.shape(name)));
            values.put(name, c);
            return c;
        }
        throw new AnomalyJException("The teacher graph reads '" + name + "' before any node writes it; the file is damaged.");
    }

    private NDArray apply(OnnxMl.NodeProto n, Map<String, NDArray> values, boolean training) {
        NDArray x = values.get(n.getInput(0));
        switch (n.getOpType()) {
            case "Conv":
                return convolution(n, x, training);
            case "Relu":
                return x.clip(0, Float.MAX_VALUE);
            case "Clip":
                return clip(n, x);
            case "Identity":
                return x;
            case "Add":
                return x.add(value(values, n.getInput(1), x));
            case "Concat": {
                NDList parts = new NDList();
                for (String in : n.getInputList()) {
                    parts.add(value(values, in, x));
                }
                return NDArrays.concat(parts, (int) TeacherGraph.intValue(n, "axis", 1));
            }
            case "MaxPool":
                return maxPool(n, x);
            default:
                throw new IllegalStateException("unsupported operator " + n.getOpType());
        }
    }

    private NDArray convolution(OnnxMl.NodeProto n, NDArray x, boolean training) {
        int i = convIndex.get(n.getOutput(0));
        long[] ws = graph.shape(n.getInput(1));
        long[] kernel = {ws[2], ws[3]};
        Shape shape = x.getShape();
        int[] p = TeacherGraph.padding(n, (int) shape.get(2), (int) shape.get(3), kernel);
        Shape stride = new Shape(TeacherGraph.ints(n, "strides", 1, 1));
        Shape dilation = new Shape(TeacherGraph.ints(n, "dilations", 1, 1));
        int groups = (int) TeacherGraph.intValue(n, "group", 1);
        Shape pad;
        if (p[0] == p[2] && p[1] == p[3]) {
            pad = new Shape(p[0], p[1]);
        } else {
            // asymmetric (TensorFlow "SAME" with stride 2): pad explicitly; order is W left/right, H top/bottom
            x = x.pad(new Shape(p[1], p[3], p[0], p[2]), 0);
            pad = new Shape(0, 0);
        }
        // no bias: the batch normalisation that follows has its own shift (beta)
        NDArray y = Conv2d.conv2d(x, weights[i], null, stride, pad, dilation, groups).singletonOrThrow();
        return BatchNorm.batchNorm(y, runningMeans[i], runningVars[i], gammas[i], betas[i], 1, BN_MOMENTUM,
                BN_EPSILON, training).singletonOrThrow();
    }

    private NDArray clip(OnnxMl.NodeProto n, NDArray x) {
        float lo = -Float.MAX_VALUE;
        float hi = Float.MAX_VALUE;
        if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
            lo = graph.floats(n.getInput(1))[0];
        } else if (TeacherGraph.attribute(n, "min") != null) {
            lo = TeacherGraph.attribute(n, "min").getF();
        }
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            hi = graph.floats(n.getInput(2))[0];
        } else if (TeacherGraph.attribute(n, "max") != null) {
            hi = TeacherGraph.attribute(n, "max").getF();
        }
        return x.clip(lo, hi);
    }

    private static NDArray maxPool(OnnxMl.NodeProto n, NDArray x) {
        long[] kernel = TeacherGraph.ints(n, "kernel_shape");
        Shape shape = x.getShape();
        int[] p = TeacherGraph.padding(n, (int) shape.get(2), (int) shape.get(3), kernel);
        Shape pad;
        if (p[0] == p[2] && p[1] == p[3]) {
            pad = new Shape(p[0], p[1]);
        } else {
            x = x.pad(new Shape(p[1], p[3], p[0], p[2]), -Float.MAX_VALUE);
            pad = new Shape(0, 0);
        }
        boolean ceil = TeacherGraph.intValue(n, "ceil_mode", 0) != 0;
        return Pool.maxPool2d(x, new Shape(kernel), new Shape(TeacherGraph.ints(n, "strides", 1, 1)), pad, ceil);
    }

    /**
     * The inference weights: each convolution with its batch normalisation folded in
     * ({@code w' = w * gamma / sqrt(var + eps)}, {@code b' = beta - mean * gamma / sqrt(var + eps)}).
     */
    public StudentWeights exportWeights() {
        StudentWeights out = new StudentWeights();
        for (int i = 0; i < convs.size(); i++) {
            float[] w = weights[i].toFloatArray();
            float[] g = gammas[i].toFloatArray();
            float[] b = betas[i].toFloatArray();
            float[] m = runningMeans[i].toFloatArray();
            float[] v = runningVars[i].toFloatArray();
            int o = g.length;
            int per = w.length / o;
            float[] folded = new float[w.length];
            float[] bias = new float[o];
            for (int c = 0; c < o; c++) {
                float scale = (float) (g[c] / Math.sqrt(v[c] + BN_EPSILON));
                for (int k = 0; k < per; k++) {
                    folded[c * per + k] = w[c * per + k] * scale;
                }
                bias[c] = b[c] - m[c] * scale;
            }
            out.put(convs.get(i).getInput(1), folded, bias);
        }
        return out;
    }

    /** Every parameter and running statistic by name (for checkpoints). */
    public Map<String, float[]> state() {
        Map<String, float[]> s = new LinkedHashMap<>();
        for (int i = 0; i < convs.size(); i++) {
            s.put("conv" + i + ".weight", weights[i].toFloatArray());
            s.put("conv" + i + ".gamma", gammas[i].toFloatArray());
            s.put("conv" + i + ".beta", betas[i].toFloatArray());
            s.put("conv" + i + ".running_mean", runningMeans[i].toFloatArray());
            s.put("conv" + i + ".running_var", runningVars[i].toFloatArray());
        }
        return s;
    }

    /** Restores {@link #state()}; every array must be present with the same length. */
    public void load(Map<String, float[]> state, String source) {
        String[] kinds = {"weight", "gamma", "beta", "running_mean", "running_var"};
        NDArray[][] arrays = {weights, gammas, betas, runningMeans, runningVars};
        for (int i = 0; i < convs.size(); i++) {
            for (int k = 0; k < kinds.length; k++) {
                String name = "conv" + i + "." + kinds[k];
                float[] v = state.get(name);
                NDArray target = arrays[k][i];
                if (v == null || v.length != target.size()) {
                    throw new AnomalyJException("The checkpoint " + source + " does not fit this student (" + name
                            + " missing or of another size); delete it or train with the teacher and layers it was made with.");
                }
                target.set(v);
            }
        }
    }

    /** Number of trainable values. */
    public long parameterCount() {
        long n = 0;
        for (NDArray p : parameters().values()) {
            n += p.size();
        }
        return n;
    }
}
