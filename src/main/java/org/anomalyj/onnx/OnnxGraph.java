package org.anomalyj.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A small ONNX graph builder (opset 13, and ONNX Runtime's com.microsoft operators): nodes, float,
 * int8 and int64 initializers, and inputs/outputs whose
 * dimensions are fixed numbers or named (dynamic). Enough to compile model heads (e.g. the
 * memory-bank distance search) into graphs that ONNX Runtime runs with its optimised kernels.
 */
public final class OnnxGraph {
    /** ONNX TensorProto.DataType values used here. */
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT8 = 3;
    public static final int INT64 = 7;
    /** ONNX Runtime's contributed operators (e.g. MatMulIntegerToFloat), opset 1. */
    public static final String MICROSOFT = "com.microsoft";
    private static final int IR_VERSION = 8;
    private static final int OPSET = 13;

    private final String name;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private boolean usesMicrosoftOps;

    public OnnxGraph(String name) {
        this.name = name;
    }

    /**
     * A node; {@code attributes} are name/value pairs, e.g. ("axis", 1L) or ("alpha", -2f): Float
     * values become FLOAT attributes, {@code long[]} INTS (e.g. kernel_shape, pads), other numbers INT.
     */
    public OnnxGraph node(String opType, String[] in, String[] out, Object... attributes) {
        return node("", opType, in, out, attributes);
    }

    /**
     * As {@link #node(String, String[], String[], Object...)} from an operator domain ("" for
     * ONNX's own, {@link #MICROSOFT}); an empty input name leaves an optional input out.
     */
    public OnnxGraph node(String domain, String opType, String[] in, String[] out, Object... attributes) {
        ProtoWriter n = new ProtoWriter();
        for (String i : in) {
            n.string(1, i);
        }
        for (String o : out) {
            n.string(2, o);
        }
        n.string(3, opType + "_" + nodes.size());
        n.string(4, opType);
        if (!domain.isEmpty()) {
            n.string(7, domain);
            usesMicrosoftOps |= domain.equals(MICROSOFT);
        }
        for (int a = 0; a < attributes.length; a += 2) {
            ProtoWriter attr = new ProtoWriter().string(1, (String) attributes[a]);
            Object v = attributes[a + 1];
            if (v instanceof Float) {
                attr.float32(2, (Float) v).varint(20, 1);
            } else if (v instanceof long[]) {
                for (long x : (long[]) v) {
                    attr.varint(8, x);
                }
                attr.varint(20, 7);
            } else {
                attr.varint(3, ((Number) v).longValue()).varint(20, 2);
            }
            n.message(5, attr);
        }
        nodes.add(n);
        return this;
    }

    /** A float constant stored in the graph (little-endian raw data). */
    public OnnxGraph initializer(String tensorName, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return rawInitializer(tensorName, FLOAT, b.array(), dims);
    }

    /** An int8 constant stored in the graph (e.g. a quantized matrix). */
    public OnnxGraph initializer(String tensorName, byte[] values, long... dims) {
        return rawInitializer(tensorName, INT8, values, dims);
    }

    /** An int64 constant stored in the graph (e.g. TopK's k). */
    public OnnxGraph initializer(String tensorName, long[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return rawInitializer(tensorName, INT64, b.array(), dims);
    }

    /** A constant of {@code elemType} from its little-endian bytes (TensorProto raw_data). */
    private OnnxGraph rawInitializer(String tensorName, int elemType, byte[] raw, long... dims) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, elemType);
        t.string(8, tensorName);
        t.bytes(9, raw);
        initializers.add(t);
        return this;
    }

    /** A graph input; a dimension is a Long (fixed) or a String (named, dynamic). */
    public OnnxGraph input(String valueName, int elemType, Object... dims) {
        inputs.add(valueInfo(valueName, elemType, dims));
        return this;
    }

    public OnnxGraph output(String valueName, int elemType, Object... dims) {
        outputs.add(valueInfo(valueName, elemType, dims));
        return this;
    }

    private static ProtoWriter valueInfo(String valueName, int elemType, Object... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d instanceof String) {
                dim.string(2, (String) d);
            } else {
                dim.varint(1, ((Number) d).longValue());
            }
            shape.message(1, dim);
        }
        ProtoWriter tensor = new ProtoWriter().varint(1, elemType).message(2, shape);
        ProtoWriter type = new ProtoWriter().message(1, tensor);
        return new ProtoWriter().string(1, valueName).message(2, type);
    }

    /** The serialised ModelProto. */
    public byte[] toBytes() {
        ProtoWriter g = new ProtoWriter();
        for (ProtoWriter n : nodes) {
            g.message(1, n);
        }
        g.string(2, name);
        for (ProtoWriter t : initializers) {
            g.message(5, t);
        }
        for (ProtoWriter i : inputs) {
            g.message(11, i);
        }
        for (ProtoWriter o : outputs) {
            g.message(12, o);
        }
        ProtoWriter opset = new ProtoWriter().string(1, "").varint(2, OPSET);
        ProtoWriter model = new ProtoWriter().varint(1, IR_VERSION).string(2, "anomalyj").message(7, g)
                .message(8, opset);
        if (usesMicrosoftOps) {
            model.message(8, new ProtoWriter().string(1, MICROSOFT).varint(2, 1));
        }
        return model.toByteArray();
    }
}
