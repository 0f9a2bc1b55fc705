package org.anomalyj.data;

import java.util.SplittableRandom;

/**
 * Draws synthetic defects into float planes (1 grey or 3 RGB, row-major, 0..255 scale) and
 * returns the ground-truth mask: exactly the pixels the defect covers by at least half (the
 * anti-aliased rim outside it changes by less than half the defect's contrast). Sizes are 6-40
 * px and contrasts vary, so some defects are obvious and some are subtle.
 */
final class SyntheticDefects {
    /** Defects stay this far from the border so they are fully inside the image. */
    private static final int MARGIN = 24;

    private SyntheticDefects() {
    }

    /** A thin curved line (quadratic Bezier), brighter or darker than the surface. */
    static boolean[] scratch(float[][] planes, int w, int h, SplittableRandom rnd) {
        double length = rnd.nextDouble(12, 40);
        double angle = rnd.nextDouble(0, Math.PI);
        double cx = rnd.nextDouble(MARGIN + 20, w - MARGIN - 20);
        double cy = rnd.nextDouble(MARGIN + 20, h - MARGIN - 20);
        double dx = Math.cos(angle) * length / 2;
        double dy = Math.sin(angle) * length / 2;
        double bend = rnd.nextDouble(-0.35, 0.35) * length;
        double[] p0 = {cx - dx, cy - dy};
        double[] p2 = {cx + dx, cy + dy};
        double[] p1 = {cx - Math.sin(angle) * bend, cy + Math.cos(angle) * bend};
        int n = 64;
        double[] xs = new double[n + 1];
        double[] ys = new double[n + 1];
        for (int k = 0; k <= n; k++) {
            double t = k / (double) n;
            double a = (1 - t) * (1 - t);
            double b = 2 * t * (1 - t);
            double c = t * t;
            xs[k] = a * p0[0] + b * p1[0] + c * p2[0];
            ys[k] = a * p0[1] + b * p1[1] + c * p2[1];
        }
        double halfWidth = rnd.nextDouble(0.7, 1.6);
        double delta = (rnd.nextBoolean() ? 1 : -1) * rnd.nextDouble(35, 80);
        boolean[] mask = new boolean[w * h];
        int x0 = (int) Math.floor(min(xs) - 3);
        int x1 = (int) Math.ceil(max(xs) + 3);
        int y0 = (int) Math.floor(min(ys) - 3);
        int y1 = (int) Math.ceil(max(ys) + 3);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                double d = distanceToPolyline(x, y, xs, ys);
                double alpha = clamp(halfWidth + 0.5 - d);
                if (alpha > 0) {
                    add(planes, y * w + x, alpha * delta);
                    mask[y * w + x] |= alpha >= 0.5;
                }
            }
        }
        return mask;
    }

    /**
     * A blob whose texture is flattened and shifted in brightness (or tinted, for colour images),
     * with an irregular outline and a soft edge.
     */
    static boolean[] stain(float[][] planes, int w, int h, SplittableRandom rnd) {
        double radius = rnd.nextDouble(4, 20);
        double cx = rnd.nextDouble(MARGIN, w - MARGIN);
        double cy = rnd.nextDouble(MARGIN, h - MARGIN);
        long shapeSeed = rnd.nextLong();
        double strength = rnd.nextDouble(0.45, 0.9);
        double[] target = new double[planes.length];
        double shift = (rnd.nextBoolean() ? 1 : -1) * rnd.nextDouble(25, 55);
        for (int c = 0; c < planes.length; c++) {
            // Grey: brighter or darker. Colour: a brownish tint.
            target[c] = planes.length == 1 ? shift : new double[] {30, -5, -45}[c] * Math.signum(shift) + shift * 0.3;
        }
        boolean[] mask = new boolean[w * h];
        int r = (int) Math.ceil(radius * 1.4 + 3);
        double[] mean = localMean(planes, w, h, (int) cx, (int) cy, r);
        for (int y = (int) cy - r; y <= (int) cy + r; y++) {
            for (int x = (int) cx - r; x <= (int) cx + r; x++) {
                double ex = x - cx;
                double ey = y - cy;
                double d = Math.sqrt(ex * ex + ey * ey);
                double edge = outline(ex, ey, radius, shapeSeed);
                double alpha = clamp((edge - d) / 2.5 + 0.5);
                if (alpha <= 0) {
                    continue;
                }
                int p = y * w + x;
                for (int c = 0; c < planes.length; c++) {
                    float v = planes[c][p];
                    double stained = mean[c] + (v - mean[c]) * 0.4 + target[c];
                    planes[c][p] = (float) (v + (stained - v) * alpha * strength);
                }
                mask[p] |= alpha >= 0.5;
            }
        }
        return mask;
    }

    /** A small round pit: dark inside, with a lit rim on one side (light from the upper left). */
    static boolean[] pit(float[][] planes, int w, int h, SplittableRandom rnd) {
        double radius = rnd.nextDouble(3, 7);
        double cx = rnd.nextDouble(MARGIN, w - MARGIN);
        double cy = rnd.nextDouble(MARGIN, h - MARGIN);
        double depth = rnd.nextDouble(40, 90);
        boolean[] mask = new boolean[w * h];
        int r = (int) Math.ceil(radius + 2);
        for (int y = (int) cy - r; y <= (int) cy + r; y++) {
            for (int x = (int) cx - r; x <= (int) cx + r; x++) {
                double ex = x - cx;
                double ey = y - cy;
                double d = Math.sqrt(ex * ex + ey * ey);
                double alpha = clamp(radius + 0.5 - d);
                if (alpha <= 0) {
                    continue;
                }
                // Inner wall facing the light (lower right of the pit) is bright, the rest dark.
                double facing = d > 0 ? (ex + ey) / (d * Math.sqrt(2)) : 0;
                double wall = Math.max(0, d / radius - 0.55) / 0.45;
                double delta = -depth * (1 - wall) + wall * (facing * 0.8 * depth - 0.3 * depth);
                add(planes, y * w + x, alpha * delta);
                mask[y * w + x] |= alpha >= 0.5;
            }
        }
        return mask;
    }

    /** A hole in a fabric: threads gone, the dark backing shows, with a ragged outline. */
    static boolean[] hole(float[][] planes, int w, int h, SplittableRandom rnd) {
        double radius = rnd.nextDouble(3.5, 16);
        double cx = rnd.nextDouble(MARGIN, w - MARGIN);
        double cy = rnd.nextDouble(MARGIN, h - MARGIN);
        long shapeSeed = rnd.nextLong();
        double[] dark = {rnd.nextDouble(15, 45), rnd.nextDouble(15, 40), rnd.nextDouble(15, 40)};
        boolean[] mask = new boolean[w * h];
        int r = (int) Math.ceil(radius * 1.4 + 2);
        for (int y = (int) cy - r; y <= (int) cy + r; y++) {
            for (int x = (int) cx - r; x <= (int) cx + r; x++) {
                double ex = x - cx;
                double ey = y - cy;
                double d = Math.sqrt(ex * ex + ey * ey);
                double alpha = clamp(outline(ex, ey, radius, shapeSeed) - d + 0.5);
                if (alpha <= 0) {
                    continue;
                }
                int p = y * w + x;
                for (int c = 0; c < planes.length; c++) {
                    planes[c][p] += (float) ((dark[c % 3] - planes[c][p]) * alpha);
                }
                mask[p] |= alpha >= 0.5;
            }
        }
        return mask;
    }

    /**
     * One weft thread missing over 10-40 px: redraws that stretch of the thread's row without
     * it. The mask is the whole stretch of the row, where the fabric is wrong.
     */
    static boolean[] missingThread(float[][] planes, int w, int h, WeaveTexture weave, SplittableRandom rnd) {
        int length = rnd.nextInt(10, 41);
        int x0 = rnd.nextInt(MARGIN, w - MARGIN - length);
        int yc = rnd.nextInt(MARGIN, h - MARGIN);
        int row = weave.weftIndex(x0 + length / 2, yc);
        boolean[] mask = new boolean[w * h];
        float[] px = new float[3];
        for (int y = Math.max(0, yc - 20); y < Math.min(h, yc + 20); y++) {
            for (int x = x0; x < x0 + length; x++) {
                if (weave.weftIndex(x, y) != row) {
                    continue;
                }
                weave.pixel(x, y, true, px);
                int p = y * w + x;
                for (int c = 0; c < planes.length; c++) {
                    planes[c][p] = px[c];
                }
                mask[p] = true;
            }
        }
        return mask;
    }

    /** Irregular blob outline: radius at the pixel's angle, smooth noise around the circle. */
    private static double outline(double ex, double ey, double radius, long seed) {
        double a = Math.atan2(ey, ex);
        return radius * (1 + 0.3 * ValueNoise.at(1.3 * Math.cos(a) + 5, 1.3 * Math.sin(a) + 5, seed));
    }

    private static double[] localMean(float[][] planes, int w, int h, int cx, int cy, int r) {
        double[] mean = new double[planes.length];
        int n = 0;
        for (int y = Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++) {
            for (int x = Math.max(0, cx - r); x <= Math.min(w - 1, cx + r); x++) {
                for (int c = 0; c < planes.length; c++) {
                    mean[c] += planes[c][y * w + x];
                }
                n++;
            }
        }
        for (int c = 0; c < planes.length; c++) {
            mean[c] /= n;
        }
        return mean;
    }

    private static void add(float[][] planes, int p, double delta) {
        for (float[] plane : planes) {
            plane[p] += (float) delta;
        }
    }

    private static double distanceToPolyline(double px, double py, double[] xs, double[] ys) {
        double best = Double.POSITIVE_INFINITY;
        for (int k = 0; k + 1 < xs.length; k++) {
            double ax = xs[k];
            double ay = ys[k];
            double bx = xs[k + 1] - ax;
            double by = ys[k + 1] - ay;
            double len2 = bx * bx + by * by;
            double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * bx + (py - ay) * by) / len2));
            double dx = px - (ax + t * bx);
            double dy = py - (ay + t * by);
            best = Math.min(best, dx * dx + dy * dy);
        }
        return Math.sqrt(best);
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    private static double min(double[] a) {
        double m = a[0];
        for (double v : a) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double max(double[] a) {
        double m = a[0];
        for (double v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
