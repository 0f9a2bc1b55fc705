package org.anomalyj.model.padim;

import static org.junit.Assert.assertEquals;

import java.util.Random;
import org.junit.Test;

public class MahalanobisTest {
    @Test
    public void symmetricKernelOnAHandComputedCase() {
        // diff = (1, 2), S^-1 = [[2, 1], [1, 3]]: 2*1 + 2*(1*1*2) + 3*4 = 18
        float[] x = {1, 2};
        float[] mean = {0, 0};
        float[] inv = {2, 1, 1, 3};
        assertEquals(Math.sqrt(18), Mahalanobis.distanceSymmetric(x, 0, mean, 0, inv, 0, 2, new float[2]), 1e-6);
        assertEquals(Math.sqrt(18), Mahalanobis.distance(x, 0, mean, 0, inv, 0, 2, new double[2]), 1e-6);
    }

    @Test
    public void symmetricKernelMatchesTheFullProductAtOffsets() {
        Random r = new Random(9);
        for (int d : new int[] {1, 3, 4, 37, 64}) {
            double[] a = new double[d * d];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextGaussian();
            }
            double[] s = new double[d * d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    for (int k = 0; k < d; k++) {
                        s[i * d + j] += a[i * d + k] * a[j * d + k];
                    }
                }
                s[i * d + i] += 0.5;
            }
            double[] invD = Mahalanobis.invert(s, d);
            int positions = 3;
            float[] inv = new float[positions * d * d];
            float[] x = new float[positions * d];
            float[] mean = new float[positions * d];
            for (int p = 0; p < positions; p++) {
                for (int i = 0; i < d * d; i++) {
                    inv[p * d * d + i] = (float) invD[i];
                }
                for (int i = 0; i < d; i++) {
                    x[p * d + i] = (float) r.nextGaussian();
                    mean[p * d + i] = (float) r.nextGaussian();
                }
            }
            for (int p = 0; p < positions; p++) {
                float full = Mahalanobis.distance(x, p * d, mean, p * d, inv, (long) p * d * d, d, new double[d]);
                float half = Mahalanobis.distanceSymmetric(x, p * d, mean, p * d, inv, (long) p * d * d, d, new float[d]);
                assertEquals("d=" + d, full, half, 1e-4 * (1 + full));
            }
        }
    }
}
