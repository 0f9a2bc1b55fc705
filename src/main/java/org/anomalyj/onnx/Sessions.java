package org.anomalyj.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.ref.Cleaner;

/** ONNX Runtime sessions: one environment per JVM and the session options every model uses. */
public final class Sessions {
    private static final Cleaner CLEANER = Cleaner.create();

    private Sessions() {
    }

    /** Closes a native session (it holds no reference to its owner, so the owner can become unreachable). */
    private static final class Release implements Runnable {
        private final OrtSession session;

        Release(OrtSession session) {
            this.session = session;
        }

        @Override
        public void run() {
            try {
                session.close();
            } catch (OrtException ignored) {
                // nothing left to do with a session that will not close
            }
        }
    }

    /**
     * Closes {@code session} once {@code owner} is no longer reachable: for objects that own a
     * session but have no close() of their own (e.g. the memory bank's search graphs, which live
     * as long as a model).
     */
    public static void closeWhenUnreachable(Object owner, OrtSession session) {
        CLEANER.register(owner, new Release(session));
    }

    /** One environment per JVM, as ONNX Runtime recommends; never closed. */
    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /**
     * The options every AnomalyJ session uses: all graph optimisations, sequential execution,
     * {@code threads} intra-op threads ({@code <= 0}: all cores), one inter-op thread, and intra-op
     * threads that spin while a run is under way but stop as soon as it returns
     * ({@code session.force_spinning_stop}).
     * <p>Why both halves: threads left spinning after a run kept one of the two cores busy while the
     * Java head ran after the backbone (PatchCore's head 43-45 ms per image with spinning, 32-35 ms
     * without; Magnetic Tile, ResNet50v2); threads that never spin sleep between the backbone's
     * operators and are woken for each one, which cost MobileNetV2's 60-odd short operators about a
     * fifth of its time (backbone 4.6-4.7 ms without spinning, 3.6-3.7 ms spinning within the run).
     * {@code -Danomalyj.ortSpin=false} never spins, {@code =true} keeps ONNX Runtime's default
     * (spinning after runs too), for experiments. The caller closes the options.
     */
    public static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            o.setIntraOpNumThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            String spin = System.getProperty("anomalyj.ortSpin", "stop");
            if (spin.equals("stop")) { // spin within a run, stop when it returns
                o.addConfigEntry("session.intra_op.allow_spinning", "1");
                o.addConfigEntry("session.force_spinning_stop", "1");
            } else if (!spin.equals("true")) {
                o.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
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
