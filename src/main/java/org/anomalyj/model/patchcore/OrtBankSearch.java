package org.anomalyj.model.patchcore;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Collections;
import org.anomalyj.onnx.OnnxGraph;
import org.anomalyj.onnx.Sessions;

/**
 * Nearest memory entry of many patches at once, as one ONNX Runtime graph: Gemm(Q, Bᵀ, |b|², alpha
 * -2) then ArgMin, i.e. the index minimising |b|² - 2 q·b (|q|² is the same for every entry). The
 * matrix product is where the time goes, and ONNX Runtime's MLAS kernels run it several times
 * faster than the JIT-compiled Java loop. Only indices come back; the caller recomputes the
 * winners' exact distances, so scores do not depend on the float rounding of the product.
 */
final class OrtBankSearch {
    private final OrtSession session;
    private final int dim;
    private final int k;

    /** The nearest entry of each patch (ArgMin). */
    OrtBankSearch(float[] bank, int size, int dim, int threads) throws OrtException {
        this(bank, size, dim, threads, 1);
    }

    /** The {@code k} nearest entries of each patch, nearest first (TopK; ArgMin for k = 1). */
    OrtBankSearch(float[] bank, int size, int dim, int threads, int k) throws OrtException {
        this.dim = dim;
        this.k = k;
        float[] transposed = new float[bank.length];
        float[] norms = new float[size];
        for (int m = 0; m < size; m++) {
            double s = 0;
            for (int c = 0; c < dim; c++) {
                float v = bank[m * dim + c];
                transposed[c * size + m] = v;
                s += (double) v * v;
            }
            norms[m] = (float) s;
        }
        OnnxGraph g = new OnnxGraph("patchcore_bank_search")
                .input("patches", OnnxGraph.FLOAT, "n", (long) dim)
                .initializer("bank_t", transposed, dim, size)
                .initializer("bank_norm", norms, size)
                .node("Gemm", new String[] {"patches", "bank_t", "bank_norm"}, new String[] {"partial"},
                        "alpha", -2f, "beta", 1f);
        byte[] graph = k == 1
                ? g.node("ArgMin", new String[] {"partial"}, new String[] {"nearest"}, "axis", 1L, "keepdims", 0L)
                        .output("nearest", OnnxGraph.INT64, "n").toBytes()
                : g.initializer("k", new long[] {k}, 1)
                        .node("TopK", new String[] {"partial", "k"}, new String[] {"values", "nearest"}, "axis", 1L,
                                "largest", 0L, "sorted", 1L)
                        .output("nearest", OnnxGraph.INT64, "n", (long) k).toBytes();
        this.session = Sessions.create(graph, threads);
        Sessions.closeWhenUnreachable(this, session);
    }

    /**
     * Index of the nearest entry for each of the {@code n} patches ({@code n x dim}, row-major), or
     * with {@code k > 1} the k nearest of each, nearest first ({@code n x k}).
     */
    int[] nearest(float[] patches, int n) throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(Sessions.environment(), FloatBuffer.wrap(patches, 0, n * dim),
                new long[] {n, dim});
                OrtSession.Result result = session.run(Collections.singletonMap("patches", input))) {
            long[] idx = ((OnnxTensor) result.get(0)).getLongBuffer().array();
            int[] out = new int[n * k];
            for (int i = 0; i < out.length; i++) {
                out[i] = (int) idx[i];
            }
            return out;
        }
    }
}
