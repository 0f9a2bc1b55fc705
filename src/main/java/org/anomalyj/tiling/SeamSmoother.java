package org.anomalyj.tiling;

import org.anomalyj.post.GaussianBlur;

/**
 * Gaussian smoothing confined to bands around tile seams, as the tiled-ensemble paper does: tile
 * maps disagree slightly at their borders (each tile sees less context there), which would show
 * as a grid in the merged map. Only pixels within {@code band} of a seam change; they take the
 * value a full-map Gaussian blur of the merged map would give them (every band, including where
 * two seams cross, is computed from the unsmoothed map first and written back afterwards).
 *
 * <p>Memory: the blurred bands ({@code 2 band x length} values per seam) and one strip of
 * {@code (2 band + 2 radius) x length} values at a time, never a second image-sized plane, so it
 * works on maps of very large images.
 */
public final class SeamSmoother {
    private SeamSmoother() {
    }

    /** Smooths {@code map} (row-major, the grid's size) in place. */
    public static void smooth(float[] map, TileGrid grid, int band, double sigma) {
        if (band <= 0 || !(sigma > 0)) {
            return;
        }
        int w = grid.width();
        int h = grid.height();
        int r = GaussianBlur.radius(sigma);
        java.util.List<Runnable> writes = new java.util.ArrayList<>();
        for (int sx : grid.seams(true)) {
            int b0 = Math.max(0, sx - band);
            int b1 = Math.min(w, sx + band);
            int s0 = Math.max(0, b0 - r);
            int s1 = Math.min(w, b1 + r);
            int sw = s1 - s0;
            float[] strip = new float[sw * h];
            for (int y = 0; y < h; y++) {
                System.arraycopy(map, y * w + s0, strip, y * sw, sw);
            }
            float[] blurred = GaussianBlur.blur(strip, sw, h, sigma);
            writes.add(() -> {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(blurred, y * sw + b0 - s0, map, y * w + b0, b1 - b0);
                }
            });
        }
        for (int sy : grid.seams(false)) {
            int b0 = Math.max(0, sy - band);
            int b1 = Math.min(h, sy + band);
            int s0 = Math.max(0, b0 - r);
            int s1 = Math.min(h, b1 + r);
            float[] strip = new float[(s1 - s0) * w];
            System.arraycopy(map, s0 * w, strip, 0, strip.length);
            float[] blurred = GaussianBlur.blur(strip, w, s1 - s0, sigma);
            float[] rows = java.util.Arrays.copyOfRange(blurred, (b0 - s0) * w, (b1 - s0) * w);
            writes.add(() -> System.arraycopy(rows, 0, map, b0 * w, rows.length));
        }
        writes.forEach(Runnable::run);
    }
}
