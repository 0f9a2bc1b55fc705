package org.anomalyj.model.padim;

/**
 * The covariance model of PaDiM's low-rank form and its precision in the shape
 * {@link LowRankPrecisions} scores with ({@code diag(c) + C diag(w) C^T}). From the covariance
 * Sigma (epsilon I included) and its r leading eigenpairs (V, theta):
 * <pre>
 *   Sigma~ = V diag(theta) V^T + D,   D_i = max(Sigma_ii - sum_k theta_k V_ik^2, epsilon)
 * </pre>
 * the leading directions with their variances, plus a diagonal that gives every channel the
 * variance the axes leave it, at least epsilon (the regularisation again: with r = d,
 * Sigma~ = Sigma + epsilon I). By Woodbury,
 * {@code Sigma~^-1 = D^-1 - D^-1 V M V^T D^-1} with
 * {@code M = T^1/2 (I + T^1/2 V^T D^-1 V T^1/2)^-1 T^1/2}, {@code T = diag(theta)};
 * M = U diag(lambda) U^T gives {@code c = 1/D}, {@code C = D^-1 V U}, {@code w = -lambda}.
 * <p>
 * Why a per-channel diagonal: the embedding's channels come from two layers with different
 * scales. On Magnetic Tile at rank 48 (docs/performance.md, *Sixth session*) image / pixel AUROC
 * were 0.9485 / 0.7799 with this model, 0.9445 / 0.7779 with the diagonal taken from
 * {@code V diag(theta - epsilon) V^T}, 0.9438 / 0.7771 with one residual variance (probabilistic
 * PCA), against 0.9457 / 0.7800 for the full covariances. Holds its buffers: one per thread.
 */
final class LowRankCovariance {
    private final int d;
    private final int r;
    private final double[] residual;
    private final double[] root;
    private final double[] h;
    private final double[] hInverse;
    private final double[] m;
    private final double[] u;
    private final double[] lambda;
    private final CholeskyInverter inverter;

    LowRankCovariance(int d, int r) {
        this.d = d;
        this.r = r;
        residual = new double[d];
        root = new double[r];
        h = new double[r * r];
        hInverse = new double[r * r];
        m = new double[r * r];
        u = new double[r * r];
        lambda = new double[r];
        inverter = new CholeskyInverter(r);
    }

    /**
     * Writes the precision of the model above: c into {@code diagonal} at {@code co} (d values),
     * C into {@code axes} at {@code ao} ({@code [d, r]}), w into {@code weights} at {@code wo}.
     * @param covariance Sigma, d x d row-major, epsilon on its diagonal
     * @param epsilon the regularisation, the least residual variance
     * @param values theta, descending
     * @param vectors V, {@code [d, r]} row-major, orthonormal columns
     */
    void precision(double[] covariance, double epsilon, double[] values, double[] vectors, float[] diagonal, int co,
            float[] axes, int ao, float[] weights, int wo) {
        double trace = 0;
        for (int i = 0; i < d; i++) {
            trace += covariance[i * d + i];
        }
        // epsilon, or a tiny share of the mean variance when epsilon = 0: D must stay positive
        double floor = Math.max(epsilon, 1e-9 * trace / d);
        for (int k = 0; k < r; k++) {
            root[k] = Math.sqrt(Math.max(values[k], 0));
        }
        for (int i = 0; i < d; i++) {
            double explained = 0;
            for (int k = 0; k < r; k++) {
                double v = vectors[i * r + k];
                explained += root[k] * root[k] * v * v;
            }
            residual[i] = Math.max(covariance[i * d + i] - explained, floor);
        }
        // H = I + T^1/2 V^T D^-1 V T^1/2
        java.util.Arrays.fill(h, 0);
        for (int i = 0; i < d; i++) {
            double inv = 1 / residual[i];
            int row = i * r;
            for (int a = 0; a < r; a++) {
                double va = vectors[row + a] * inv;
                int o = a * r;
                for (int b = 0; b < r; b++) {
                    h[o + b] += va * vectors[row + b];
                }
            }
        }
        for (int a = 0; a < r; a++) {
            for (int b = 0; b < r; b++) {
                h[a * r + b] *= root[a] * root[b];
            }
            h[a * r + a] += 1;
        }
        inverter.invert(h, hInverse);
        for (int a = 0; a < r; a++) { // M = T^1/2 H^-1 T^1/2, symmetrised
            for (int b = 0; b < r; b++) {
                m[a * r + b] = root[a] * root[b] * 0.5 * (hInverse[a * r + b] + hInverse[b * r + a]);
            }
        }
        JacobiEigen.decompose(m, r, u, lambda);
        for (int i = 0; i < d; i++) {
            double inv = 1 / residual[i];
            diagonal[co + i] = (float) inv;
            int row = i * r;
            for (int b = 0; b < r; b++) {
                double s = 0;
                for (int a = 0; a < r; a++) {
                    s += vectors[row + a] * u[a * r + b];
                }
                axes[ao + row + b] = (float) (inv * s);
            }
        }
        for (int b = 0; b < r; b++) {
            weights[wo + b] = (float) -lambda[b];
        }
    }
}
