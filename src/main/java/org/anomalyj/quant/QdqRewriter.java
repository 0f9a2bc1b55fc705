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
 * fastest), whose output replaces the tensor for all its readers. Graph outputs stay float.
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
        List<OnnxMl.NodeProto> out = new ArrayList<>();
        Map<String, float[]> params = new HashMap<>();
        for (String t : plan.qdqSource.keySet()) {
            float[] r = ranges.get(t);
            params.put(t, uint8Params(r[0], r[1]));
        }
        // readers of a quantized tensor read its DequantizeLinear output
        Map<String, String> rename = new HashMap<>();
        for (String t : plan.qdqSource.keySet()) {
            rename.put(t, t + "_dq");
        }
        Map<Integer, Map<String, String>> weightRename = new HashMap<>();
        for (QdqPlan.WeightOp op : plan.weightOps) {
            Map<String, String> r = new HashMap<>();
            r.put(op.weight, quantizeWeight(g, op, out));
            if (op.bias != null) {
                r.put(op.bias, quantizeBias(g, op, params.get(op.activation)[0], out));
            }
            weightRename.put(op.node, r);
        }
        Map<String, List<String>> bySource = new HashMap<>();
        for (Map.Entry<String, String> e : plan.qdqSource.entrySet()) {
            bySource.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
        }
        java.util.Set<String> outs = g.outputNames();
        for (String in : g.inputs) {
            emitQdq(g, in, bySource, params, out);
        }
        for (int i = 0; i < g.nodes.size(); i++) {
            if (plan.absorbed.contains(i)) {
                continue;
            }
            OnnxMl.NodeProto n = g.nodes.get(i);
            // an Identity that only names a graph output keeps reading the float tensor: no quantization error in the features
            boolean outputAlias = n.getOpType().equals("Identity") && outs.contains(n.getOutput(0));
            n = outputAlias ? n : GraphPreparer.renameInputs(n, rename);
            Map<String, String> w = weightRename.get(i);
            if (w != null) {
                n = GraphPreparer.renameInputs(n, w);
            }
            out.add(n);
            for (String o : n.getOutputList()) {
                emitQdq(g, o, bySource, params, out);
            }
        }
        g.nodes.clear();
        g.nodes.addAll(out);
        g.dropUnusedInitializers();
    }

    private static void emitQdq(QuantGraph g, String source, Map<String, List<String>> bySource,
            Map<String, float[]> params, List<OnnxMl.NodeProto> out) {
        for (String t : bySource.getOrDefault(source, Collections.emptyList())) {
            float[] p = params.get(t);
            String scale = t + "_qscale";
            String zp = t + "_qzp";
            g.initializers.put(scale, Tensors.floatTensor(scale, new float[] {p[0]}));
            g.initializers.put(zp, Tensors.uint8Tensor(zp, new byte[] {(byte) (int) p[1]}));
            out.add(QuantGraph.node("QuantizeLinear", "QuantizeLinear_" + t, Arrays.asList(source, scale, zp),
                    Collections.singletonList(t + "_q")));
            out.add(QuantGraph.node("DequantizeLinear", "DequantizeLinear_" + t, Arrays.asList(t + "_q", scale, zp),
                    Collections.singletonList(t + "_dq")));
        }
    }

    private static long[] dims(OnnxMl.TensorProto t) {
        long[] d = new long[t.getDimsCount()];
        for (int k = 0; k < d.length; k++) {
            d[k] = t.getDims(k);
        }
        return d;
    }

    private static String quantizeWeight(QuantGraph g, QdqPlan.WeightOp op, List<OnnxMl.NodeProto> out) {
        OnnxMl.TensorProto w = g.initializers.get(op.weight);
        long[] dims = dims(w);
        float[] v = Tensors.floats(w);
        float[] scales = channelScales(v, dims, op.axis);
        String base = op.weight + "_n" + op.node;
        String q = base + "_int8";
        g.initializers.put(q, Tensors.int8Tensor(q, quantizeWeights(v, dims, op.axis, scales), dims));
        g.initializers.put(base + "_scale", Tensors.floatTensor(base + "_scale", scales, scales.length));
        g.initializers.put(base + "_zp", Tensors.int8Tensor(base + "_zp", new byte[scales.length], scales.length));
        op.weightScales = scales;
        out.add(QuantGraph.node("DequantizeLinear", "DequantizeLinear_" + base,
                Arrays.asList(q, base + "_scale", base + "_zp"), Collections.singletonList(base + "_dq"),
                QuantGraph.intAttr("axis", op.axis)));
        return base + "_dq";
    }

    private static String quantizeBias(QuantGraph g, QdqPlan.WeightOp op, float inputScale, List<OnnxMl.NodeProto> out) {
        float[] b = Tensors.floats(g.initializers.get(op.bias));
        float[] scales = new float[b.length];
        int[] q = new int[b.length];
        for (int c = 0; c < b.length; c++) {
            scales[c] = inputScale * op.weightScales[c];
            q[c] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, Math.round((double) b[c] / scales[c])));
        }
        String base = op.bias + "_n" + op.node;
        g.initializers.put(base + "_int32", Tensors.int32Tensor(base + "_int32", q, b.length));
        g.initializers.put(base + "_scale", Tensors.floatTensor(base + "_scale", scales, b.length));
        g.initializers.put(base + "_zp", Tensors.int32Tensor(base + "_zp", new int[b.length], b.length));
        out.add(QuantGraph.node("DequantizeLinear", "DequantizeLinear_" + base,
                Arrays.asList(base + "_int32", base + "_scale", base + "_zp"), Collections.singletonList(base + "_dq"),
                QuantGraph.intAttr("axis", 0)));
        return base + "_dq";
    }
}
