package org.anomalyj.model.padim;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

public class GaussiansTest {
    private static final int POSITIONS = 3;
    private static final int D = 11;

    private static List<float[]> images(int n, long seed) {
        Random r = new Random(seed);
        List<float[]> out = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            float[] x = new float[POSITIONS * D];
            for (int i = 0; i < x.length; i++) {
                // large offsets per position and channel, small spread: the shift trick matters
                x[i] = (float) (50 + 10 * (i % 7) + r.nextGaussian() * (1 + i % 3));
            }
            out.add(x);
        }
        return out;
    }

    private static Gaussians fit(List<float[]> xs, int batch) {
        Gaussians g = new Gaussians(POSITIONS, D, batch);
        for (float[] x : xs) {
            g.add(x);
        }
        return g;
    }

    /** Two-pass mean and unbiased covariance in double, the definition. */
    private static double[] directCovariance(List<float[]> xs, int p) {
        int n = xs.size();
        double[] mean = new double[D];
        for (float[] x : xs) {
            for (int i = 0; i < D; i++) {
                mean[i] += x[p * D + i];
            }
        }
        for (int i = 0; i < D; i++) {
            mean[i] /= n;
        }
        double[] c = new double[D * D];
        for (float[] x : xs) {
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    c[i * D + j] += (x[p * D + i] - mean[i]) * (x[p * D + j] - mean[j]) / (n - 1);
                }
            }
        }
        return c;
    }

    private static void assertRelative(String what, double expected, double actual, double tolerance) {
        assertEquals(what, expected, actual, tolerance * Math.max(1e-300, Math.abs(expected)));
    }

    @Test
    public void batchedEqualsOneAtATimeForAnyBatchRemainder() {
        // n a multiple of the batch, with a remainder, smaller than the batch, and exactly the 4-vector passes
        int[][] cases = {{16, 8}, {13, 5}, {3, 8}, {2, 32}, {21, 4}, {22, 7}};
        for (int[] c : cases) {
            int n = c[0];
            int batch = c[1];
            List<float[]> xs = images(n, n * 31L + batch);
            Gaussians single = fit(xs, 1);
            Gaussians batched = fit(xs, batch);
            assertEquals(n, batched.count());
            assertArrayEquals(single.mean(), batched.mean(), 0f);
            for (int p = 0; p < POSITIONS; p++) {
                double[] a = single.covariance(p, 0.01);
                double[] b = batched.covariance(p, 0.01);
                double[] direct = directCovariance(xs, p);
                for (int i = 0; i < D * D; i++) {
                    String what = "n=" + n + " batch=" + batch + " p=" + p + " element " + i;
                    assertRelative(what, a[i], b[i], 1e-12);
                    double withoutEpsilon = b[i] - (i % (D + 1) == 0 ? 0.01 : 0);
                    assertEquals(what, direct[i], withoutEpsilon, 1e-10 * (1 + Math.abs(direct[i])));
                }
            }
        }
    }

    @Test
    public void meanOfBufferedImagesAndCountIncludeThePending() {
        float[] a = new float[POSITIONS * D];
        float[] b = new float[POSITIONS * D];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
            b[i] = 3 * i + 1;
        }
        Gaussians g = new Gaussians(POSITIONS, D, 10);
        g.add(a);
        g.add(b);
        assertEquals(2, g.count());
        float[] mean = g.mean();
        for (int i = 0; i < a.length; i++) {
            assertEquals(2 * i + 0.5f, mean[i], 0f);
        }
        // (a_i - m_i)(a_j - m_j) * 2 / (n - 1) with a - m = -(i + 0.5): variance of channel 0 at position 1
        int i0 = D;
        double[] c = g.covariance(1, 0);
        assertEquals(2 * (i0 + 0.5) * (i0 + 0.5), c[0], 1e-9);
        // adding after reading continues the same estimate
        g.add(a);
        assertEquals(3, g.count());
        assertEquals((2.0 * i0 + 3 * i0 + 1) / 3, g.mean()[i0], 1e-5);
    }
}
