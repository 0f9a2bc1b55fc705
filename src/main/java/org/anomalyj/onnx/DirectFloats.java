package org.anomalyj.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Float input tensors backed by a direct buffer that each thread reuses. ONNX Runtime's Java API
 * uses a direct buffer in place but copies a heap buffer into a freshly allocated (and zeroed)
 * direct one on every call; for the memory bank searches, whose input is 512 patches x 1536
 * channels per run, that copy cost 1.5 ms of a 7-9 ms graph run (scratch benchmark, two parts).
 *
 * <p>A tensor from {@link #tensor} reads the calling thread's buffer, so it is valid only until the
 * same thread asks for its next one: create it, run it and close it before that.
 */
public final class DirectFloats {
    private static final ThreadLocal<FloatBuffer> BUFFERS = new ThreadLocal<>();

    private DirectFloats() {
    }

    /** A tensor of the given shape holding {@code values[offset ..]}, in this thread's direct buffer. */
    public static OnnxTensor tensor(float[] values, int offset, long... shape) throws OrtException {
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        if (length > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException("tensor of " + length + " floats is too large for one buffer");
        }
        int n = (int) length;
        FloatBuffer buffer = BUFFERS.get();
        if (buffer == null || buffer.capacity() < n) {
            buffer = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            BUFFERS.set(buffer);
        }
        buffer.clear();
        buffer.put(values, offset, n);
        buffer.flip();
        return OnnxTensor.createTensor(Sessions.environment(), buffer, shape);
    }
}
