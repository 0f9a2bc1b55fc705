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

    OrtBankSearch(float[] bank, int size, int dim, int threads) throws OrtException {
        this.dim = dim;
        float[] transposed = new float[bank.length];
        float[] norms = new float[size];
        for (int m = 0; m < size; m++) {
            double s = 0;
            for (int k = 0; k < dim; k++) {
                float v = bank[m * dim + k];
                transposed[k * size + m] = v;
                s += (double) v * v;
            }
            norms[m] = (float) s;
        }
        byte[] graph = new OnnxGraph("patchcore_bank_search")
                .input("patches", OnnxGraph.FLOAT, "n", (long) dim)
                .initializer("bank_t", transposed, dim, size)
                .initializer("bank_norm", norms, size)
                .node("Gemm", new String[] {"patches", "bank_t", "bank_norm"}, new String[] {"partial"},
                        "alpha", -2f, "beta", 1f)
                .node("ArgMin", new String[] {"partial"}, new String[] {"nearest"}, "axis", 1L, "keepdims", 0L)
                .output("nearest", OnnxGraph.INT64, "n")
                .toBytes();
        this.session = Sessions.create(graph, threads);
        Sessions.closeWhenUnreachable(this, session);
    }

    /** Index of the nearest entry for each of the {@code n} patches ({@code n x dim}, row-major). */
    int[] nearest(float[] patches, int n) throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(Sessions.environment(), FloatBuffer.wrap(patches, 0, n * dim),
                new long[] {n, dim});
                OrtSession.Result result = session.run(Collections.singletonMap("patches", input))) {
            long[] idx = (long[]) result.get(0).getValue();
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = (int) idx[i];
            }
            return out;
        }
    }
}
