package org.anomalyj.model.stfpm;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.anomalyj.onnx.Tensors;

/**
 * Writes the ONNX graph an STFPM bundle carries as its backbone: teacher and trained student side by
 * side, sharing the image input, with outputs {@code teacher/<layer>} and {@code student/<layer>}
 * for every layer. ONNX Runtime runs it like any backbone, so detection, evaluation, tiling and
 * quantization need nothing new; the training engine is not needed to use the model.
 */
public final class TeacherStudentGraph {
    public static final String TEACHER = "teacher/";
    public static final String STUDENT = "student/";

    private TeacherStudentGraph() {
    }

    public static String teacherLayer(String layer) {
        return TEACHER + layer;
    }

    public static String studentLayer(String layer) {
        return STUDENT + layer;
    }

    /** The bundle's layer list: teacher and student output of each layer, in pairs. */
    public static List<String> pairedLayers(List<String> layers) {
        List<String> out = new ArrayList<>();
        for (String l : layers) {
            out.add(teacherLayer(l));
            out.add(studentLayer(l));
        }
        return out;
    }

    /** Teacher and student in one model. */
    public static byte[] build(TeacherGraph teacher, StudentWeights student) {
        Part t = copy(teacher, TEACHER, null);
        Part s = copy(teacher, STUDENT, student);
        t.nodes.addAll(s.nodes);
        t.initializers.putAll(s.initializers);
        t.outputs.addAll(s.outputs);
        return model(teacher, t).toByteArray();
    }

    /** The student alone (outputs {@code student/<layer>}), e.g. to compare it with the training engine's. */
    public static byte[] studentOnly(TeacherGraph teacher, StudentWeights student) {
        return model(teacher, copy(teacher, STUDENT, student)).toByteArray();
    }

    private static final class Part {
        final List<OnnxMl.NodeProto> nodes = new ArrayList<>();
        final Map<String, OnnxMl.TensorProto> initializers = new LinkedHashMap<>();
        final List<OnnxMl.ValueInfoProto> outputs = new ArrayList<>();
    }

    /** The graph's nodes with every tensor name prefixed; convolutions take the student's weights when given. */
    private static Part copy(TeacherGraph g, String prefix, StudentWeights student) {
        Part p = new Part();
        int index = 0;
        for (OnnxMl.NodeProto n : g.nodes()) {
            // node names must be unique in a graph; converted backbones often leave them empty
            String name = prefix + (n.getName().isEmpty() ? "node" + index : n.getName());
            index++;
            OnnxMl.NodeProto.Builder b = n.toBuilder().clearInput().clearOutput().setName(name);
            boolean studentConv = student != null && n.getOpType().equals("Conv");
            for (int i = 0; i < n.getInputCount(); i++) {
                String in = n.getInput(i);
                if (studentConv && i == 2) {
                    continue; // replaced below by the folded bias
                }
                b.addInput(rename(g, prefix, in));
                if (g.isInitializer(in) && !(studentConv && i == 1)) {
                    p.initializers.put(prefix + in, g.initializer(in).toBuilder().setName(prefix + in).build());
                }
            }
            if (studentConv) {
                String w = n.getInput(1);
                float[] weight = student.weight(w);
                float[] bias = student.bias(w);
                if (weight == null || weight.length != g.floats(w).length) {
                    throw new IllegalArgumentException("no student weight of the right size for " + w);
                }
                p.initializers.put(prefix + w, Tensors.floatTensor(prefix + w, weight, g.shape(w)));
                String biasName = prefix + w + "/folded_bias";
                p.initializers.put(biasName, Tensors.floatTensor(biasName, bias, new long[] {bias.length}));
                b.addInput(biasName);
            }
            for (String out : n.getOutputList()) {
                b.addOutput(prefix + out);
            }
            p.nodes.add(b.build());
        }
        for (String layer : g.outputs()) {
            p.outputs.add(outputInfo(g, layer, prefix + layer));
        }
        return p;
    }

    private static String rename(TeacherGraph g, String prefix, String name) {
        return name.isEmpty() || name.equals(g.input()) ? name : prefix + name;
    }

    private static OnnxMl.ValueInfoProto outputInfo(TeacherGraph g, String layer, String name) {
        for (OnnxMl.ValueInfoProto v : g.model().getGraph().getOutputList()) {
            if (v.getName().equals(layer)) {
                return v.toBuilder().setName(name).build();
            }
        }
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static OnnxMl.ModelProto model(TeacherGraph g, Part p) {
        OnnxMl.GraphProto.Builder graph = g.model().getGraph().toBuilder();
        graph.clearNode().addAllNode(p.nodes);
        graph.clearInitializer().addAllInitializer(p.initializers.values());
        graph.clearValueInfo();
        graph.clearOutput().addAllOutput(p.outputs);
        List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : g.model().getGraph().getInputList()) {
            if (v.getName().equals(g.input())) {
                inputs.add(v);
            }
        }
        graph.clearInput().addAllInput(inputs);
        graph.setName("anomalyj_stfpm_teacher_student");
        return g.model().toBuilder().setGraph(graph).build();
    }
}
