package org.anomalyj.model.padim;

import java.util.Random;

/**
 * The leading eigenpairs of a symmetric positive semi-definite d x d matrix by randomized block
 * subspace iteration (Halko, Martinsson & Tropp 2011, Algorithm 4.4): a Gaussian start block of
 * {@code r + oversampling} columns, multiplied by the matrix {@code iterations + 1} times with an
 * orthonormalisation after each, then Rayleigh-Ritz ({@link JacobiEigen} on the small projected
 * matrix). Directions whose eigenvalues stand well above the rest converge first; PaDiM's
 * low-rank model only needs those exactly; what the others leave goes into its residual diagonal.
 * <p>
 * Every loop runs over whole row arrays from index 0 (rows of k doubles), the form C2 vectorises
 * (docs/performance.md: JDK 17 leaves loops at run-time array offsets scalar). Orthonormalisation
 * is Cholesky-QR, done twice (CholeskyQR2): its products are such row loops, where Gram-Schmidt
 * would be dot products (reductions C2 does not vectorise). Holds its buffers: one per thread.
 */
final class SubspaceEigen {
    private final int d;
    private final int k;
    private final int iterations;
    /**
     * Two {@code d x k} row sets (row i = the k columns' i-th coordinates): the basis and the
     * matrix times it; they swap roles at every multiplication.
     */
    private final double[][] q;
    private final double[][] y;
    private final double[][] gram;
    private final double[] small;
    private final double[] smallVectors;
    private final double[] smallValues;

    /**
     * @param d the matrices' size
     * @param rank eigenpairs wanted (at most d)
     * @param oversampling extra columns that speed up the convergence of the wanted ones
     * @param iterations multiplications after the first (more: more accurate trailing pairs)
     */
    SubspaceEigen(int d, int rank, int oversampling, int iterations) {
        if (rank < 1 || rank > d || oversampling < 0 || iterations < 0) {
            throw new IllegalArgumentException("rank " + rank + " of " + d + ", oversampling " + oversampling
                    + ", iterations " + iterations);
        }
        this.d = d;
        this.k = Math.min(d, rank + oversampling);
        this.iterations = iterations;
        q = new double[d][k];
        y = new double[d][k];
        gram = new double[k][k];
        small = new double[k * k];
        smallVectors = new double[k * k];
        smallValues = new double[k];
    }

    /**
     * The {@code values.length} largest eigenvalues of {@code matrix} (d x d, row-major,
     * symmetric), in descending order, and their eigenvectors as the columns of
     * {@code vectors} ({@code d x values.length}, row-major).
     * @param random the start block's source (seed it for reproducible results)
     * @throws IllegalArgumentException when the iterated block loses rank (a matrix of lower rank
     *     than the block: use fewer eigenpairs)
     */
    void leading(double[] matrix, Random random, double[] values, double[] vectors) {
        int r = values.length;
        if (r > k || vectors.length != d * r) {
            throw new IllegalArgumentException(r + " eigenpairs into " + vectors.length + " values; block of " + k);
        }
        double[][] basis = q;
        double[][] other = y;
        for (double[] row : basis) {
            for (int j = 0; j < k; j++) {
                row[j] = random.nextGaussian();
            }
        }
        for (int it = 0; it <= iterations; it++) {
            multiply(matrix, basis, other);
            orthonormalise(other, basis); // Cholesky-QR twice: the basis ends in `other`
            orthonormalise(basis, other);
            double[][] t = basis;
            basis = other;
            other = t;
        }
        // Rayleigh-Ritz on B = Q^T M Q
        multiply(matrix, basis, other);
        transposedProduct(basis, other, gram);
        for (int a = 0; a < k; a++) { // symmetrise the rounding
            for (int b = 0; b < k; b++) {
                small[a * k + b] = 0.5 * (gram[a][b] + gram[b][a]);
            }
        }
        JacobiEigen.decompose(small, k, smallVectors, smallValues);
        int[] order = descending(smallValues);
        // the Ritz vectors Q U, columns in descending order of their values
        double[][] u = gram; // k x k, row a = the selected columns' a-th coordinates
        for (int a = 0; a < k; a++) {
            for (int m = 0; m < r; m++) {
                u[a][m] = smallVectors[a * k + order[m]];
            }
        }
        double[] row = new double[r];
        for (int i = 0; i < d; i++) {
            java.util.Arrays.fill(row, 0);
            double[] qi = basis[i];
            for (int a = 0; a < k; a++) {
                double ya = qi[a];
                double[] ua = u[a];
                for (int m = 0; m < r; m++) {
                    row[m] += ya * ua[m];
                }
            }
            System.arraycopy(row, 0, vectors, i * r, r);
        }
        for (int m = 0; m < r; m++) {
            values[m] = smallValues[order[m]];
        }
    }

    /** out = matrix * in, both d x k as rows. */
    private void multiply(double[] matrix, double[][] in, double[][] out) {
        for (int i = 0; i < d; i++) {
            double[] o = out[i];
            java.util.Arrays.fill(o, 0);
            int base = i * d;
            for (int j = 0; j < d; j++) {
                double a = matrix[base + j];
                double[] row = in[j];
                for (int m = 0; m < k; m++) {
                    o[m] += a * row[m];
                }
            }
        }
    }

    /**
     * out = an orthonormal basis of in's columns by Cholesky-QR: G = in^T in = R^T R,
     * out = in R^-1. Its error grows with the square of in's condition number, hence callers run
     * it twice.
     */
    private void orthonormalise(double[][] in, double[][] out) {
        transposedProduct(in, in, gram);
        // G = R^T R, R upper, into gram's upper triangle; then R^-1 into small (upper, row-major)
        for (int j = 0; j < k; j++) {
            double s = gram[j][j];
            for (int m = 0; m < j; m++) {
                s -= gram[m][j] * gram[m][j];
            }
            if (!(s > 1e-300)) {
                throw new IllegalArgumentException("the subspace iteration lost rank at column " + j);
            }
            double rjj = Math.sqrt(s);
            gram[j][j] = rjj;
            for (int c = j + 1; c < k; c++) {
                double t = gram[j][c];
                for (int m = 0; m < j; m++) {
                    t -= gram[m][j] * gram[m][c];
                }
                gram[j][c] = t / rjj;
            }
        }
        java.util.Arrays.fill(small, 0);
        for (int c = 0; c < k; c++) { // column c of R^-1 by back substitution
            small[c * k + c] = 1 / gram[c][c];
            for (int row = c - 1; row >= 0; row--) {
                double t = 0;
                for (int m = row + 1; m <= c; m++) {
                    t += gram[row][m] * small[m * k + c];
                }
                small[row * k + c] = -t / gram[row][row];
            }
        }
        double[][] inv = gram; // R is no longer needed: keep R^-1 as rows
        for (int a = 0; a < k; a++) {
            System.arraycopy(small, a * k, inv[a], 0, k);
        }
        for (int i = 0; i < d; i++) {
            double[] src = in[i];
            double[] o = out[i];
            java.util.Arrays.fill(o, 0);
            for (int a = 0; a < k; a++) {
                double v = src[a];
                double[] ra = inv[a];
                for (int m = a; m < k; m++) {
                    o[m] += v * ra[m];
                }
            }
        }
    }

    /** out = left^T right (k x k) for d x k row sets, accumulated one row pair at a time. */
    private void transposedProduct(double[][] left, double[][] right, double[][] out) {
        for (double[] o : out) {
            java.util.Arrays.fill(o, 0);
        }
        for (int i = 0; i < d; i++) {
            double[] l = left[i];
            double[] r = right[i];
            for (int a = 0; a < k; a++) {
                double la = l[a];
                double[] o = out[a];
                for (int b = 0; b < k; b++) {
                    o[b] += la * r[b];
                }
            }
        }
    }

    /** Indices of v in descending order of value. */
    private static int[] descending(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(v[b], v[a]));
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
