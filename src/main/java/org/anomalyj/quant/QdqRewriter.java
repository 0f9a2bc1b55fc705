package org.anomalyj.quant;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.anomalyj.onnx.Tensors;

/**
 * Rewrites a prepared float graph into QDQ form from a {@link QdqPlan} and activation ranges:
 * weights become int8 initializers with per-output-channel symmetric scales (values in
 * -127..127, so the u8 x s8 products cannot saturate), biases int32 with scale
 * activation scale x weight scale, and each planned activation tensor gets
 * QuantizeLinear -> DequantizeLinear (uint8, asymmetric: U8S8, what ORT's x86 kernels run
 * fastest), whose output replaces the tensor for all its readers. Graph outputs stay float: a
 * quantized tensor that is also a graph output (or named as one by an Identity) keeps its float
 * value there, so the features carry no extra 8-bit rounding. A Conv input marked for channel padding
 * ({@link QdqPlan.WeightOp#paddedChannels}) is padded in uint8 between its Q and DQ (with the zero
 * point, i.e. real zeros) and the weights get zero input channels.
 *
 * <p>File size matters for small backbones (MobileNetV2: 0.7 MB of int8 model), so the
 * DequantizeLinear of weights and biases has no zero-point input (optional, and 0 of the input's
 * type by definition: the same arithmetic as an explicit all-zero tensor), and every tensor and
 * node this class adds gets a short counter name ({@code a3q}, {@code w12s}, ...) instead of one
 * derived from the original names. The graph's own tensor names, its inputs and outputs are kept.
 */
final class QdqRewriter {
    private QdqRewriter() {
    }

    /** Scale and zero point of an activation range [lo, hi] (lo <= 0 <= hi) in uint8. */
    static float[] uint8Params(float lo, float hi) {
        lo = Math.min(lo, 0f);
        hi = Math.max(hi, 0f);
        float scale = (hi - lo) / 255f;
        if (!(scale > 1e-12f)) {
            scale = 1e-12f;
        }
        float zp = Math.round(-lo / scale);
        return new float[] {scale, Math.max(0, Math.min(255, zp))};
    }

    /** Per-channel symmetric int8 scales (max |w| / 127 over each slice along {@code axis}); 1 for an all-zero channel. */
    static float[] channelScales(float[] w, long[] dims, int axis) {
        int c = (int) dims[axis];
        long inner = 1;
        for (int k = axis + 1; k < dims.length; k++) {
            inner *= dims[k];
        }
        float[] maxAbs = new float[c];
        for (int i = 0; i < w.length; i++) {
            int ch = (int) ((i / inner) % c);
            maxAbs[ch] = Math.max(maxAbs[ch], Math.abs(w[i]));
        }
        float[] s = new float[c];
        for (int ch = 0; ch < c; ch++) {
            s[ch] = maxAbs[ch] > 0 ? maxAbs[ch] / 127f : 1f;
        }
        return s;
    }

    static byte[] quantizeWeights(float[] w, long[] dims, int axis, float[] scales) {
        int c = (int) dims[axis];
        long inner = 1;
        for (int k = axis + 1; k < dims.length; k++) {
            inner *= dims[k];
        }
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            int ch = (int) ((i / inner) % c);
            long v = Math.round(w[i] / scales[ch]);
            q[i] = (byte) Math.max(-127, Math.min(127, v));
        }
        return q;
    }

    static void rewrite(QuantGraph g, QdqPlan plan, Map<String, float[]> ranges) {
        rewrite(g, plan, ranges, false);
    }

    /**
     * @param explicitZeroPoints also write the all-zero zero-point tensors of weights and biases
     *                           (the form before they were dropped; tests compare both)
     */
    static void rewrite(QuantGraph g, QdqPlan plan, Map<String, float[]> ranges, boolean explicitZeroPoints) {
        Names names = new Names(g);
        List<OnnxMl.NodeProto> out = new ArrayList<>();
        Map<String, float[]> params = new HashMap<>();
        for (String t : plan.qdqSource.keySet()) {
            float[] r = ranges.get(t);
            params.put(t, uint8Params(r[0], r[1]));
        }
        // readers of a quantized tensor read its DequantizeLinear output
        Map<String, String> rename = new HashMap<>();
        Map<String, String> prefix = new HashMap<>();
        for (String t : plan.qdqSource.keySet()) {
            String a = names.prefix("a");
            prefix.put(t, a);
            rename.put(t, a + "d");
        }
        Map<Integer, Map<String, String>> weightRename = new HashMap<>();
        for (QdqPlan.WeightOp op : plan.weightOps) {
            Map<String, String> r = new HashMap<>();
            r.put(op.weight, quantizeWeight(g, op, names.prefix("w"), explicitZeroPoints, out));
            if (op.bias != null) {
                r.put(op.bias, quantizeBias(g, op, params.get(op.activation)[0], names.prefix("b"), explicitZeroPoints, out));
            }
            weightRename.put(op.node, r);
        }
        Map<String, List<String>> bySource = new HashMap<>();
        for (Map.Entry<String, String> e : plan.qdqSource.entrySet()) {
            bySource.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
        }
        java.util.Set<String> outs = g.outputNames();
        // channels to add per padded Conv input (the float weights are still there: unused initializers go at the end)
        Map<String, Integer> padTo = new HashMap<>();
        for (QdqPlan.WeightOp op : plan.weightOps) {
            if (op.paddedChannels > 0) {
                padTo.put(op.activation, op.paddedChannels - (int) g.initializers.get(op.weight).getDims(1));
            }
        }
        Emitter emit = new Emitter(g, bySource, params, prefix, rename, padTo, out);
        for (String in : g.inputs) {
            emit.qdq(in);
        }
        for (int i = 0; i < g.nodes.size(); i++) {
            if (plan.absorbed.contains(i)) {
                continue;
            }
            OnnxMl.NodeProto n = g.nodes.get(i);
            // an Identity that only names a graph output keeps reading the float tensor: no quantization error in the features
            boolean outputAlias = QdqPlan.namesGraphOutput(n, outs);
            n = outputAlias ? n : GraphPreparer.renameInputs(n, rename);
            Map<String, String> w = weightRename.get(i);
            if (w != null) {
                n = GraphPreparer.renameInputs(n, w);
            }
            out.add(n);
            for (String o : n.getOutputList()) {
                emit.qdq(o);
            }
        }
        g.nodes.clear();
        g.nodes.addAll(out);
        g.dropUnusedInitializers();
    }

    /** Writes the QuantizeLinear -> [Pad] -> DequantizeLinear nodes of the tensors quantized from one source. */
    private static final class Emitter {
        private final QuantGraph g;
        private final Map<String, List<String>> bySource;
        private final Map<String, float[]> params;
        private final Map<String, String> prefix;
        private final Map<String, String> rename;
        private final Map<String, Integer> padTo;
        private final List<OnnxMl.NodeProto> out;

        Emitter(QuantGraph g, Map<String, List<String>> bySource, Map<String, float[]> params, Map<String, String> prefix,
                Map<String, String> rename, Map<String, Integer> padTo,
                List<OnnxMl.NodeProto> out) {
            this.g = g;
            this.bySource = bySource;
            this.params = params;
            this.prefix = prefix;
            this.rename = rename;
            this.padTo = padTo;
            this.out = out;
        }

        void qdq(String source) {
            for (String t : bySource.getOrDefault(source, Collections.emptyList())) {
                float[] p = params.get(t);
                String a = prefix.get(t);
                String scale = a + "s";
                String zp = a + "z";
                g.initializers.put(scale, Tensors.floatTensor(scale, new float[] {p[0]}));
                // the uint8 zero point stays: it is not 0 for tensors with negative values, and it sets the type
                g.initializers.put(zp, Tensors.uint8Tensor(zp, new byte[] {(byte) (int) p[1]}));
                Integer pad = padTo.get(t);
                String q = pad == null ? a + "q" : a + "u";
                out.add(QuantGraph.node("QuantizeLinear", a + "Q", Arrays.asList(source, scale, zp), Collections.singletonList(q)));
                if (pad != null) {
                    // NCHW: pads = [begin N, C, H, W, end N, C, H, W]; the pad value is the zero point (real 0)
                    g.initializers.put(a + "p", OnnxMl.TensorProto.newBuilder().setName(a + "p")
                            .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addDims(8)
                            .addAllInt64Data(Arrays.asList(0L, 0L, 0L, 0L, 0L, (long) pad, 0L, 0L)).build());
                    out.add(QuantGraph.node("Pad", a + "P", Arrays.asList(q, a + "p", zp), Collections.singletonList(a + "q")));
                }
                out.add(QuantGraph.node("DequantizeLinear", a + "D", Arrays.asList(a + "q", scale, zp),
                        Collections.singletonList(rename.get(t))));
            }
        }
    }

    /** DequantizeLinear inputs: data and scale, plus an all-zero zero point only if asked for. */
    private static List<String> dqInputs(String data, String scale, String zp, boolean explicitZeroPoint) {
        return explicitZeroPoint ? Arrays.asList(data, scale, zp) : Arrays.asList(data, scale);
    }

    /** Short names for added tensors and nodes: a letter and a counter, skipping any name the graph already uses. */
    private static final class Names {
        private final java.util.Set<String> used = new java.util.HashSet<>();
        private int next;

        Names(QuantGraph g) {
            used.addAll(g.initializers.keySet());
            used.addAll(g.inputs);
            used.addAll(g.outputNames());
            for (OnnxMl.NodeProto n : g.nodes) {
                used.addAll(n.getInputList());
                used.addAll(n.getOutputList());
                used.add(n.getName());
            }
        }

        /** A fresh prefix p: the names p + one letter (s, z, q, d, Q, D, ...) are all unused. */
        String prefix(String letter) {
            while (true) {
                String p = letter + Integer.toString(next++, 36);
                boolean free = true;
                for (String suffix : new String[] {"", "s", "z", "q", "d", "Q", "D", "u", "p", "P"}) {
                    free &= !used.contains(p + suffix);
                }
                if (free) {
                    return p;
                }
            }
        }
    }

    private static long[] dims(OnnxMl.TensorProto t) {
        long[] d = new long[t.getDimsCount()];
        for (int k = 0; k < d.length; k++) {
            d[k] = t.getDims(k);
        }
        return d;
    }

    private static String quantizeWeight(QuantGraph g, QdqPlan.WeightOp op, String base, boolean explicitZeroPoint,
            List<OnnxMl.NodeProto> out) {
        OnnxMl.TensorProto w = g.initializers.get(op.weight);
        long[] dims = dims(w);
        float[] v = Tensors.floats(w);
        if (op.paddedChannels > 0) {
            v = padInputChannels(v, dims, op.paddedChannels);
            dims[1] = op.paddedChannels;
        }
        float[] scales = channelScales(v, dims, op.axis);
        String q = base + "q";
        g.initializers.put(q, Tensors.int8Tensor(q, quantizeWeights(v, dims, op.axis, scales), dims));
        g.initializers.put(base + "s", Tensors.floatTensor(base + "s", scales, scales.length));
        if (explicitZeroPoint) {
            g.initializers.put(base + "z", Tensors.int8Tensor(base + "z", new byte[scales.length], scales.length));
        }
        op.weightScales = scales;
        out.add(QuantGraph.node("DequantizeLinear", base + "D", dqInputs(q, base + "s", base + "z", explicitZeroPoint),
                Collections.singletonList(base + "d"), QuantGraph.intAttr("axis", op.axis)));
        return base + "d";
    }

    /** Conv weights [M, C, kh, kw] -> [M, padded, kh, kw] with zeros in the added input channels. */
    static float[] padInputChannels(float[] w, long[] dims, int padded) {
        int m = (int) dims[0];
        int c = (int) dims[1];
        int k = w.length / (m * c);
        float[] p = new float[m * padded * k];
        for (int o = 0; o < m; o++) {
            System.arraycopy(w, o * c * k, p, o * padded * k, c * k);
        }
        return p;
    }

    private static String quantizeBias(QuantGraph g, QdqPlan.WeightOp op, float inputScale, String base,
            boolean explicitZeroPoint, List<OnnxMl.NodeProto> out) {
        float[] b = Tensors.floats(g.initializers.get(op.bias));
        float[] scales = new float[b.length];
        int[] q = new int[b.length];
        for (int c = 0; c < b.length; c++) {
            scales[c] = inputScale * op.weightScales[c];
            q[c] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, Math.round((double) b[c] / scales[c])));
        }
        g.initializers.put(base + "q", Tensors.int32Tensor(base + "q", q, b.length));
        g.initializers.put(base + "s", Tensors.floatTensor(base + "s", scales, b.length));
        if (explicitZeroPoint) {
            g.initializers.put(base + "z", Tensors.int32Tensor(base + "z", new int[b.length], b.length));
        }
        out.add(QuantGraph.node("DequantizeLinear", base + "D", dqInputs(base + "q", base + "s", base + "z", explicitZeroPoint),
                Collections.singletonList(base + "d"), QuantGraph.intAttr("axis", 0)));
        return base + "d";
    }
}
