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

    /**
     * Work below this many values runs on the calling thread: waking a pool worker costs tens of
     * microseconds, and on two cores it competes with ONNX Runtime's threads. MobileNetV2's patch
     * embedding (layers of 32 x 32 x 32 and 16 x 16 x 96 values, 1024 x 128 out) took 0.67-0.72 ms
     * in bands and 0.38-0.39 ms on one thread; ResNet50v2's (16 x 16 x 1024 values and up) gains
     * from the bands.
     */
    public static final long SEQUENTIAL_WORK = 1L << 18;

    /**
     * Runs {@code band} over rows 0..n-1, in bands on all cores when {@code work} (the values the
     * rows touch in all) is at least {@link #SEQUENTIAL_WORK}, else as one band on this thread.
     */
    public static void run(int n, long work, Band band) {
        run(n, work, SEQUENTIAL_WORK, band);
    }

    /**
     * As {@link #run(int, long, Band)} with another threshold, for work whose cost per value differs
     * much from a copy's (e.g. a table lookup per pixel).
     */
    public static void run(int n, long work, long sequentialBelow, Band band) {
        if (work < sequentialBelow) {
            band.rows(0, n);
        } else {
            run(n, band);
        }
    }

    /** Runs {@code band} over rows 0..n-1 in twice as many bands as cores (at most one row each). */
    public static void run(int n, Band band) {
        int bands = Math.min(n, 2 * Runtime.getRuntime().availableProcessors());
        IntStream.range(0, bands).parallel()
                .forEach(b -> band.rows((int) ((long) b * n / bands), (int) ((long) (b + 1) * n / bands)));
    }
}
