package org.anomalyj;

import java.util.stream.IntStream;

/**
 * Splits work on {@code n} rows (or pixels) into contiguous bands on the common fork/join pool:
 * twice as many bands as cores, so a band that runs late does not leave a core idle for long.
 */
public final class Bands {
    /** Work on rows {@code from..to-1}; each band may allocate its buffers once. */
    public interface Band {
        void rows(int from, int to);
    }

    private Bands() {
    }

    /** Runs {@code band} over rows 0..n-1 in twice as many bands as cores (at most one row each). */
    public static void run(int n, Band band) {
        int bands = Math.min(n, 2 * Runtime.getRuntime().availableProcessors());
        IntStream.range(0, bands).parallel()
                .forEach(b -> band.rows((int) ((long) b * n / bands), (int) ((long) (b + 1) * n / bands)));
    }
}
