package org.anomalyj.data;

import java.util.SplittableRandom;

/**
 * An RGB plain weave: vertical warp threads of one colour and horizontal weft threads of
 * another, crossing over and under in a checkerboard, with rounded thread shading, dark gaps,
 * and a slight colour variation from thread to thread (as between yarns of one dye lot). One
 * instance is one image's parameters; {@link #pixel} can also draw the weave with one weft thread
 * missing (a defect).
 *
 * <p>The period and phase are whole pixels and nothing varies along a thread, so the pattern
 * repeats exactly and PNG compresses it about 5x better than a version with wobbling threads and
 * smooth lighting; that keeps the committed sample data small.
 */
final class WeaveTexture {
    private final int period;
    private final int phaseX;
    private final int phaseY;
    private final float[] warp;
    private final float[] weft;
    private final float[] backing;
    private final long threadSeed;

    WeaveTexture(SplittableRandom rnd) {
        period = 10;
        phaseX = rnd.nextInt(2 * period);
        phaseY = rnd.nextInt(2 * period);
        warp = jitter(new float[] {48, 70, 140}, rnd);
        weft = jitter(new float[] {196, 150, 70}, rnd);
        backing = jitter(new float[] {28, 26, 30}, rnd);
        threadSeed = rnd.nextLong();
    }

    private static float[] jitter(float[] rgb, SplittableRandom rnd) {
        double gain = rnd.nextDouble(0.93, 1.07);
        float[] out = new float[3];
        for (int c = 0; c < 3; c++) {
            out[c] = (float) (rgb[c] * gain + rnd.nextDouble(-6, 6));
        }
        return out;
    }

    /** Fills three planes (R, G, B; row-major) with the intact weave. */
    void render(float[][] rgb, int w, int h) {
        float[] px = new float[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pixel(x, y, false, px);
                for (int c = 0; c < 3; c++) {
                    rgb[c][y * w + x] = px[c];
                }
            }
        }
    }

    /** Index of the weft thread (row of cells) that covers pixel (x, y). */
    int weftIndex(int x, int y) {
        return Math.floorDiv(y + phaseY, period);
    }

    /**
     * Colour at (x, y). With {@code weftMissing} the weft thread there is absent: the warp
     * threads lie on top everywhere (a little darker, being lower) and gaps show the backing.
     */
    void pixel(int x, int y, boolean weftMissing, float[] out) {
        int xw = x + phaseX;
        int yw = y + phaseY;
        int i = Math.floorDiv(xw, period);
        int j = Math.floorDiv(yw, period);
        // Pixel centres, so the thread profile is symmetric within its cell.
        double fx = (xw - i * period + 0.5) / period;
        double fy = (yw - j * period + 0.5) / period;
        boolean warpOnTop = weftMissing || ((i + j) & 1) == 0;
        // Across a thread: rounded profile, dark gap at its edges; along it: dips where it
        // passes under the crossing thread.
        double across = warpOnTop ? fx : fy;
        double along = warpOnTop ? fy : fx;
        double profile = Math.sin(Math.PI * across);
        float[] colour = warpOnTop ? warp : weft;
        double shade = (0.45 + 0.55 * profile) * (0.85 + 0.15 * Math.sin(Math.PI * along));
        if (weftMissing) {
            shade *= 0.8;
        }
        double gap = smoothGap(across);
        // Each thread's own slight brightness offset (constant along the thread).
        double light = 1 + 0.06 * ValueNoise.lattice(warpOnTop ? i : j, warpOnTop ? 0 : 1, threadSeed);
        for (int c = 0; c < 3; c++) {
            double thread = colour[c] * shade;
            out[c] = (float) (light * (backing[c] + (thread - backing[c]) * gap));
        }
    }

    /** 0 in the gap between threads (outer 8% each side), 1 on the thread, smooth in between. */
    private static double smoothGap(double t) {
        double d = Math.min(t, 1 - t);
        double s = Math.min(1, Math.max(0, (d - 0.04) / 0.08));
        return s * s * (3 - 2 * s);
    }
}
