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
     * Buffers of {@link #distanceSymmetric(float[], int, float[], int, float[], long, int, Workspace)}
     * for vectors of up to {@code d} channels: the difference, the partial products and four rows of
     * the inverse. Not thread-safe: one per thread (PaDiM's scoring makes one per chunk of positions).
     */
    public static final class Workspace {
        final int capacity;
        final float[] diff;
        final float[] z;
        final float[] row0;
        final float[] row1;
        final float[] row2;
        final float[] row3;

        /** Buffers for vectors of at most {@code d} channels ({@code 6 d} floats). */
        public Workspace(int d) {
            capacity = d;
            diff = new float[d];
            z = new float[d];
            row0 = new float[d];
            row1 = new float[d];
            row2 = new float[d];
            row3 = new float[d];
        }
    }

    /**
     * The same distance as {@link #distance} for a <em>symmetric</em> inverse, reading only the
     * upper triangle (PaDiM's inverses are d x d per position, 1.2 GB per image for d = 550: the
     * head is bound by reading them), with no allocation: all buffers come from {@code w}, which
     * must hold at least d channels.
     * <p>
     * {@code s = sum_i S_ii diff_i^2 + 2 sum_j diff_j z_j} with {@code z_j = sum_{i<j} diff_i S_ij}.
     * z is accumulated four rows at a time ({@code z_j += a0 S_0j + a1 S_1j + a2 S_2j + a3 S_3j},
     * element-wise over a contiguous range, which C2 vectorises) instead of one dot product per row
     * (a reduction C2 does not vectorise). The four rows are first copied (an intrinsic) into
     * scratch arrays that share z's index: on JDK 17, C2 left the same loop scalar when it read the
     * rows in place at a different offset than z (measured in cache: 1.35 x slower than the copied
     * rows, and barely faster than itself with SuperWord off; docs/performance.md, PaDiM head). z sums in float, the diagonal and the final sum in double.
     * @throws IllegalArgumentException when {@code w} is smaller than d
     */
    public static float distanceSymmetric(float[] x, int xo, float[] mean, int mo, float[] inv, long io, int d,
            Workspace w) {
        if (w.capacity < d) {
            throw new IllegalArgumentException("workspace for " + w.capacity + " channels, need " + d);
        }
        int base = (int) io;
        float[] diff = w.diff;
        float[] z = w.z;
        float[] t0 = w.row0;
        float[] t1 = w.row1;
        float[] t2 = w.row2;
        float[] t3 = w.row3;
        for (int i = 0; i < d; i++) {
            diff[i] = x[xo + i] - mean[mo + i];
            z[i] = 0f;
        }
        double diag = 0;
        int i = 0;
        for (; i + 3 < d; i += 4) {
            int r0 = base + i * d;
            int r1 = r0 + d;
            int r2 = r1 + d;
            int r3 = r2 + d;
            float a0 = diff[i];
            float a1 = diff[i + 1];
            float a2 = diff[i + 2];
            float a3 = diff[i + 3];
            diag += (double) inv[r0 + i] * a0 * a0 + (double) inv[r1 + i + 1] * a1 * a1
                    + (double) inv[r2 + i + 2] * a2 * a2 + (double) inv[r3 + i + 3] * a3 * a3;
            // the small triangle among the four rows
            z[i + 1] += a0 * inv[r0 + i + 1];
            z[i + 2] += a0 * inv[r0 + i + 2] + a1 * inv[r1 + i + 2];
            z[i + 3] += a0 * inv[r0 + i + 3] + a1 * inv[r1 + i + 3] + a2 * inv[r2 + i + 3];
            int s = i + 4;
            int n = d - s;
            System.arraycopy(inv, r0 + s, t0, s, n);
            System.arraycopy(inv, r1 + s, t1, s, n);
            System.arraycopy(inv, r2 + s, t2, s, n);
            System.arraycopy(inv, r3 + s, t3, s, n);
            for (int j = s; j < d; j++) {
                z[j] += a0 * t0[j] + a1 * t1[j] + a2 * t2[j] + a3 * t3[j];
            }
        }
        for (; i < d; i++) { // the last d mod 4 rows
            int row = base + i * d;
            float a = diff[i];
            diag += (double) inv[row + i] * a * a;
            for (int j = i + 1; j < d; j++) {
                z[j] += a * inv[row + j];
            }
        }
        double off = 0;
        for (int j = 0; j < d; j++) {
            off += (double) diff[j] * z[j];
        }
        return (float) Math.sqrt(Math.max(0, diag + 2 * off));
    }
}
