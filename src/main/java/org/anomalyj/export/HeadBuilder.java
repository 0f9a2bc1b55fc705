package org.anomalyj.export;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends the nodes and constants of a model head to an ONNX graph. Every tensor it creates is
 * named {@code anomalyj/<n>} so that it cannot clash with the backbone's names.
 *
 * <p>Only operators whose meaning is the same in every opset from 11 on are written (reductions
 * without {@code axes}, Reshape instead of Unsqueeze, Resize with explicit {@code sizes}), so the
 * head fits whatever opset the backbone graph was exported with; {@link #opset} only decides
 * whether Resize's unused {@code roi}/{@code scales} inputs are given as empty tensors (opset
 * 11-12) or left out (13+).
 */
final class HeadBuilder {
    static final String PREFIX = "anomalyj/";

    private final List<OnnxMl.NodeProto> nodes = new ArrayList<>();
    private final List<OnnxMl.TensorProto> initializers = new ArrayList<>();
    private final long opset;
    private int counter;

    HeadBuilder(long opset) {
        this.opset = opset;
    }

    List<OnnxMl.NodeProto> nodes() {
        return nodes;
    }

    List<OnnxMl.TensorProto> initializers() {
        return initializers;
    }

    /** A fresh tensor name with a readable hint. */
    String name(String hint) {
        return PREFIX + hint + "_" + (counter++);
    }

    /** Adds a node writing one new tensor, and returns that tensor's name. */
    String op(String opType, String hint, String[] inputs, OnnxMl.AttributeProto... attributes) {
        String out = name(hint);
        opTo(opType, out, inputs, attributes);
        return out;
    }

    /** Adds a node writing the named tensor (e.g. a graph output). */
    void opTo(String opType, String output, String[] inputs, OnnxMl.AttributeProto... attributes) {
        OnnxMl.NodeProto.Builder b = OnnxMl.NodeProto.newBuilder().setOpType(opType)
                .setName(PREFIX + opType + "_" + nodes.size()).addOutput(output);
        for (String in : inputs) {
            b.addInput(in);
        }
        for (OnnxMl.AttributeProto a : attributes) {
            b.addAttribute(a);
        }
        nodes.add(b.build());
    }

    // ---- constants ----

    /** A float constant of the given shape (stored little-endian; the array is not copied when large). */
    String floats(String hint, float[] values, long... dims) {
        checkCount(values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return constant(hint, OnnxMl.TensorProto.DataType.FLOAT_VALUE, UnsafeByteOperations.unsafeWrap(buf.array()), dims);
    }

    /** An int64 constant. */
    String longs(String hint, long[] values, long... dims) {
        checkCount(values.length, dims);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return constant(hint, OnnxMl.TensorProto.DataType.INT64_VALUE, UnsafeByteOperations.unsafeWrap(buf.array()), dims);
    }

    /** An int64 constant from ints. */
    String longs(String hint, int[] values, long... dims) {
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = values[i];
        }
        return longs(hint, l, dims);
    }

    private String constant(String hint, int type, ByteString raw, long... dims) {
        String n = name(hint);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(n).setDataType(type).setRawData(raw);
        for (long d : dims) {
            t.addDims(d);
        }
        initializers.add(t.build());
        return n;
    }

    private static void checkCount(int count, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != count) {
            throw new IllegalArgumentException(count + " values for shape " + java.util.Arrays.toString(dims));
        }
    }

    // ---- common operations ----

    String reshape(String x, long... shape) {
        return op("Reshape", "reshape", new String[] {x, longs("shape", shape, shape.length)});
    }

    /**
     * Resize to fixed {@code sizes} (NCHW): bilinear with half-pixel centres, source coordinates
     * clamped at the borders (torch {@code align_corners=false}), or nearest with
     * {@code floor(dst * in / out)} (torch {@code nearest}).
     */
    String resize(String x, boolean bilinear, long... sizes) {
        String roi;
        String scales;
        if (opset >= 13) {
            roi = "";
            scales = "";
        } else {
            roi = floats("roi", new float[0], 0);
            scales = floats("scales", new float[0], 0);
        }
        String sizesName = longs("sizes", sizes, sizes.length);
        if (bilinear) {
            return op("Resize", "resize", new String[] {x, roi, scales, sizesName}, string("mode", "linear"),
                    string("coordinate_transformation_mode", "half_pixel"));
        }
        return op("Resize", "resize", new String[] {x, roi, scales, sizesName}, string("mode", "nearest"),
                string("coordinate_transformation_mode", "asymmetric"), string("nearest_mode", "floor"));
    }

    /** Sum over the last axis of a rank-2 or rank-3 tensor {@code [..., d]}, kept as size 1: a MatMul with ones. */
    String sumLastAxis(String x, int d) {
        float[] ones = new float[d];
        java.util.Arrays.fill(ones, 1f);
        return op("MatMul", "sum", new String[] {x, floats("ones", ones, d, 1)});
    }

    // ---- attributes ----

    static OnnxMl.AttributeProto integer(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(v).build();
    }

    static OnnxMl.AttributeProto real(String name, float v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
                .setF(v).build();
    }

    static OnnxMl.AttributeProto ints(String name, long... v) {
        OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    static OnnxMl.AttributeProto string(String name, String v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(v, StandardCharsets.UTF_8)).build();
    }
}
