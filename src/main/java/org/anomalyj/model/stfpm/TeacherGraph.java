package org.anomalyj.model.stfpm;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.anomalyj.AnomalyJException;
import org.anomalyj.onnx.Tensors;

/**
 * The teacher backbone's ONNX graph, cut down to the nodes its chosen output layers need. It is the
 * blueprint of the student: the student is the same graph with fresh convolution weights (trained
 * by {@code org.anomalyj.train}), and its export is this graph with the trained weights put in
 * place of the teacher's ({@link TeacherStudentGraph}). Only the operators plain feed-forward CNN
 * backbones use are accepted ({@link #SUPPORTED}); anything else is refused with the operator's
 * name, because the student could not be trained through it.
 */
public final class TeacherGraph {
    /** Operators the student interpreter runs and trains through. */
    public static final Set<String> SUPPORTED = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
            "Conv", "Relu", "Clip", "Identity", "Add", "Concat", "MaxPool")));

    private final OnnxMl.ModelProto model;
    private final String input;
    private final List<String> outputs;
    private final List<OnnxMl.NodeProto> nodes;
    private final Map<String, OnnxMl.TensorProto> initializers;

    private TeacherGraph(OnnxMl.ModelProto model, List<String> outputs, String source) {
        this.model = model;
        OnnxMl.GraphProto g = model.getGraph();
        this.initializers = new LinkedHashMap<>();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        List<String> inputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            if (!initializers.containsKey(v.getName())) {
                inputs.add(v.getName());
            }
        }
        if (inputs.size() != 1) {
            throw new AnomalyJException("The teacher " + source + " has " + inputs.size()
                    + " image inputs; STFPM needs a backbone with exactly one image input.");
        }
        this.input = inputs.get(0);
        this.outputs = Collections.unmodifiableList(new ArrayList<>(outputs));
        this.nodes = Collections.unmodifiableList(prune(g.getNodeList(), outputs, source));
        for (OnnxMl.NodeProto n : nodes) {
            if (!n.getDomain().isEmpty() || !SUPPORTED.contains(n.getOpType())) {
                throw new AnomalyJException("The teacher " + source + " uses the operator " + n.getOpType()
                        + " (" + nodeLabel(n) + "), which the STFPM student cannot be trained through; use a backbone"
                        + " built from " + new java.util.TreeSet<>(SUPPORTED) + " such as the MobileNetV2 or SqueezeNet files.");
            }
            if (n.getOpType().equals("Conv") && !initializers.containsKey(n.getInput(1))) {
                throw new AnomalyJException("The teacher " + source + " has a convolution (" + nodeLabel(n)
                        + ") whose weights are not stored in the file; export the backbone with constant weights.");
            }
        }
    }

    /** Parses {@code onnx} and keeps the nodes that {@code outputs} depend on. */
    public static TeacherGraph parse(byte[] onnx, List<String> outputs, String source) {
        try {
            return new TeacherGraph(OnnxMl.ModelProto.parseFrom(onnx), outputs, source);
        } catch (InvalidProtocolBufferException e) {
            throw new AnomalyJException("The teacher " + source + " is not a readable ONNX model (" + e.getMessage()
                    + "); pass a valid .onnx backbone.", e);
        }
    }

    /** Nodes the outputs need, in the file's (topological) order. */
    private static List<OnnxMl.NodeProto> prune(List<OnnxMl.NodeProto> all, List<String> outputs, String source) {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            for (String o : all.get(i).getOutputList()) {
                producer.put(o, i);
            }
        }
        boolean[] keep = new boolean[all.size()];
        List<String> todo = new ArrayList<>(outputs);
        Set<String> seen = new HashSet<>();
        for (String o : outputs) {
            if (!producer.containsKey(o)) {
                throw new AnomalyJException("The teacher " + source + " has no node producing '" + o
                        + "'; choose layers among its outputs (see its .json sidecar).");
            }
        }
        while (!todo.isEmpty()) {
            String t = todo.remove(todo.size() - 1);
            Integer p = producer.get(t);
            if (p == null || !seen.add(t)) {
                continue;
            }
            keep[p] = true;
            todo.addAll(all.get(p).getInputList());
        }
        List<OnnxMl.NodeProto> kept = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (keep[i]) {
                kept.add(all.get(i));
            }
        }
        return kept;
    }

    public OnnxMl.ModelProto model() {
        return model;
    }

    /** The image input's name. */
    public String input() {
        return input;
    }

    /** The output layers, in the order given. */
    public List<String> outputs() {
        return outputs;
    }

    /** The nodes the outputs need, in topological order. */
    public List<OnnxMl.NodeProto> nodes() {
        return nodes;
    }

    /** The convolution nodes, in order: the student's trainable layers. */
    public List<OnnxMl.NodeProto> convolutions() {
        List<OnnxMl.NodeProto> c = new ArrayList<>();
        for (OnnxMl.NodeProto n : nodes) {
            if (n.getOpType().equals("Conv")) {
                c.add(n);
            }
        }
        return c;
    }

    public boolean isInitializer(String name) {
        return initializers.containsKey(name);
    }

    public OnnxMl.TensorProto initializer(String name) {
        return initializers.get(name);
    }

    public Map<String, OnnxMl.TensorProto> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    /** Dimensions of an initializer. */
    public long[] shape(String name) {
        OnnxMl.TensorProto t = initializers.get(name);
        long[] s = new long[t.getDimsCount()];
        for (int i = 0; i < s.length; i++) {
            s[i] = t.getDims(i);
        }
        return s;
    }

    /** The values of a float initializer (raw_data or float_data). */
    public float[] floats(String name) {
        OnnxMl.TensorProto t = initializers.get(name);
        if (t == null || t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
            throw new AnomalyJException("The teacher's tensor '" + name + "' is not a float constant; use a float32 backbone.");
        }
        return Tensors.floats(t);
    }

    public static OnnxMl.AttributeProto attribute(OnnxMl.NodeProto n, String name) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    public static long[] ints(OnnxMl.NodeProto n, String name, long... fallback) {
        OnnxMl.AttributeProto a = attribute(n, name);
        if (a == null) {
            return fallback;
        }
        long[] v = new long[a.getIntsCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.getInts(i);
        }
        return v;
    }

    public static long intValue(OnnxMl.NodeProto n, String name, long fallback) {
        OnnxMl.AttributeProto a = attribute(n, name);
        return a == null ? fallback : a.getI();
    }

    public static String string(OnnxMl.NodeProto n, String name, String fallback) {
        OnnxMl.AttributeProto a = attribute(n, name);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    /**
     * Padding {top, left, bottom, right} of a Conv or MaxPool node for an input of {@code h x w}:
     * explicit {@code pads}, or computed for {@code auto_pad} SAME_UPPER / SAME_LOWER as ONNX defines
     * it (TensorFlow-converted graphs pad the extra pixel at the end).
     */
    public static int[] padding(OnnxMl.NodeProto n, int h, int w, long[] kernel) {
        String auto = string(n, "auto_pad", "NOTSET");
        long[] strides = ints(n, "strides", 1, 1);
        long[] dilations = ints(n, "dilations", 1, 1);
        if (auto.equals("SAME_UPPER") || auto.equals("SAME_LOWER")) {
            int[] p = new int[4];
            int[] size = {h, w};
            for (int d = 0; d < 2; d++) {
                long s = strides[d];
                long out = (size[d] + s - 1) / s;
                long effective = (kernel[d] - 1) * dilations[d] + 1;
                long total = Math.max(0, (out - 1) * s + effective - size[d]);
                long small = total / 2;
                long big = total - small;
                boolean upper = auto.equals("SAME_UPPER");
                p[d] = (int) (upper ? small : big);
                p[d + 2] = (int) (upper ? big : small);
            }
            return p;
        }
        if (auto.equals("VALID")) {
            return new int[4];
        }
        long[] pads = ints(n, "pads", 0, 0, 0, 0);
        return new int[] {(int) pads[0], (int) pads[1], (int) pads[2], (int) pads[3]};
    }

    /** How a node is named in messages: its name, or (unnamed nodes are common) its first output. */
    private static String nodeLabel(OnnxMl.NodeProto n) {
        return !n.getName().isEmpty() ? "node " + n.getName()
                : n.getOutputCount() > 0 ? "the node computing " + n.getOutput(0) : "an unnamed node";
    }
}
