package org.anomalyj.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** ONNX Runtime sessions: one environment per JVM and the session options every model uses. */
public final class Sessions {
    private Sessions() {
    }

    /** One environment per JVM, as ONNX Runtime recommends; never closed. */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /**
     * The options every AnomalyJ session uses: all graph optimisations, sequential execution,
     * {@code threads} intra-op threads ({@code <= 0}: all cores), one inter-op thread. The caller
     * closes them.
     */
    public static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            o.setIntraOpNumThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return o;
        } catch (OrtException e) {
            o.close();
            throw e;
        }
    }

    /** A session for a graph held in memory, with {@link #options(int)}. */
    public static OrtSession create(byte[] model, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = options(threads)) {
            return environment().createSession(model, options);
        }
    }
}
