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
     * threads that sleep rather than spin between operators: {@link #options(int, boolean)}
     * without spinning. The caller closes them.
     */
    public static OrtSession.SessionOptions options(int threads) throws OrtException {
        return options(threads, false);
    }

    /**
     * As {@link #options(int)}; with {@code spinWithinRuns} the intra-op threads spin while a run
     * is under way and stop as soon as it returns ({@code session.force_spinning_stop}).
     * <p>Why it is a choice: threads that never spin sleep between a model's operators and are
     * woken for each, which cost MobileNetV2's 60-odd short operators about a fifth of its time
     * (backbone 4.8-5.2 ms without spinning, 3.9-4.0 ms spinning within runs; Magnetic Tile
     * bench). But a thread spinning within a run takes a core from Java work running at the same
     * time: training extracts image i+1 while another thread adds image i's features, and its
     * feature stage took 44.3 s spinning against 36.2-37.3 s without (ResNet50v2, 762 images).
     * So a detector's backbone, which runs alone, spins within runs, and everything else does not.
     * Spinning after runs too (ONNX Runtime's default) kept a core busy while the Java head ran
     * after the backbone: PatchCore's head took 43-45 ms per image against 32-35 ms without.
     * {@code -Danomalyj.ortSpin=false|true} forces never / always spinning, for experiments.
     */
    public static OrtSession.SessionOptions options(int threads, boolean spinWithinRuns) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            o.setIntraOpNumThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            String forced = System.getProperty("anomalyj.ortSpin", "");
            if (forced.equals("true")) {
                return o; // ONNX Runtime's default: spinning, also after runs
            }
            boolean spin = forced.isEmpty() && spinWithinRuns;
            o.addConfigEntry("session.intra_op.allow_spinning", spin ? "1" : "0");
            if (spin) {
                o.addConfigEntry("session.force_spinning_stop", "1");
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
