package org.anomalyj.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Float matrix products through ONNX Runtime's MatMul (MLAS) for one-time set-up work that would
 * otherwise dominate a model's first use. The bank search's principal subspace at rank 256 takes
 * six products of 4096 x 1536 x 256: 154 ms each in the JIT-compiled Java loop, where MLAS does
 * a few hundred GFLOP/s on two cores. Results equal the plain sums up to float rounding (the
 * summation order differs). Thread-safe: one shared session with dynamic shapes.
 */
public final class MatrixProduct {
    private static OrtSession session;

    private MatrixProduct() {
    }

    private static synchronized OrtSession session() throws OrtException {
        if (session == null) {
            byte[] graph = new OnnxGraph("matrix_product")
                    .input("a", OnnxGraph.FLOAT, "m", "k")
                    .input("b", OnnxGraph.FLOAT, "k", "n")
                    .node("MatMul", new String[] {"a", "b"}, new String[] {"c"})
                    .output("c", OnnxGraph.FLOAT, "m", "n")
                    .toBytes();
            session = Sessions.create(graph, 0);
        }
        return session;
    }

    /** {@code a (m x k) times b (k x n)}, all row-major, as a new {@code m x n} array. */
    public static float[] multiply(float[] a, int m, int k, float[] b, int n) throws OrtException {
        if (a.length != (long) m * k || b.length != (long) k * n) {
            throw new IllegalArgumentException("shapes " + a.length + " != " + m + "x" + k + " or " + b.length + " != "
                    + k + "x" + n);
        }
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try (OnnxTensor ta = OnnxTensor.createTensor(Sessions.environment(), FloatBuffer.wrap(a), new long[] {m, k});
                OnnxTensor tb = OnnxTensor.createTensor(Sessions.environment(), FloatBuffer.wrap(b), new long[] {k, n})) {
            inputs.put("a", ta);
            inputs.put("b", tb);
            try (OrtSession.Result result = session().run(inputs)) {
                return ((OnnxTensor) result.get(0)).getFloatBuffer().array();
            }
        }
    }
}
