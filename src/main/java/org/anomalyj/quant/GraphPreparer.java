package org.anomalyj.quant;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.anomalyj.onnx.Tensors;

/**
 * Exact float rewrites done before quantization, so that the quantized graph has the shape ONNX
 * Runtime fuses into integer kernels: Identity nodes are bypassed, and a BatchNormalization that
 * directly follows a Conv is folded into that Conv's weights and bias (otherwise a
 * QuantizeLinear between them would keep ORT from fusing Conv+BN).
 */
final class GraphPreparer {
    private GraphPreparer() {
    }

    /** Applies the rewrites; returns how many BatchNormalization nodes were folded into a Conv. */
    static int prepare(QuantGraph g) {
        bypassIdentities(g);
        int folded = foldBatchNorms(g);
        batchNormsToAffine(g);
        return folded;
    }

    /**
     * A BatchNormalization that cannot be folded (e.g. ResNet v2's pre-activation after an Add)
     * becomes Mul + Add with per-channel [1, C, 1, 1] constants: the same arithmetic, but
     * element-wise ops that ONNX Runtime's layout optimiser can move Transposes through, so the
     * integer convolutions (run in NHWC) are not wrapped in NCHW<->NHWC transposes at every block.
     */
    static void batchNormsToAffine(QuantGraph g) {
        List<OnnxMl.NodeProto> out = new ArrayList<>();
        for (OnnxMl.NodeProto bn : g.nodes) {
            boolean constants = bn.getOpType().equals("BatchNormalization") && bn.getOutputCount() == 1;
            for (int k = 1; constants && k < 5; k++) {
                OnnxMl.TensorProto t = g.initializers.get(bn.getInput(k));
                constants = t != null && t.getDataType() == Tensors.FLOAT;
            }
            if (!constants) {
                out.add(bn);
                continue;
            }
            float[] gamma = Tensors.floats(g.initializers.get(bn.getInput(1)));
            float[] beta = Tensors.floats(g.initializers.get(bn.getInput(2)));
            float[] mean = Tensors.floats(g.initializers.get(bn.getInput(3)));
            float[] var = Tensors.floats(g.initializers.get(bn.getInput(4)));
            double eps = QuantGraph.floatAttribute(bn, "epsilon", 1e-5f);
            int c = gamma.length;
            float[] scale = new float[c];
            float[] shift = new float[c];
            for (int o = 0; o < c; o++) {
                double s = gamma[o] / Math.sqrt(var[o] + eps);
                scale[o] = (float) s;
                shift[o] = (float) (beta[o] - mean[o] * s);
            }
            String base = bn.getOutput(0);
            g.initializers.put(base + "_bn_scale", Tensors.floatTensor(base + "_bn_scale", scale, 1, c, 1, 1));
            g.initializers.put(base + "_bn_shift", Tensors.floatTensor(base + "_bn_shift", shift, 1, c, 1, 1));
            out.add(QuantGraph.node("Mul", base + "_bn_scale", java.util.Arrays.asList(bn.getInput(0), base + "_bn_scale"),
                    java.util.Collections.singletonList(base + "_bn_mul")));
            out.add(QuantGraph.node("Add", base + "_bn_shift", java.util.Arrays.asList(base + "_bn_mul", base + "_bn_shift"),
                    java.util.Collections.singletonList(base)));
        }
        g.nodes.clear();
        g.nodes.addAll(out);
        g.dropUnusedInitializers();
    }

    static void bypassIdentities(QuantGraph g) {
        Set<String> outs = g.outputNames();
        Map<String, String> rename = new HashMap<>();
        List<OnnxMl.NodeProto> kept = new ArrayList<>();
        for (OnnxMl.NodeProto n : g.nodes) {
            if (n.getOpType().equals("Identity") && !outs.contains(n.getOutput(0))) {
                rename.put(n.getOutput(0), resolve(rename, n.getInput(0)));
            } else {
                kept.add(n);
            }
        }
        g.nodes.clear();
        for (OnnxMl.NodeProto n : kept) {
            g.nodes.add(renameInputs(n, rename));
        }
    }

    private static String resolve(Map<String, String> rename, String name) {
        String r = rename.get(name);
        return r == null ? name : r;
    }

    static OnnxMl.NodeProto renameInputs(OnnxMl.NodeProto n, Map<String, String> rename) {
        boolean any = false;
        for (String in : n.getInputList()) {
            any |= rename.containsKey(in);
        }
        if (!any) {
            return n;
        }
        OnnxMl.NodeProto.Builder b = n.toBuilder();
        for (int i = 0; i < n.getInputCount(); i++) {
            String r = rename.get(n.getInput(i));
            if (r != null) {
                b.setInput(i, r);
            }
        }
        return b.build();
    }

    static int foldBatchNorms(QuantGraph g) {
        Map<String, List<Integer>> consumers = g.consumers();
        Set<String> outs = g.outputNames();
        Map<String, Integer> producers = g.producers();
        boolean[] drop = new boolean[g.nodes.size()];
        int folded = 0;
        for (int i = 0; i < g.nodes.size(); i++) {
            OnnxMl.NodeProto bn = g.nodes.get(i);
            if (!bn.getOpType().equals("BatchNormalization") || bn.getOutputCount() != 1) {
                continue;
            }
            String x = bn.getInput(0);
            Integer pi = producers.get(x);
            if (pi == null || outs.contains(x) || consumers.get(x).size() != 1) {
                continue;
            }
            OnnxMl.NodeProto conv = g.nodes.get(pi);
            if (!conv.getOpType().equals("Conv") || !g.initializers.containsKey(conv.getInput(1))
                    || (conv.getInputCount() > 2 && !g.initializers.containsKey(conv.getInput(2)))) {
                continue;
            }
            boolean constants = true;
            for (int k = 1; k < 5; k++) {
                OnnxMl.TensorProto t = g.initializers.get(bn.getInput(k));
                constants &= t != null && t.getDataType() == Tensors.FLOAT;
            }
            OnnxMl.TensorProto w = g.initializers.get(conv.getInput(1));
            if (!constants || w.getDataType() != Tensors.FLOAT) {
                continue;
            }
            float[] gamma = Tensors.floats(g.initializers.get(bn.getInput(1)));
            float[] beta = Tensors.floats(g.initializers.get(bn.getInput(2)));
            float[] mean = Tensors.floats(g.initializers.get(bn.getInput(3)));
            float[] var = Tensors.floats(g.initializers.get(bn.getInput(4)));
            double eps = QuantGraph.floatAttribute(bn, "epsilon", 1e-5f);
            float[] wv = Tensors.floats(w);
            int c = (int) w.getDims(0);
            int per = wv.length / c;
            float[] bias = conv.getInputCount() > 2 ? Tensors.floats(g.initializers.get(conv.getInput(2))) : new float[c];
            float[] newW = new float[wv.length];
            float[] newB = new float[c];
            for (int o = 0; o < c; o++) {
                double s = gamma[o] / Math.sqrt(var[o] + eps);
                for (int k = 0; k < per; k++) {
                    newW[o * per + k] = (float) (wv[o * per + k] * s);
                }
                newB[o] = (float) ((bias[o] - mean[o]) * s + beta[o]);
            }
            long[] dims = new long[w.getDimsCount()];
            for (int k = 0; k < dims.length; k++) {
                dims[k] = w.getDims(k);
            }
            String wName = conv.getInput(1) + "_bnfold";
            String bName = (conv.getInputCount() > 2 ? conv.getInput(2) : conv.getOutput(0) + "_bias") + "_bnfold";
            g.initializers.put(wName, Tensors.floatTensor(wName, newW, dims));
            g.initializers.put(bName, Tensors.floatTensor(bName, newB, c));
            OnnxMl.NodeProto.Builder nb = conv.toBuilder().setInput(1, wName).setOutput(0, bn.getOutput(0));
            if (conv.getInputCount() > 2) {
                nb.setInput(2, bName);
            } else {
                nb.addInput(bName);
            }
            g.nodes.set(pi, nb.build());
            drop[i] = true;
            folded++;
        }
        List<OnnxMl.NodeProto> kept = new ArrayList<>();
        for (int i = 0; i < g.nodes.size(); i++) {
            if (!drop[i]) {
                kept.add(g.nodes.get(i));
            }
        }
        g.nodes.clear();
        g.nodes.addAll(kept);
        g.dropUnusedInitializers();
        return folded;
    }
}
