package org.anomalyj.train;

import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine for training, offline: {@code ai.djl.offline=true} (unless the user
 * set it) forbids any download, and with {@code pytorch-jni} and {@code pytorch-native-cpu} on the
 * class path DJL extracts libtorch from the jar into its cache folder ({@code DJL_CACHE_DIR},
 * default {@code ~/.djl.ai}) on first use. Callers check {@link EngineAvailability} first.
 */
public final class TrainingEngine {
    private static Engine engine;
    private static double startSeconds;

    private TrainingEngine() {
    }

    /**
     * The PyTorch engine, started on first call (later calls return it at once).
     *
     * @param threads PyTorch intra-op threads, 0 = PyTorch's default (all cores); only the first call's counts
     */
    public static synchronized Engine start(int threads) {
        if (engine == null) {
            long t0 = System.nanoTime();
            setIfAbsent("ai.djl.offline", "true");
            // DJL logs through SLF4J; without a provider SLF4J prints a three-line warning to stderr
            setIfAbsent("slf4j.internal.verbosity", "ERROR");
            if (threads > 0) {
                setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(threads));
                setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
            }
            // DJL finds its engine (ServiceLoader) and libtorch (resources) through the thread's context
            // class loader; in ImageJ/Fiji that need not be the loader that holds the plugin's jars
            Thread thread = Thread.currentThread();
            ClassLoader context = thread.getContextClassLoader();
            thread.setContextClassLoader(TrainingEngine.class.getClassLoader());
            try {
                engine = Engine.getEngine("PyTorch");
                // the native library is loaded lazily; creating a manager forces it, so the start-up cost is measured here
                engine.newBaseManager().close();
            } finally {
                thread.setContextClassLoader(context);
            }
            startSeconds = (System.nanoTime() - t0) / 1e9;
        }
        return engine;
    }

    /** Seconds the first {@link #start} took (class loading, libtorch extraction when not cached, loading). */
    public static synchronized double startSeconds() {
        return startSeconds;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
