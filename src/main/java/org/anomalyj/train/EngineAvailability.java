package org.anomalyj.train;

import org.anomalyj.AnomalyJException;

/**
 * Whether the training engine's jars are on the class path, checked without touching any DJL class
 * (this class links nothing of DJL), so that a missing engine is one clear sentence instead of a
 * NoClassDefFoundError. Detection never needs the engine; only training a distillation model does.
 */
public final class EngineAvailability {
    /** Resource inside pytorch-native-cpu (the libtorch binaries). */
    static final String NATIVE_MARKER = "native/lib/pytorch.properties";
    /** Resource inside pytorch-jni (DJL's JNI bridge for that libtorch). */
    static final String JNI_MARKER = "jnilib/pytorch.properties";

    private EngineAvailability() {
    }

    /** Null when everything is present, else the name of what is missing. */
    public static String missing() {
        ClassLoader loader = EngineAvailability.class.getClassLoader();
        try {
            Class.forName("ai.djl.engine.Engine", false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return "ai.djl:api";
        }
        try {
            Class.forName("ai.djl.pytorch.engine.PtEngine", false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return "ai.djl.pytorch:pytorch-engine";
        }
        if (loader.getResource(JNI_MARKER) == null) {
            return "ai.djl.pytorch:pytorch-jni";
        }
        if (loader.getResource(NATIVE_MARKER) == null) {
            return "ai.djl.pytorch:pytorch-native-cpu (classifier linux-x86_64)";
        }
        return null;
    }

    /** Throws a user error naming the missing jar and the fix. */
    public static void require(String method) {
        String m = missing();
        if (m != null) {
            throw new AnomalyJException("Training " + method + " needs the training engine (DJL with PyTorch), but " + m
                    + " is not on the class path; keep the lib/ folder that the build writes next to anomalyj.jar"
                    + " (mvn package copies it to target/lib), or add those jars to the class path (Fiji/ImageJ: copy"
                    + " target/lib/*.jar into Fiji's jars/ or ImageJ's plugins/jars/).");
        }
    }
}
