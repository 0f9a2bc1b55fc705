package org.anomalyj.model.padim;

/**
 * All eigenpairs of a small symmetric matrix by cyclic Jacobi rotations: simple and accurate to
 * rounding, and cheap for the k x k Rayleigh-Ritz matrices of {@link SubspaceEigen} (k of about
 * 80). Not for large matrices: each sweep costs O(k^3).
 */
final class JacobiEigen {
    private static final int MAX_SWEEPS = 60;

    private JacobiEigen() {
    }

    /**
     * Diagonalises {@code a} (k x k, row-major, symmetric; overwritten) in place.
     * @param vectors receives the eigenvectors as <em>columns</em> (k x k, row-major)
     * @param values receives the eigenvalues, in the order of the columns (not sorted)
     */
    static void decompose(double[] a, int k, double[] vectors, double[] values) {
        for (int i = 0; i < k * k; i++) {
            vectors[i] = 0;
        }
        for (int i = 0; i < k; i++) {
            vectors[i * k + i] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < k; i++) {
                diag += a[i * k + i] * a[i * k + i];
                for (int j = i + 1; j < k; j++) {
                    off += a[i * k + j] * a[i * k + j];
                }
            }
            if (off <= 1e-30 * diag) {
                break;
            }
            for (int p = 0; p < k - 1; p++) {
                for (int q = p + 1; q < k; q++) {
                    double apq = a[p * k + q];
                    if (apq == 0) {
                        continue;
                    }
                    // the rotation that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.4.1)
                    double theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int r = 0; r < k; r++) { // columns p and q
                        double arp = a[r * k + p];
                        double arq = a[r * k + q];
                        a[r * k + p] = c * arp - s * arq;
                        a[r * k + q] = s * arp + c * arq;
                    }
                    for (int r = 0; r < k; r++) { // rows p and q
                        double apr = a[p * k + r];
                        double aqr = a[q * k + r];
                        a[p * k + r] = c * apr - s * aqr;
                        a[q * k + r] = s * apr + c * aqr;
                    }
                    for (int r = 0; r < k; r++) {
                        double vrp = vectors[r * k + p];
                        double vrq = vectors[r * k + q];
                        vectors[r * k + p] = c * vrp - s * vrq;
                        vectors[r * k + q] = s * vrp + c * vrq;
                    }
                }
            }
        }
        for (int i = 0; i < k; i++) {
            values[i] = a[i * k + i];
        }
    }
}
