package org.anomalyj.model.padim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

public class SubspaceEigenTest {

    /** A random orthonormal basis (columns of a d x d row-major matrix) by Gram-Schmidt. */
    static double[] orthonormal(int d, Random r) {
        double[] q = new double[d * d];
        for (int c = 0; c < d; c++) {
            for (int i = 0; i < d; i++) {
                q[i * d + c] = r.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int b = 0; b < c; b++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += q[i * d + c] * q[i * d + b];
                    }
                    for (int i = 0; i < d; i++) {
                        q[i * d + c] -= dot * q[i * d + b];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < d; i++) {
                norm += q[i * d + c] * q[i * d + c];
            }
            for (int i = 0; i < d; i++) {
                q[i * d + c] /= Math.sqrt(norm);
            }
        }
        return q;
    }

    /** Q diag(values) Q^T. */
    static double[] withSpectrum(double[] q, double[] values) {
        int d = values.length;
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += q[i * d + k] * values[k] * q[j * d + k];
                }
                m[i * d + j] = s;
            }
        }
        return m;
    }

    @Test
    public void jacobiDiagonalisesASymmetricMatrix() {
        Random r = new Random(3);
        int k = 9;
        double[] a = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                a[i * k + j] = a[j * k + i] = r.nextGaussian();
            }
        }
        double[] copy = a.clone();
        double[] v = new double[k * k];
        double[] values = new double[k];
        JacobiEigen.decompose(copy, k, v, values);
        for (int c = 0; c < k; c++) { // A v_c = lambda_c v_c, |v_c| = 1
            double norm = 0;
            for (int i = 0; i < k; i++) {
                double av = 0;
                for (int j = 0; j < k; j++) {
                    av += a[i * k + j] * v[j * k + c];
                }
                assertEquals(values[c] * v[i * k + c], av, 1e-10);
                norm += v[i * k + c] * v[i * k + c];
            }
            assertEquals(1, norm, 1e-12);
        }
    }

    @Test
    public void leadingEigenpairsOfAKnownSpectrum() {
        Random r = new Random(4);
        int d = 70;
        double[] values = new double[d];
        for (int i = 0; i < d; i++) { // decaying to an epsilon floor, as PaDiM's covariances
            values[i] = 5 * Math.pow(0.7, i) + 0.01;
        }
        double[] q = orthonormal(d, r);
        double[] m = withSpectrum(q, values);
        int rank = 10;
        double[] got = new double[rank];
        double[] vectors = new double[d * rank];
        new SubspaceEigen(d, rank, 8, 2).leading(m, new Random(9), got, vectors);
        for (int c = 0; c < rank; c++) {
            assertEquals("eigenvalue " + c, values[c], got[c], 1e-6 * values[c]);
            double dot = 0;
            for (int i = 0; i < d; i++) {
                dot += vectors[i * rank + c] * q[i * d + c];
            }
            assertEquals("eigenvector " + c, 1, Math.abs(dot), 1e-4);
        }
    }

    @Test
    public void theWholeSpectrumWhenTheBlockIsTheWholeSpace() {
        Random r = new Random(5);
        int d = 12;
        double[] values = new double[d];
        for (int i = 0; i < d; i++) {
            values[i] = d - i + 0.5 * r.nextDouble();
        }
        double[] m = withSpectrum(orthonormal(d, r), values);
        double[] got = new double[d];
        new SubspaceEigen(d, d, 4, 0).leading(m, new Random(1), got, new double[d * d]);
        for (int i = 0; i < d; i++) {
            assertEquals(values[i], got[i], 1e-10);
        }
        assertTrue(got[0] > got[d - 1]);
    }
}
