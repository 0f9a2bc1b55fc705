package org.anomalyj.model.padim;

/** Symmetric positive definite inverse via Cholesky, and the Mahalanobis distance. */
public final class Mahalanobis {
    private Mahalanobis() {
    }

    /**
     * Inverse of a symmetric positive definite d x d matrix (row-major; only the upper triangle is
     * read): S = U^T U, S^-1 = U^-1 U^-T, by {@link CholeskyInverter} (which a caller inverting
     * many matrices should reuse: this allocates its buffers).
     * @throws IllegalArgumentException when S is not positive definite
     */
    public static double[] invert(double[] s, int d) {
        double[] inv = new double[d * d];
        new CholeskyInverter(d).invert(s, inv);
        return inv;
    }

    /**
     * sqrt((x - mu)^T S^-1 (x - mu)) for vectors at offsets; {@code diff} is a d-long work buffer.
     * Negative rounding results clamp to 0.
     */
    public static float distance(float[] x, int xo, float[] mean, int mo, float[] inv, long io, int d,
            double[] diff) {
        for (int i = 0; i < d; i++) {
            diff[i] = (double) x[xo + i] - mean[mo + i];
        }
        double s = 0;
        int base = (int) io;
        for (int i = 0; i < d; i++) {
            double r = 0;
            int row = base + i * d;
            for (int j = 0; j < d; j++) {
                r += inv[row + j] * diff[j];
            }
            s += diff[i] * r;
        }
        return (float) Math.sqrt(Math.max(0, s));
    }

    /**
     * The same distance as {@link #distance} for a <em>symmetric</em> inverse, reading only the
     * upper triangle: {@code s = sum_i diff_i (S_ii diff_i + 2 sum_{j>i} S_ij diff_j)}. Half the
     * memory traffic (PaDiM's inverses are d x d per position, 1.2 GB per image for d = 550: the
     * head is bound by reading them), and each row's dot product runs as four independent float
     * sums instead of one latency-bound double chain; rows are added in double.
     * {@code diff} is a d-long work buffer.
     */
    public static float distanceSymmetric(float[] x, int xo, float[] mean, int mo, float[] inv, long io, int d,
            float[] diff) {
        for (int i = 0; i < d; i++) {
            diff[i] = x[xo + i] - mean[mo + i];
        }
        double s = 0;
        int base = (int) io;
        for (int i = 0; i < d; i++) {
            int row = base + i * d;
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            int j = i + 1;
            for (; j + 3 < d; j += 4) {
                s0 += inv[row + j] * diff[j];
                s1 += inv[row + j + 1] * diff[j + 1];
                s2 += inv[row + j + 2] * diff[j + 2];
                s3 += inv[row + j + 3] * diff[j + 3];
            }
            for (; j < d; j++) {
                s0 += inv[row + j] * diff[j];
            }
            double off = (double) ((s0 + s1) + (s2 + s3));
            s += diff[i] * ((double) inv[row + i] * diff[i] + 2 * off);
        }
        return (float) Math.sqrt(Math.max(0, s));
    }
}
