package org.anomalyj.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** The process's peak resident set size (Java heap, native ONNX Runtime memory and all), where the OS tells it. */
final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Peak RSS in MB from /proc/self/status (VmHWM), or NaN where there is no /proc. */
    static double peakResidentMb() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: unknown
        }
        return Double.NaN;
    }

    static String peakResidentText() {
        double mb = peakResidentMb();
        return Double.isNaN(mb) ? "unknown" : String.format(java.util.Locale.ROOT, "%.0f MB", mb);
    }
}
