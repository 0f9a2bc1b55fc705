package org.anomalyj.model.padim;

/**
 * Inverse of symmetric positive definite d x d matrices by Cholesky, with reusable buffers: one
 * instance per thread (not thread-safe), about {@code 2 d^2} doubles.
 *
 * <p>S = U^T U (U upper triangular), M = U^-T (lower triangular), S^-1 = M^T M: about
 * {@code 2 d^3 / 3} multiply-adds, all in loops of the form {@code y[j] += a * x[j]} over rows
 * stored as separate arrays and indexed by the same j, the form C2 (JDK 17) vectorises; four rows
 * are combined per pass over the output row so that it stays in L1. The Cholesky factor is
 * computed right-looking in panels of {@value #PANEL} rows, so that the trailing rows are
 * read once per panel rather than once per row of the factor.
 */
public final class CholeskyInverter {
    private static final int PANEL = 32;

    private final int d;
    /** The factor U (upper triangle of each row), then the rows of S^-1 (from the diagonal on). */
    private final double[][] u;
    /** M = U^-T: row i holds columns 0..i; the rest stays 0 (the four-row kernels read it). */
    private final double[][] m;

    public CholeskyInverter(int d) {
        this.d = d;
        this.u = new double[d][d];
        this.m = new double[d][d];
    }

    /** The dimension d. */
    public int dimension() {
        return d;
    }

    /**
     * S^-1 of the d x d row-major s (only its upper triangle is read) into {@code out}, full and
     * exactly symmetric, row-major.
     * @throws IllegalArgumentException when S is not positive definite
     */
    public void invert(double[] s, double[] out) {
        upperInverse(s);
        for (int i = 0; i < d; i++) {
            double[] r = u[i];
            for (int j = i; j < d; j++) {
                out[i * d + j] = r[j];
                out[j * d + i] = r[j];
            }
        }
    }

    /**
     * The upper triangle of {@link #invert(double[], double[])}, rounded to float, packed row after
     * row ({@link PackedSymmetric}) into {@code out} from {@code offset}.
     * @throws IllegalArgumentException when S is not positive definite
     */
    public void invertPacked(double[] s, float[] out, long offset) {
        upperInverse(s);
        for (int i = 0; i < d; i++) {
            double[] r = u[i];
            int o = (int) (offset + PackedSymmetric.rowStart(i, d)) - i;
            for (int j = i; j < d; j++) {
                out[o + j] = (float) r[j];
            }
        }
    }

    /** Leaves row i of S^-1 in {@code u[i][i..d)}. */
    private void upperInverse(double[] s) {
        if (s.length < d * d) {
            throw new IllegalArgumentException("expected " + d + " x " + d + " values, got " + s.length);
        }
        for (int i = 0; i < d; i++) {
            System.arraycopy(s, i * d + i, u[i], i, d - i);
        }
        factor();
        invertFactor();
        multiplyInverseFactors();
    }

    /** Right-looking Cholesky S = U^T U in place on the upper triangle of u, panel by panel. */
    private void factor() {
        for (int k0 = 0; k0 < d; k0 += PANEL) {
            int k1 = Math.min(d, k0 + PANEL);
            for (int k = k0; k < k1; k++) {
                double[] uk = u[k];
                double pivot = uk[k];
                if (!(pivot > 0)) {
                    throw new IllegalArgumentException("matrix is not positive definite");
                }
                double ukk = Math.sqrt(pivot);
                uk[k] = ukk;
                for (int j = k + 1; j < d; j++) {
                    uk[j] /= ukk;
                }
                for (int i = k + 1; i < k1; i++) { // the panel's own later rows
                    subtract(u[i], uk[i], uk, i, d);
                }
            }
            for (int i = k1; i < d; i++) { // the trailing rows, each kept in L1 across the panel
                double[] ui = u[i];
                int k = k0;
                for (; k + 3 < k1; k += 4) {
                    subtract4(ui, u[k][i], u[k], u[k + 1][i], u[k + 1], u[k + 2][i], u[k + 2], u[k + 3][i], u[k + 3],
                            i, d);
                }
                for (; k < k1; k++) {
                    subtract(ui, u[k][i], u[k], i, d);
                }
            }
        }
    }

    /**
     * M = L^-1 with L = U^T, row by row: {@code M_i = (e_i - sum_{k<i} U_ki M_k) / U_ii}. Row k of
     * M is 0 beyond column k, so the four-row passes may run to the last row's end.
     */
    private void invertFactor() {
        for (int i = 0; i < d; i++) {
            double[] mi = m[i];
            for (int c = 0; c <= i; c++) {
                mi[c] = 0;
            }
            mi[i] = 1;
            int k = 0;
            for (; k + 3 < i; k += 4) {
                subtract4(mi, u[k][i], m[k], u[k + 1][i], m[k + 1], u[k + 2][i], m[k + 2], u[k + 3][i], m[k + 3], 0,
                        k + 4);
            }
            for (; k < i; k++) {
                subtract(mi, u[k][i], m[k], 0, k + 1);
            }
            double uii = u[i][i];
            for (int c = 0; c <= i; c++) {
                mi[c] /= uii;
            }
        }
    }

    /** Upper triangle of S^-1 = M^T M into u: {@code row i += M_ki * M_k[i..k]} for k >= i. */
    private void multiplyInverseFactors() {
        for (int i = 0; i < d; i++) {
            double[] r = u[i];
            for (int j = i; j < d; j++) {
                r[j] = 0;
            }
            int k = i;
            for (; k + 3 < d; k += 4) {
                subtract4(r, -m[k][i], m[k], -m[k + 1][i], m[k + 1], -m[k + 2][i], m[k + 2], -m[k + 3][i], m[k + 3],
                        i, k + 4);
            }
            for (; k < d; k++) {
                subtract(r, -m[k][i], m[k], i, k + 1);
            }
        }
    }

    /** {@code y[j] -= a * x[j]} for from <= j < to. */
    private static void subtract(double[] y, double a, double[] x, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] -= a * x[j];
        }
    }

    /** {@link #subtract} of four rows in one pass over y. */
    private static void subtract4(double[] y, double a0, double[] x0, double a1, double[] x1, double a2, double[] x2,
            double a3, double[] x3, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] -= (a0 * x0[j] + a1 * x1[j]) + (a2 * x2[j] + a3 * x3[j]);
        }
    }
}
