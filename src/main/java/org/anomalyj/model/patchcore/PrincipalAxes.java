package org.anomalyj.model.patchcore;

import java.util.Random;

/**
 * An orthonormal basis of the leading principal axes of a point set, and the points' coordinates
 * on it. Greedy coreset selection uses these coordinates as a cheap lower bound on distances: for
 * orthonormal axes the squared distance between two points' coordinates is at most their full
 * squared distance, and on the leading axes it is most of it. Only orthonormality matters for the
 * bound to hold; how close the axes are to the true principal axes only changes how tight it is.
 */
final class PrincipalAxes {

    /** Orthogonal (subspace) iterations: enough to separate the leading axes for a useful bound. */
    private static final int ITERATIONS = 40;

    private final int dim;
    private final double[] mean;
    /** Axes, one row of {@code dim} per axis. */
    private final double[][] axes;
    private final double captured;

    private PrincipalAxes(int dim, double[] mean, double[][] axes, double captured) {
        this.dim = dim;
        this.mean = mean;
        this.axes = axes;
        this.captured = captured;
    }

    /**
     * The leading {@code rank} principal axes ({@code rank <= d}) of the {@code n} rows of {@code d}
     * floats in {@code points}, estimated from about {@code sample} evenly spaced rows (fewer for
     * large {@code d}, where the covariance costs d^2 per row). Deterministic.
     */
    static PrincipalAxes of(float[] points, int n, int d, int rank, int sample) {
        int rows = (int) Math.max(1, Math.min(n, Math.min(sample, Math.max(1024L, (1L << 28) / ((long) d * d)))));
        long stride = Math.max(1, n / rows);
        double[] mean = new double[d];
        int used = 0;
        for (long i = 0; i < n && used < rows; i += stride, used++) {
            int p = (int) (i * d);
            for (int k = 0; k < d; k++) {
                mean[k] += points[p + k];
            }
        }
        for (int k = 0; k < d; k++) {
            mean[k] /= used;
        }
        double[][] cov = new double[d][d];
        double[] z = new double[d];
        used = 0;
        for (long i = 0; i < n && used < rows; i += stride, used++) {
            int p = (int) (i * d);
            for (int k = 0; k < d; k++) {
                z[k] = points[p + k] - mean[k];
            }
            for (int a = 0; a < d; a++) {
                double za = z[a];
                double[] row = cov[a];
                for (int b = a; b < d; b++) {
                    row[b] += za * z[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                cov[a][b] = cov[b][a];
            }
        }
        Random random = new Random(1);
        double[][] q = new double[rank][d];
        for (double[] row : q) {
            for (int k = 0; k < d; k++) {
                row[k] = random.nextGaussian();
            }
        }
        orthonormalise(q, random);
        for (int it = 0; it < ITERATIONS; it++) {
            double[][] next = new double[rank][d];
            for (int r = 0; r < rank; r++) {
                for (int a = 0; a < d; a++) {
                    double s = 0;
                    double[] row = cov[a];
                    for (int b = 0; b < d; b++) {
                        s += row[b] * q[r][b];
                    }
                    next[r][a] = s;
                }
            }
            orthonormalise(next, random);
            q = next;
        }
        double trace = 0;
        for (int a = 0; a < d; a++) {
            trace += cov[a][a];
        }
        double along = 0;
        for (double[] axis : q) {
            for (int a = 0; a < d; a++) {
                double s = 0;
                for (int b = 0; b < d; b++) {
                    s += cov[a][b] * axis[b];
                }
                along += axis[a] * s;
            }
        }
        return new PrincipalAxes(d, mean, q, trace > 0 ? along / trace : 1);
    }

    /**
     * Fraction of the sample's variance on the axes (1 for data without variance): for arbitrary
     * axes about rank / d, for data with a few dominant directions close to 1.
     */
    double capturedVariance() {
        return captured;
    }

    /**
     * Modified Gram-Schmidt, twice (orthonormal to rounding); a row that vanishes (rank-deficient
     * data) is replaced by a random direction, so the basis is always complete.
     */
    private static void orthonormalise(double[][] v, Random random) {
        for (int r = 0; r < v.length; r++) {
            for (int attempt = 0; ; attempt++) {
                double before = norm(v[r]);
                for (int pass = 0; pass < 2; pass++) {
                    for (int s = 0; s < r; s++) {
                        double dot = 0;
                        for (int k = 0; k < v[r].length; k++) {
                            dot += v[r][k] * v[s][k];
                        }
                        for (int k = 0; k < v[r].length; k++) {
                            v[r][k] -= dot * v[s][k];
                        }
                    }
                }
                double after = norm(v[r]);
                if (after > 1e-9 * before && after > 1e-300 && attempt < 100) {
                    for (int k = 0; k < v[r].length; k++) {
                        v[r][k] /= after;
                    }
                    break;
                }
                if (attempt >= 100) {
                    throw new IllegalStateException("no orthonormal basis found");
                }
                for (int k = 0; k < v[r].length; k++) {
                    v[r][k] = random.nextGaussian();
                }
            }
        }
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** Number of axes. */
    int rank() {
        return axes.length;
    }

    /**
     * Coordinates of the row at {@code points[p .. p + dim)} on the axes, computed in double and
     * rounded once to float (the same row always gives the same floats).
     */
    void rotate(float[] points, int p, float[] out) {
        for (int r = 0; r < axes.length; r++) {
            double[] axis = axes[r];
            double s = 0;
            for (int k = 0; k < dim; k++) {
                s += axis[k] * (points[p + k] - mean[k]);
            }
            out[r] = (float) s;
        }
    }
}
