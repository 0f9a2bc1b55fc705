package org.anomalyj.train;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.anomalyj.onnx.Tensors;

/**
 * A small random-weight CNN written as ONNX, using every operator the STFPM student supports:
 * Conv (TensorFlow SAME_UPPER with stride 2, i.e. asymmetric padding; grouped; 1x1), Clip with
 * initializer bounds, Relu, Identity, Add, Concat, MaxPool, plus a GlobalAveragePool output
 * ("pooled") that the chosen layers do not need and that must be pruned away.
 * Outputs: "f1" (stride 2, 8 channels), "f2" (stride 4, 12 channels).
 */
public final class TinyTeacher {
    private TinyTeacher() {
    }

    /**
     * Writes the teacher as {@code tiny.onnx} with its descriptor sidecar {@code tiny.json} into
     * {@code dir} (pixels scaled to 0..1, outputs f1 and f2), so it can be a {@code --backbone};
     * returns the .onnx path.
     */
    public static Path write(Path dir, long seed) throws IOException {
        Path onnx = dir.resolve("tiny.onnx");
        Files.write(onnx, build(seed));
        String json = "{\"input\": \"x\", \"preprocess\": {\"scale\": 0.00392156862745098},"
                + " \"outputs\": [{\"name\": \"f1\", \"stride\": 2, \"channels\": 8},"
                + " {\"name\": \"f2\", \"stride\": 4, \"channels\": 12}]}";
        Files.write(dir.resolve("tiny.json"), json.getBytes(StandardCharsets.UTF_8));
        return onnx;
    }

    static byte[] build(long seed) {
        Random r = new Random(seed);
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("tiny");
        g.addInput(value("x", OnnxMl.TensorProto.DataType.FLOAT_VALUE, true));
        conv(g, r, "c1", "x", 8, 3, 3, 1, "SAME_UPPER", 2, null);
        g.addInitializer(Tensors.floatTensor("lo", new float[] {0f}));
        g.addInitializer(Tensors.floatTensor("hi", new float[] {6f}));
        g.addNode(node("Clip", "r1", "c1", "lo", "hi"));
        conv(g, r, "c2", "r1", 8, 8, 3, 8, null, 1, new long[] {1, 1, 1, 1});
        g.addNode(node("Relu", "r2", "c2"));
        conv(g, r, "c3", "r2", 8, 8, 1, 1, null, 1, null);
        g.addNode(node("Identity", "i3", "c3"));
        g.addNode(node("Add", "f1", "r1", "i3"));
        conv(g, r, "c4", "f1", 6, 8, 3, 1, null, 2, new long[] {1, 1, 1, 1});
        g.addNode(node("Relu", "r4", "c4"));
        conv(g, r, "c5", "f1", 6, 8, 1, 1, null, 2, null);
        g.addNode(node("Relu", "r5", "c5"));
        g.addNode(node("Concat", "cat", "r4", "r5").toBuilder().addAttribute(ints("axis", 1)).build());
        g.addNode(node("MaxPool", "f2", "cat").toBuilder().addAttribute(list("kernel_shape", 3, 3))
                .addAttribute(list("strides", 1, 1)).addAttribute(list("pads", 1, 1, 1, 1)).build());
        g.addNode(node("GlobalAveragePool", "pooled", "f2"));
        for (String o : Arrays.asList("f1", "f2", "pooled")) {
            g.addOutput(value(o, OnnxMl.TensorProto.DataType.FLOAT_VALUE, false));
        }
        return OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("anomalyj-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build().toByteArray();
    }

    private static void conv(OnnxMl.GraphProto.Builder g, Random r, String out, String in, int o, int i, int k, int group,
            String autoPad, int stride, long[] pads) {
        int per = i / group * k * k;
        float[] w = new float[o * per];
        double std = Math.sqrt(2.0 / per);
        for (int j = 0; j < w.length; j++) {
            w[j] = (float) (r.nextGaussian() * std);
        }
        float[] b = new float[o];
        for (int j = 0; j < o; j++) {
            b[j] = (float) (0.1 * r.nextGaussian());
        }
        g.addInitializer(Tensors.floatTensor(out + "_W", w, o, i / group, k, k));
        g.addInitializer(Tensors.floatTensor(out + "_B", b, o));
        OnnxMl.NodeProto.Builder n = node("Conv", out, in, out + "_W", out + "_B").toBuilder()
                .addAttribute(list("kernel_shape", k, k)).addAttribute(list("strides", stride, stride))
                .addAttribute(ints("group", group));
        if (autoPad != null) {
            n.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("auto_pad")
                    .setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(autoPad)));
        }
        if (pads != null) {
            n.addAttribute(list("pads", pads));
        }
        g.addNode(n);
    }

    private static OnnxMl.NodeProto node(String op, String out, String... in) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).addAllInput(Arrays.asList(in)).addOutput(out).build();
    }

    private static OnnxMl.AttributeProto ints(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static OnnxMl.AttributeProto list(String name, long... v) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static OnnxMl.ValueInfoProto value(String name, int type, boolean image) {
        OnnxMl.TypeProto.Tensor.Builder t = OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type);
        if (image) {
            OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
            s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
            s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(3));
            s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("H"));
            s.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("W"));
            t.setShape(s);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(t)).build();
    }
}
