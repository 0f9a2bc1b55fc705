package org.anomalyj.quant;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.anomalyj.onnx.Tensors;

/**
 * Which nodes of a (prepared, float) graph get int8 weights and which activation tensors get a
 * QuantizeLinear/DequantizeLinear pair: the activation input and the output of every Conv, Gemm
 * and MatMul with a constant weight. A Relu, or a Clip whose minimum is 0, that alone follows such
 * a node is absorbed: the output is quantized with the activation's range (zero point 0), which
 * clips exactly as the activation did, and ONNX Runtime then fuses DQ -> Conv -> Q into one
 * integer kernel. An Add whose two inputs are quantized gets a quantized output too when that
 * output is already quantized for its readers and is not also a graph output (MobileNetV2's inner
 * residual Adds), so that ORT fuses DQ, DQ -> Add -> Q into QLinearAdd instead of leaving a float
 * Add between two DequantizeLinear. A Conv whose quantized input has a channel count that is not a
 * multiple of 4 (an RGB stem) gets that input padded with zero channels (see {@link #paddedChannels}).
 * All other nodes stay in float and are listed.
 */
final class QdqPlan {
    /** A node whose weight (and bias) become integers. */
    static final class WeightOp {
        final int node;
        final String activation;
        final String weight;
        final String bias;
        /** Axis of the weight's output channels (per-channel scales). */
        final int axis;
        /** Filled by the rewriter: the weight's per-channel scales (the bias scales derive from them). */
        float[] weightScales;
        /**
         * Input channels after zero padding, or 0 for none. ONNX Runtime's fast symmetric x86
         * convolution (MLAS ConvSym) needs the input channels to be a multiple of 4; a 3-channel
         * stem falls back to a generic im2col GEMM with K = 27 that ran MobileNetV2's first Conv
         * 1.9x slower than float. Padded to 4 channels (a zero input channel and zero weights,
         * the same sums) it ran 2.3x faster than before.
         */
        int paddedChannels;

        WeightOp(int node, String activation, String weight, String bias, int axis) {
            this.node = node;
            this.activation = activation;
            this.weight = weight;
            this.bias = bias;
            this.axis = axis;
        }
    }

    /** Ops with a constant weight that could be quantized but are not by this quantizer, when met. */
    private static final Set<String> HEAVY = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul", "LSTM", "GRU", "RNN",
            "Einsum", "Attention");

    final List<WeightOp> weightOps = new ArrayList<>();
    /** Quantized tensor -> the tensor its QuantizeLinear reads (itself, or the producer's output for an absorbed activation). */
    final Map<String, String> qdqSource = new LinkedHashMap<>();
    final Set<Integer> absorbed = new LinkedHashSet<>();
    /** Add nodes with two quantized inputs and a quantized output (run as QLinearAdd by ORT). */
    final Set<Integer> quantizedAdds = new LinkedHashSet<>();
    final Map<String, Integer> quantizedOps = new TreeMap<>();
    final Map<String, Integer> floatOps = new TreeMap<>();
    /** Nodes of compute-heavy types left in float, by name, with the reason. */
    final List<String> unhandled = new ArrayList<>();

    static QdqPlan of(QuantGraph g) {
        QdqPlan p = new QdqPlan();
        Map<String, List<Integer>> consumers = g.consumers();
        Set<String> outs = g.outputNames();
        for (int i = 0; i < g.nodes.size(); i++) {
            OnnxMl.NodeProto n = g.nodes.get(i);
            WeightOp op = p.weightOp(g, i, n);
            if (op == null) {
                continue;
            }
            p.weightOps.add(op);
            p.quantizedOps.merge(n.getOpType(), 1, Integer::sum);
            p.qdqSource.putIfAbsent(op.activation, op.activation);
            String out = n.getOutput(0);
            List<Integer> users = consumers.getOrDefault(out, new ArrayList<>());
            if (users.size() == 1 && !outs.contains(out) && absorbable(g, g.nodes.get(users.get(0)))
                    && !outs.contains(g.nodes.get(users.get(0)).getOutput(0))) {
                int a = users.get(0);
                p.absorbed.add(a);
                p.qdqSource.put(g.nodes.get(a).getOutput(0), out);
            } else if (!onlyGraphOutput(g, out, users, outs)) {
                // (a graph output nobody else reads stays float: a QDQ pair there would only add error)
                p.qdqSource.put(out, out);
            }
        }
        // A Relu whose output only feeds quantized ops (e.g. ResNet v2's pre-activation BN -> Relu -> Conv)
        // is absorbed the same way: its QuantizeLinear reads the Relu's input and saturates at zero point 0.
        for (int i = 0; i < g.nodes.size(); i++) {
            OnnxMl.NodeProto n = g.nodes.get(i);
            String out = n.getOutputCount() == 1 ? n.getOutput(0) : null;
            if (p.absorbed.contains(i) || out == null || !out.equals(p.qdqSource.get(out)) || outs.contains(out)
                    || !absorbable(g, n) || !p.onlyQuantizedReaders(g, consumers.get(out), out)) {
                continue;
            }
            p.absorbed.add(i);
            p.qdqSource.put(out, n.getInput(0));
        }
        p.planAdds(g, consumers, outs);
        p.planChannelPadding(g, consumers, outs);
        for (int i = 0; i < g.nodes.size(); i++) {
            OnnxMl.NodeProto n = g.nodes.get(i);
            if (p.absorbed.contains(i) || p.isWeightNode(i) || p.quantizedAdds.contains(i)) {
                continue;
            }
            p.floatOps.merge(n.getOpType(), 1, Integer::sum);
            if (HEAVY.contains(n.getOpType())) {
                p.unhandled.add(n.getOpType() + " '" + n.getName() + "'");
            }
        }
        return p;
    }

    /**
     * An Add of two quantized tensors whose output is quantized already (it feeds quantized ops)
     * gets a quantized output: ORT fuses DQ, DQ -> Add -> Q into QLinearAdd only then. An Add whose
     * output is also a graph output (directly or named by an Identity) stays float: the features
     * must not pass one more 8-bit rounding (measured: MobileNetV2 PatchCore on KolektorSDD lost 4.6
     * points of image AUROC with its two output Adds quantized, for ~1% of the backbone's time).
     * Adds whose output is read in float (ResNet v2's residual stream, which feeds the next Add and a
     * BatchNormalization) are left alone: quantizing that stream is a different trade-off (more
     * error in the features), not a fusion.
     */
    private void planAdds(QuantGraph g, Map<String, List<Integer>> consumers, Set<String> outs) {
        for (int i = 0; i < g.nodes.size(); i++) {
            OnnxMl.NodeProto n = g.nodes.get(i);
            if (!n.getOpType().equals("Add") || n.getInputCount() != 2 || n.getOutputCount() != 1) {
                continue;
            }
            String out = n.getOutput(0);
            boolean quantizedInputs = qdqSource.containsKey(n.getInput(0)) && qdqSource.containsKey(n.getInput(1));
            if (!quantizedInputs || !qdqSource.containsKey(out)
                    || readAsGraphOutput(g, out, consumers.getOrDefault(out, new ArrayList<>()), outs)) {
                continue;
            }
            qdqSource.putIfAbsent(out, out);
            quantizedAdds.add(i);
            quantizedOps.merge("Add", 1, Integer::sum);
        }
    }

    /**
     * Marks 2-D Convs (group 1) whose quantized input has a channel count that is not a multiple of
     * 4 for zero padding up to the next multiple, when that Conv is the input's only reader (the
     * padding is applied to the input's DequantizeLinear, which all readers share).
     */
    private void planChannelPadding(QuantGraph g, Map<String, List<Integer>> consumers, Set<String> outs) {
        if (g.opset() < 11) {
            return; // Pad takes its pads as an input from opset 11 on
        }
        for (WeightOp op : weightOps) {
            OnnxMl.NodeProto n = g.nodes.get(op.node);
            OnnxMl.TensorProto w = g.initializers.get(op.weight);
            if (!n.getOpType().equals("Conv") || w.getDimsCount() != 4 || QuantGraph.intAttribute(n, "group", 1) != 1
                    || w.getDims(1) % 4 == 0 || outs.contains(op.activation)
                    || consumers.getOrDefault(op.activation, new ArrayList<>()).size() != 1) {
                continue;
            }
            op.paddedChannels = (int) ((w.getDims(1) + 3) / 4 * 4);
        }
    }

    /**
     * Whether {@code tensor} is a graph output and read by nothing else: no reader, or only
     * Identity nodes that name graph outputs (GraphPreparer keeps those).
     */
    private static boolean onlyGraphOutput(QuantGraph g, String tensor, List<Integer> readers, Set<String> outs) {
        for (int r : readers) {
            if (!namesGraphOutput(g.nodes.get(r), outs)) {
                return false;
            }
        }
        return outs.contains(tensor) || !readers.isEmpty();
    }

    /** Whether {@code tensor} is a graph output or read by an Identity that names one. */
    private static boolean readAsGraphOutput(QuantGraph g, String tensor, List<Integer> readers, Set<String> outs) {
        if (outs.contains(tensor)) {
            return true;
        }
        for (int r : readers) {
            if (namesGraphOutput(g.nodes.get(r), outs)) {
                return true;
            }
        }
        return false;
    }

    /** An Identity whose output is a graph output: it only gives the tensor its output name. */
    static boolean namesGraphOutput(OnnxMl.NodeProto n, Set<String> outs) {
        return n.getOpType().equals("Identity") && outs.contains(n.getOutput(0));
    }

    /** Whether every reader of {@code tensor} is a quantized op reading it as its activation. */
    private boolean onlyQuantizedReaders(QuantGraph g, List<Integer> readers, String tensor) {
        if (readers == null || readers.isEmpty()) {
            return false;
        }
        for (int r : readers) {
            boolean ok = false;
            for (WeightOp w : weightOps) {
                ok |= w.node == r && w.activation.equals(tensor);
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private boolean isWeightNode(int i) {
        for (WeightOp w : weightOps) {
            if (w.node == i) {
                return true;
            }
        }
        return false;
    }

    private WeightOp weightOp(QuantGraph g, int i, OnnxMl.NodeProto n) {
        String op = n.getOpType();
        if (op.equals("Conv")) {
            if (n.getInputCount() < 2 || !isFloatConstant(g, n.getInput(1)) || g.initializers.containsKey(n.getInput(0))
                    || (n.getInputCount() > 2 && !n.getInput(2).isEmpty() && !isFloatConstant(g, n.getInput(2)))) {
                return null;
            }
            return new WeightOp(i, n.getInput(0), n.getInput(1), n.getInputCount() > 2 && !n.getInput(2).isEmpty()
                    ? n.getInput(2) : null, 0);
        }
        if (op.equals("Gemm")) {
            boolean plain = QuantGraph.floatAttribute(n, "alpha", 1f) == 1f && QuantGraph.floatAttribute(n, "beta", 1f) == 1f
                    && QuantGraph.intAttribute(n, "transA", 0) == 0;
            if (!plain || !isFloatConstant(g, n.getInput(1)) || g.initializers.containsKey(n.getInput(0))
                    || (n.getInputCount() > 2 && !isFloatConstant(g, n.getInput(2)))
                    || (n.getInputCount() > 2 && g.initializers.get(n.getInput(2)).getDimsCount() != 1)) {
                return null;
            }
            int axis = QuantGraph.intAttribute(n, "transB", 0) == 1 ? 0 : 1;
            return new WeightOp(i, n.getInput(0), n.getInput(1), n.getInputCount() > 2 ? n.getInput(2) : null, axis);
        }
        if (op.equals("MatMul")) {
            if (!isFloatConstant(g, n.getInput(1)) || g.initializers.get(n.getInput(1)).getDimsCount() != 2
                    || g.initializers.containsKey(n.getInput(0))) {
                return null;
            }
            return new WeightOp(i, n.getInput(0), n.getInput(1), null, 1);
        }
        return null;
    }

    private static boolean isFloatConstant(QuantGraph g, String name) {
        OnnxMl.TensorProto t = g.initializers.get(name);
        return t != null && t.getDataType() == Tensors.FLOAT;
    }

    /** Relu, or Clip with a constant minimum of exactly 0: saturating at zero point 0 does the same. */
    private static boolean absorbable(QuantGraph g, OnnxMl.NodeProto a) {
        if (a.getOpType().equals("Relu")) {
            return true;
        }
        if (!a.getOpType().equals("Clip")) {
            return false;
        }
        if (a.getInputCount() >= 2 && !a.getInput(1).isEmpty()) {
            OnnxMl.TensorProto lo = g.initializers.get(a.getInput(1));
            if (lo == null || lo.getDataType() != Tensors.FLOAT || Tensors.floats(lo)[0] != 0f) {
                return false;
            }
            // an upper bound must be constant too (its clipping is kept by the calibrated range, which never exceeds it)
            return a.getInputCount() < 3 || a.getInput(2).isEmpty() || g.initializers.containsKey(a.getInput(2));
        }
        return QuantGraph.attribute(a, "min") != null && QuantGraph.floatAttribute(a, "min", -1f) == 0f;
    }
}
