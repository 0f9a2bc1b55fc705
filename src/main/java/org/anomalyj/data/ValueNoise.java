package org.anomalyj.data;

/**
 * Smooth 2-D value noise: random values on an integer lattice (from a hash of the lattice point
 * and a seed, so no tables and no bounds), blended with a quintic fade. Values lie in [-1, 1].
 * Smooth noise keeps the synthetic textures realistic and small when saved as PNG (per-pixel
 * white noise does not compress).
 */
final class ValueNoise {
    private ValueNoise() {
    }

    /** Noise at (x, y) in lattice units. */
    static float at(double x, double y, long seed) {
        double fx = Math.floor(x);
        double fy = Math.floor(y);
        long ix = (long) fx;
        long iy = (long) fy;
        double tx = fade(x - fx);
        double ty = fade(y - fy);
        double a = lattice(ix, iy, seed);
        double b = lattice(ix + 1, iy, seed);
        double c = lattice(ix, iy + 1, seed);
        double d = lattice(ix + 1, iy + 1, seed);
        double top = a + (b - a) * tx;
        double bottom = c + (d - c) * tx;
        return (float) (top + (bottom - top) * ty);
    }

    private static double fade(double t) {
        return t * t * t * (t * (t * 6 - 15) + 10);
    }

    /** A value in [-1, 1] for a lattice point (SplitMix64 finaliser over the mixed coordinates). */
    static double lattice(long ix, long iy, long seed) {
        long z = seed + ix * 0x9E3779B97F4A7C15L + iy * 0xC2B2AE3D27D4EB4FL;
        z = mix(z);
        return (z >>> 11) * 0x1.0p-53 * 2 - 1;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
