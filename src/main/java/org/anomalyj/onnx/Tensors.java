package org.anomalyj.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reading and making ONNX initializers (TensorProto) as flat Java arrays. */
public final class Tensors {
    public static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT_VALUE;
    public static final int UINT8 = OnnxMl.TensorProto.DataType.UINT8_VALUE;
    public static final int INT8 = OnnxMl.TensorProto.DataType.INT8_VALUE;
    public static final int INT32 = OnnxMl.TensorProto.DataType.INT32_VALUE;
    public static final int FLOAT16 = OnnxMl.TensorProto.DataType.FLOAT16_VALUE;

    private Tensors() {
    }

    public static long count(OnnxMl.TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    /** The values of a FLOAT tensor, whether stored as raw_data or float_data. */
    public static float[] floats(OnnxMl.TensorProto t) {
        if (t.getDataType() != FLOAT) {
            throw new IllegalArgumentException("tensor " + t.getName() + " is not float");
        }
        int n = Math.toIntExact(count(t));
        float[] v = new float[n];
        if (t.getRawData().size() > 0) {
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        } else {
            for (int i = 0; i < n; i++) {
                v[i] = t.getFloatData(i);
            }
        }
        return v;
    }

    public static OnnxMl.TensorProto floatTensor(String name, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return raw(name, FLOAT, b.array(), dims);
    }

    public static OnnxMl.TensorProto int8Tensor(String name, byte[] v, long... dims) {
        return raw(name, INT8, v, dims);
    }

    public static OnnxMl.TensorProto uint8Tensor(String name, byte[] v, long... dims) {
        return raw(name, UINT8, v, dims);
    }

    public static OnnxMl.TensorProto int32Tensor(String name, int[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        return raw(name, INT32, b.array(), dims);
    }

    private static OnnxMl.TensorProto raw(String name, int type, byte[] bytes, long... dims) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type)
                .setRawData(ByteString.copyFrom(bytes));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }
}
