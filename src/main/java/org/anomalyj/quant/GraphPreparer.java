package org.anomalyj.quant;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exact float rewrites done before quantization, so that the quantized graph has the shape ONNX
 * Runtime fuses into integer kernels: Identity nodes are bypassed, and a BatchNormalization that
 * directly follows a Conv is folded into that Conv's weights and bias (otherwise a
 * QuantizeLinear between them would keep ORT from fusing Conv+BN).
 */
final class GraphPreparer {
    private GraphPreparer() {
    }

    /** Applies both rewrites; returns how many BatchNormalization nodes were folded. */
    static int prepare(QuantGraph g) {
        bypassIdentities(g);
        return foldBatchNorms(g);
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
