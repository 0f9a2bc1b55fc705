package org.anomalyj.post;

import org.anomalyj.img.Borders;

import java.util.stream.IntStream;

/**
 * Separable Gaussian smoothing of anomaly maps, matching anomalib's post-processing blur:
 * kernel radius {@code int(4 * sigma + 0.5)} (size {@code 2 * radius + 1}), weights
 * {@code exp(-x^2 / (2 sigma^2))} normalised to sum 1, and reflect padding ({@code d c b | a b c d
 * | c b a}, edge not repeated). Maps smaller than the kernel are reflected repeatedly, so any size
 * works.
 *
 * <p>Memory: one intermediate plane plus the output (two planes), and one padded row per worker.
 * Both passes are written as element-wise row updates so the JIT vectorises them, and the
 * symmetric kernel is folded to halve the multiplications; large maps use all cores.
 */
public final class GaussianBlur {
    private static final int PARALLEL_THRESHOLD = 1 << 17;

    private GaussianBlur() {
    }

    /** Kernel radius for {@code sigma}: {@code int(4 * sigma + 0.5)}, as anomalib computes it. */
    public static int radius(double sigma) {
        return (int) (4 * sigma + 0.5);
    }

    /** The normalised 1-D kernel (length {@code 2 * radius(sigma) + 1}). */
    public static float[] kernel(double sigma) {
        int r = radius(sigma);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-(double) i * i / (2 * sigma * sigma));
            sum += k[i + r];
        }
        float[] out = new float[k.length];
        for (int i = 0; i < k.length; i++) {
            out[i] = (float) (k[i] / sum);
        }
        return out;
    }

    /** Blurs a map; returns a new map of the same size. */
    public static AnomalyMap blur(AnomalyMap map, double sigma) {
        return map.withValues(blur(map.values(), map.width(), map.height(), sigma));
    }

    /**
     * Blurs a row-major {@code w x h} plane with a Gaussian of standard deviation {@code sigma}
     * pixels; returns a new array ({@code sigma <= 0} returns a copy).
     */
    public static float[] blur(float[] src, int w, int h, double sigma) {
        if (w <= 0 || h <= 0 || (long) w * h != src.length) {
            throw new IllegalArgumentException("plane of " + src.length + " values is not " + w + "x" + h);
        }
        if (!(sigma > 0) || radius(sigma) == 0) {
            return src.clone();
        }
        float[] k = kernel(sigma);
        int r = radius(sigma);
        boolean parallel = src.length >= PARALLEL_THRESHOLD;
        float[] tmp = new float[src.length];
        int rowsPerBlock = Math.max(1, (1 << 14) / w);
        int blocks = (h + rowsPerBlock - 1) / rowsPerBlock;
        range(blocks, parallel).forEach(b -> {
            float[] padded = new float[w + 2 * r];
            int end = Math.min(h, (b + 1) * rowsPerBlock);
            for (int y = b * rowsPerBlock; y < end; y++) {
                horizontal(src, tmp, y * w, w, k, r, padded);
            }
        });
        float[] dst = new float[src.length];
        range(h, parallel).forEach(y -> vertical(tmp, dst, y, w, h, k, r));
        return dst;
    }

    private static IntStream range(int n, boolean parallel) {
        IntStream s = IntStream.range(0, n);
        return parallel ? s.parallel() : s;
    }

    private static void horizontal(float[] src, float[] dst, int off, int w, float[] k, int r, float[] p) {
        for (int j = 0; j < w + 2 * r; j++) {
            p[j] = src[off + Borders.reflect101(j - r, w)];
        }
        float k0 = k[r];
        for (int x = 0; x < w; x++) {
            dst[off + x] = k0 * p[x + r];
        }
        for (int j = 1; j <= r; j++) {
            float kj = k[r + j];
            int lo = r - j;
            int hi = r + j;
            for (int x = 0; x < w; x++) {
                dst[off + x] += kj * (p[lo + x] + p[hi + x]);
            }
        }
    }

    private static void vertical(float[] src, float[] dst, int y, int w, int h, float[] k, int r) {
        int out = y * w;
        float k0 = k[r];
        for (int x = 0; x < w; x++) {
            dst[out + x] = k0 * src[out + x];
        }
        for (int j = 1; j <= r; j++) {
            float kj = k[r + j];
            int above = Borders.reflect101(y - j, h) * w;
            int below = Borders.reflect101(y + j, h) * w;
            for (int x = 0; x < w; x++) {
                dst[out + x] += kj * (src[above + x] + src[below + x]);
            }
        }
    }

}
