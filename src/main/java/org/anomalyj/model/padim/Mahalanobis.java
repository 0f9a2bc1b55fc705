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
     * Buffers of {@link #distancePacked(float[], int, float[], int, float[], long, int, Workspace)}
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
     * The same distance as {@link #distance} for a <em>symmetric</em> inverse given as its packed
     * upper triangle ({@link PackedSymmetric}, the matrix starting at {@code to} in {@code tri}),
     * with no allocation: all buffers come from {@code w}, which must hold at least d channels.
     * PaDiM reads one d x d inverse per position for every image (0.62 GB packed for d = 550 and
     * 32 x 32 positions): the head is bound by that read.
     * <p>
     * {@code s = sum_i S_ii diff_i^2 + 2 sum_j diff_j z_j} with {@code z_j = sum_{i<j} diff_i S_ij}.
     * z is accumulated four rows at a time ({@code z_j += a0 S_0j + a1 S_1j + a2 S_2j + a3 S_3j},
     * element-wise over a contiguous range, which C2 vectorises) instead of one dot product per row
     * (a reduction C2 does not vectorise). The four rows are first copied (an intrinsic) into
     * scratch arrays that share z's index: on JDK 17, C2 left the same loop scalar when it read the
     * rows in place at a different offset than z (measured in cache: 1.35 x slower than the copied
     * rows, and barely faster than itself with SuperWord off; docs/performance.md, PaDiM head).
     * Packed rows follow each other, so the four copies read one contiguous stream: 1024 positions
     * of d = 550 took 27 ms against 43 ms with the rows' upper parts read out of full matrices
     * (scratch benchmark, two threads). z sums in float, the diagonal and the final sum in double.
     * @throws IllegalArgumentException when {@code w} is smaller than d
     */
    public static float distancePacked(float[] x, int xo, float[] mean, int mo, float[] tri, long to, int d,
            Workspace w) {
        if (w.capacity < d) {
            throw new IllegalArgumentException("workspace for " + w.capacity + " channels, need " + d);
        }
        int base = (int) to;
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
            // r + j is element (row, j) of the packed matrix
            int r0 = base + PackedSymmetric.rowStart(i, d) - i;
            int r1 = base + PackedSymmetric.rowStart(i + 1, d) - (i + 1);
            int r2 = base + PackedSymmetric.rowStart(i + 2, d) - (i + 2);
            int r3 = base + PackedSymmetric.rowStart(i + 3, d) - (i + 3);
            float a0 = diff[i];
            float a1 = diff[i + 1];
            float a2 = diff[i + 2];
            float a3 = diff[i + 3];
            diag += (double) tri[r0 + i] * a0 * a0 + (double) tri[r1 + i + 1] * a1 * a1
                    + (double) tri[r2 + i + 2] * a2 * a2 + (double) tri[r3 + i + 3] * a3 * a3;
            // the small triangle among the four rows
            z[i + 1] += a0 * tri[r0 + i + 1];
            z[i + 2] += a0 * tri[r0 + i + 2] + a1 * tri[r1 + i + 2];
            z[i + 3] += a0 * tri[r0 + i + 3] + a1 * tri[r1 + i + 3] + a2 * tri[r2 + i + 3];
            int s = i + 4;
            int n = d - s;
            System.arraycopy(tri, r0 + s, t0, s, n);
            System.arraycopy(tri, r1 + s, t1, s, n);
            System.arraycopy(tri, r2 + s, t2, s, n);
            System.arraycopy(tri, r3 + s, t3, s, n);
            for (int j = s; j < d; j++) {
                z[j] += a0 * t0[j] + a1 * t1[j] + a2 * t2[j] + a3 * t3[j];
            }
        }
        for (; i < d; i++) { // the last d mod 4 rows
            int row = base + PackedSymmetric.rowStart(i, d) - i;
            float a = diff[i];
            diag += (double) tri[row + i] * a * a;
            for (int j = i + 1; j < d; j++) {
                z[j] += a * tri[row + j];
            }
        }
        double off = 0;
        for (int j = 0; j < d; j++) {
            off += (double) diff[j] * z[j];
        }
        return (float) Math.sqrt(Math.max(0, diag + 2 * off));
    }
}
