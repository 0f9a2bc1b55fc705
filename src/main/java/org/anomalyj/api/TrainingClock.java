package org.anomalyj.api;

import com.google.gson.JsonObject;
import java.time.Instant;

/**
 * Wall-clock and process-CPU time of one training, from construction to {@link #record}, written
 * into the bundle's provenance the same way by every trainer.
 */
final class TrainingClock {
    private final long start = System.nanoTime();
    private final double cpuStart = ProcessCpu.seconds();

    /** Nanoseconds since the clock was made. */
    long elapsedNanos() {
        return System.nanoTime() - start;
    }

    /**
     * Adds {@code date}, {@code seconds} (whole training so far), {@code cpu_seconds} (all threads of
     * the process) and {@code stage_seconds} {features, fit, calibration}.
     */
    void record(JsonObject training, double featuresSeconds, double fitSeconds, double calibrationSeconds) {
        training.addProperty("date", Instant.now().toString());
        training.addProperty("seconds", elapsedNanos() / 1e9);
        training.addProperty("cpu_seconds", ProcessCpu.seconds() - cpuStart);
        JsonObject stages = new JsonObject();
        stages.addProperty("features", featuresSeconds);
        stages.addProperty("fit", fitSeconds);
        stages.addProperty("calibration", calibrationSeconds);
        training.add("stage_seconds", stages);
    }
}
