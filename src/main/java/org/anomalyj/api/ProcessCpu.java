package org.anomalyj.api;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU seconds the whole process (every Java and ONNX Runtime thread) has used so far. Differences
 * of it compare the work of two pieces of training run in one process even when other programs
 * share the cores, where wall-clock seconds swing with their load.
 */
public final class ProcessCpu {
    private ProcessCpu() {
    }

    /** Process CPU time in seconds, or NaN where the JVM does not report it. */
    public static double seconds() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            long nanos = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos / 1e9;
        }
        return Double.NaN;
    }
}
