package org.anomalyj.quant;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.anomalyj.onnx.Tensors;

/**
 * Converts a float graph to half precision with float32 inputs and outputs ("keep I/O types"):
 * every float initializer and Constant becomes float16, Cast nodes to float become casts to
 * float16, a Cast to float16 follows each float input and a Cast back to float precedes each
 * output, so callers feed and read float32 as before.
 */
final class Fp16Converter {
    private Fp16Converter() {
    }

    static void convert(QuantGraph g) {
        for (Map.Entry<String, OnnxMl.TensorProto> e : g.initializers.entrySet()) {
            if (e.getValue().getDataType() == Tensors.FLOAT) {
                e.setValue(toFloat16(e.getValue()));
            }
        }
        Set<String> outs = g.outputNames();
        Map<String, String> rename = new HashMap<>();
        List<OnnxMl.NodeProto> out = new ArrayList<>();
        for (String in : g.inputs) {
            rename.put(in, in + "_fp16");
            out.add(QuantGraph.node("Cast", "Cast_" + in + "_fp16", Collections.singletonList(in),
                    Collections.singletonList(in + "_fp16"), QuantGraph.intAttr("to", Tensors.FLOAT16)));
        }
        for (String o : outs) {
            rename.put(o, o + "_fp16");
        }
        for (OnnxMl.NodeProto n : g.nodes) {
            OnnxMl.NodeProto.Builder b = GraphPreparer.renameInputs(n, rename).toBuilder();
            for (int k = 0; k < b.getOutputCount(); k++) {
                if (outs.contains(b.getOutput(k))) {
                    b.setOutput(k, b.getOutput(k) + "_fp16");
                }
            }
            for (int k = 0; k < b.getAttributeCount(); k++) {
                OnnxMl.AttributeProto a = b.getAttribute(k);
                if (n.getOpType().equals("Cast") && a.getName().equals("to") && a.getI() == Tensors.FLOAT) {
                    b.setAttribute(k, a.toBuilder().setI(Tensors.FLOAT16));
                } else if (a.hasT() && a.getT().getDataType() == Tensors.FLOAT) {
                    b.setAttribute(k, a.toBuilder().setT(toFloat16(a.getT())));
                }
            }
            out.add(b.build());
        }
        for (String o : outs) {
            out.add(QuantGraph.node("Cast", "Cast_" + o + "_fp32", Collections.singletonList(o + "_fp16"),
                    Collections.singletonList(o), QuantGraph.intAttr("to", Tensors.FLOAT)));
        }
        g.nodes.clear();
        g.nodes.addAll(out);
    }

    /** A FLOAT tensor converted to FLOAT16 (round to nearest even, as numpy's astype). */
    private static OnnxMl.TensorProto toFloat16(OnnxMl.TensorProto t) {
        float[] v = Tensors.floats(t);
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putShort(Half.fromFloat(f));
        }
        return t.toBuilder().clearFloatData().setDataType(Tensors.FLOAT16).setRawData(ByteString.copyFrom(b.array())).build();
    }
}
