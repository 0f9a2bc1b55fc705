package org.anomalyj.quant;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.anomalyj.AnomalyJException;
import org.anomalyj.onnx.Tensors;

/**
 * An ONNX model opened for editing: its nodes (in order), initializers by name and graph
 * input/output names. Everything else in the model (opsets, metadata, unknown fields) is kept as
 * parsed; {@link #toBytes()} writes the edited graph back into it.
 */
final class QuantGraph {
    /** Operators whose presence means the graph is already quantized (QDQ or QOperator form). */
    static final Set<String> QUANTIZED_OPS = Set.of("QuantizeLinear", "DequantizeLinear", "QLinearConv",
            "QLinearMatMul", "QLinearAdd", "QLinearMul", "ConvInteger", "MatMulInteger", "DynamicQuantizeLinear",
            "QGemm", "QLinearConcat", "QLinearGlobalAveragePool", "QLinearSigmoid", "QLinearLeakyRelu");

    private final OnnxMl.ModelProto original;
    final List<OnnxMl.NodeProto> nodes;
    final LinkedHashMap<String, OnnxMl.TensorProto> initializers = new LinkedHashMap<>();
    final Set<String> inputs = new LinkedHashSet<>();
    final List<OnnxMl.ValueInfoProto> outputs;

    QuantGraph(OnnxMl.ModelProto model) {
        this.original = model;
        OnnxMl.GraphProto g = model.getGraph();
        nodes = new ArrayList<>(g.getNodeList());
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        for (OnnxMl.ValueInfoProto v : g.getInputList()) {
            if (!initializers.containsKey(v.getName())) {
                inputs.add(v.getName());
            }
        }
        outputs = new ArrayList<>(g.getOutputList());
    }

    static QuantGraph parse(byte[] onnx, String source) {
        try {
            return new QuantGraph(OnnxMl.ModelProto.parseFrom(onnx));
        } catch (InvalidProtocolBufferException e) {
            throw new AnomalyJException("The backbone " + source + " is not a readable ONNX model (" + e.getMessage()
                    + "); retrain the model with a valid .onnx backbone.", e);
        }
    }

    /** The version of the default (ai.onnx) operator set the model imports, 0 if none. */
    int opset() {
        for (OnnxMl.OperatorSetIdProto o : original.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return (int) o.getVersion();
            }
        }
        return 0;
    }

    Set<String> outputNames() {
        Set<String> s = new LinkedHashSet<>();
        for (OnnxMl.ValueInfoProto v : outputs) {
            s.add(v.getName());
        }
        return s;
    }

    /** What quantization the graph already carries: "int8" (QDQ/QOperator ops), "fp16" (half initializers), or null. */
    String existingQuantization() {
        for (OnnxMl.NodeProto n : nodes) {
            if (QUANTIZED_OPS.contains(n.getOpType())) {
                return "int8";
            }
        }
        for (OnnxMl.TensorProto t : initializers.values()) {
            if (t.getDataType() == Tensors.FLOAT16) {
                return "fp16";
            }
        }
        return null;
    }

    /** tensor name -> indices of the nodes that read it. */
    Map<String, List<Integer>> consumers() {
        Map<String, List<Integer>> c = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).getInputList()) {
                c.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
            }
        }
        return c;
    }

    /** tensor name -> index of the node that writes it. */
    Map<String, Integer> producers() {
        Map<String, Integer> p = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String out : nodes.get(i).getOutputList()) {
                p.put(out, i);
            }
        }
        return p;
    }

    static OnnxMl.AttributeProto attribute(OnnxMl.NodeProto n, String name) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    static long intAttribute(OnnxMl.NodeProto n, String name, long fallback) {
        OnnxMl.AttributeProto a = attribute(n, name);
        return a == null ? fallback : a.getI();
    }

    static float floatAttribute(OnnxMl.NodeProto n, String name, float fallback) {
        OnnxMl.AttributeProto a = attribute(n, name);
        return a == null ? fallback : a.getF();
    }

    static OnnxMl.NodeProto node(String op, String name, List<String> in, List<String> out,
            OnnxMl.AttributeProto... attributes) {
        OnnxMl.NodeProto.Builder b = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in)
                .addAllOutput(out);
        for (OnnxMl.AttributeProto a : attributes) {
            b.addAttribute(a);
        }
        return b.build();
    }

    static OnnxMl.AttributeProto intAttr(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(v).build();
    }

    /** The model with this graph's nodes, initializers and outputs; value_info is dropped (types are re-inferred). */
    OnnxMl.ModelProto toModel() {
        OnnxMl.GraphProto.Builder g = original.getGraph().toBuilder();
        g.clearNode().addAllNode(nodes);
        g.clearInitializer().addAllInitializer(initializers.values());
        g.clearValueInfo();
        g.clearOutput().addAllOutput(outputs);
        List<OnnxMl.ValueInfoProto> keptInputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : original.getGraph().getInputList()) {
            if (inputs.contains(v.getName()) || initializers.containsKey(v.getName())) {
                keptInputs.add(v);
            }
        }
        g.clearInput().addAllInput(keptInputs);
        return original.toBuilder().setGraph(g).build();
    }

    byte[] toBytes() {
        return toModel().toByteArray();
    }

    /** Drops initializers no node reads any more (e.g. float weights replaced by int8 ones). */
    void dropUnusedInitializers() {
        Set<String> used = new LinkedHashSet<>();
        for (OnnxMl.NodeProto n : nodes) {
            used.addAll(n.getInputList());
        }
        used.addAll(outputNames());
        initializers.keySet().retainAll(used);
    }
}
