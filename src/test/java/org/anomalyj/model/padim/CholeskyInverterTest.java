package org.anomalyj.model.padim;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Random;
import org.junit.Test;

public class CholeskyInverterTest {

    /**
     * The scalar inverse the fitter used before CholeskyInverter (dot-product Cholesky, L^-1, L^-T L^-1);
     * also the {@code formerInvert} baseline of the JMH PadimFitBenchmark.
     */
    public static double[] referenceInverse(double[] s, int d) {
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double v = s[i * d + j];
                for (int k = 0; k < j; k++) {
                    v -= l[i * d + k] * l[j * d + k];
                }
                if (i == j) {
                    if (!(v > 0)) {
                        throw new IllegalArgumentException("matrix is not positive definite");
                    }
                    l[i * d + i] = Math.sqrt(v);
                } else {
                    l[i * d + j] = v / l[j * d + j];
                }
            }
        }
        double[] m = new double[d * d];
        for (int c = 0; c < d; c++) {
            for (int i = c; i < d; i++) {
                double v = i == c ? 1 : 0;
                for (int k = c; k < i; k++) {
                    v -= l[i * d + k] * m[k * d + c];
                }
                m[i * d + c] = v / l[i * d + i];
            }
        }
        double[] inv = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = 0;
                for (int k = j; k < d; k++) {
                    v += m[k * d + i] * m[k * d + j];
                }
                inv[i * d + j] = v;
                inv[j * d + i] = v;
            }
        }
        return inv;
    }

    /**
     * A sample covariance of n vectors with correlated channels plus epsilon * I, as PaDiM's: with
     * n close to d and a small epsilon it is far from diagonal and moderately ill-conditioned.
     */
    static double[] sampleCovariance(Random r, int d, int n, double epsilon) {
        double[] mix = new double[d * d];
        for (int i = 0; i < mix.length; i++) {
            mix[i] = r.nextGaussian();
        }
        double[] s = new double[d * d];
        double[] z = new double[d];
        double[] x = new double[d];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < d; i++) {
                z[i] = r.nextGaussian();
            }
            for (int i = 0; i < d; i++) {
                double v = 0;
                for (int k = 0; k <= i; k++) {
                    v += mix[i * d + k] * z[k];
                }
                x[i] = v;
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    s[i * d + j] += x[i] * x[j] / (n - 1);
                }
            }
        }
        for (int i = 0; i < d; i++) {
            s[i * d + i] += epsilon;
        }
        return s;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    public void matchesTheScalarInverseAndInvertsAcrossPanelAndUnrollBoundaries() {
        Random r = new Random(3);
        // sizes below, at and across the 32-row panels and the four-row passes
        for (int d : new int[] {1, 2, 3, 5, 31, 32, 33, 67, 130}) {
            double[] s = sampleCovariance(r, d, d + 20, 0.01);
            double[] expected = referenceInverse(s, d);
            double[] actual = new double[d * d];
            new CholeskyInverter(d).invert(s, actual);
            double scale = maxAbs(expected);
            for (int i = 0; i < d * d; i++) {
                assertEquals("d=" + d + " element " + i, expected[i], actual[i], 1e-9 * scale);
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    assertEquals("symmetric", actual[i * d + j], actual[j * d + i], 0);
                    double v = 0;
                    for (int k = 0; k < d; k++) {
                        v += s[i * d + k] * actual[k * d + j];
                    }
                    assertEquals("d=" + d + " (S S^-1)[" + i + "][" + j + "]", i == j ? 1 : 0, v, 1e-8);
                }
            }
        }
    }

    @Test
    public void handComputedTwoByTwo() {
        // [[4, 2], [2, 3]]^-1 = [[3, -2], [-2, 4]] / 8
        double[] inv = Mahalanobis.invert(new double[] {4, 2, 2, 3}, 2);
        assertArrayEquals(new double[] {3 / 8.0, -2 / 8.0, -2 / 8.0, 4 / 8.0}, inv, 1e-15);
    }

    @Test
    public void reusedInverterGivesTheSameResultAsAFreshOneAndFloatsAreRounded() {
        Random r = new Random(4);
        int d = 45;
        CholeskyInverter reused = new CholeskyInverter(d);
        double[] first = sampleCovariance(r, d, 60, 0.01);
        reused.invert(first, new double[d * d]);
        for (int t = 0; t < 3; t++) {
            double[] s = sampleCovariance(r, d, 60, 0.01);
            double[] fresh = new double[d * d];
            new CholeskyInverter(d).invert(s, fresh);
            double[] again = new double[d * d];
            reused.invert(s, again);
            assertArrayEquals(fresh, again, 0);
            float[] f = new float[3 + (int) PackedSymmetric.triangle(d)];
            reused.invertPacked(s, f, 3);
            assertEquals(0f, f[0], 0f);
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    assertEquals((float) fresh[i * d + j], f[3 + PackedSymmetric.rowStart(i, d) + j - i], 0f);
                }
            }
        }
    }

    @Test
    public void rejectsAMatrixThatIsNotPositiveDefinite() {
        // eigenvalues 3 and -1
        try {
            new CholeskyInverter(2).invert(new double[] {1, 2, 2, 1}, new double[4]);
            fail();
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("positive definite"));
        }
        // a NaN must not pass as a pivot
        try {
            new CholeskyInverter(1).invert(new double[] {Double.NaN}, new double[1]);
            fail();
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("positive definite"));
        }
    }
}
