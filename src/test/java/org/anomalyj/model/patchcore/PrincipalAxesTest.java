package org.anomalyj.model.patchcore;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

public class PrincipalAxesTest {

    /** Rows of d floats spread along a known direction (variance 100) plus unit noise. */
    private static float[] elongated(Random r, int n, int d, double[] direction) {
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            double along = 10 * r.nextGaussian();
            for (int k = 0; k < d; k++) {
                x[i * d + k] = (float) (5 + along * direction[k] + r.nextGaussian());
            }
        }
        return x;
    }

    @Test
    public void firstAxisIsTheDominantDirectionAndBoundsNeverExceedDistances() {
        Random r = new Random(3);
        int n = 5000;
        int d = 12;
        double[] dir = new double[d];
        for (int k = 0; k < d; k++) {
            dir[k] = (k % 3) - 1; // (-1, 0, 1, -1, ...)
        }
        double norm = Math.sqrt(d * 2 / 3.0);
        for (int k = 0; k < d; k++) {
            dir[k] /= norm;
        }
        float[] x = elongated(r, n, d, dir);
        PrincipalAxes axes = PrincipalAxes.of(x, n, d, 4, 2000);
        assertEquals(4, axes.rank());
        // the first coordinate of a point is its offset along dir (up to sign) from the mean:
        // two points' first coordinates differ by their difference projected on dir
        float[] ya = new float[4];
        float[] yb = new float[4];
        for (int t = 0; t < 200; t++) {
            int a = r.nextInt(n);
            int b = r.nextInt(n);
            axes.rotate(x, a * d, ya);
            axes.rotate(x, b * d, yb);
            double along = 0;
            double full = 0;
            for (int k = 0; k < d; k++) {
                double diff = x[a * d + k] - x[b * d + k];
                along += diff * dir[k];
                full += diff * diff;
            }
            assertEquals(Math.abs(along), Math.abs(ya[0] - yb[0]), 0.5);
            double bound = 0;
            for (int k = 0; k < 4; k++) {
                bound += (ya[k] - yb[k]) * (ya[k] - yb[k]);
            }
            assertTrue(bound <= full * (1 + 1e-5) + 1e-6);
        }
    }

    @Test
    public void rankDeficientDataStillGetsAnOrthonormalBasis() {
        int n = 100;
        int d = 6;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            x[i * d + 2] = i % 4; // one varying dimension, so all axes after the first are arbitrary
        }
        PrincipalAxes axes = PrincipalAxes.of(x, n, d, 5, 1000);
        // orthonormal axes preserve the distance of the varying dimension, on the first axis
        float[] y0 = new float[5];
        float[] y3 = new float[5];
        axes.rotate(x, 0, y0);
        axes.rotate(x, 3 * d, y3);
        double s = 0;
        for (int k = 0; k < 5; k++) {
            s += (y0[k] - y3[k]) * (y0[k] - y3[k]);
        }
        assertEquals(9.0, s, 1e-5);
        assertEquals(3.0, Math.abs(y0[0] - y3[0]), 1e-5);
    }
}
