package org.anomalyj.model.padim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Random;
import org.anomalyj.AnomalyJException;
import org.junit.Test;

public class LowRankPrecisionsTest {

    /**
     * The kernel against the precision written out by hand,
     * V diag(1/theta) V^T + (I - V V^T) / sigma^2, for sizes that exercise the kernel's padding
     * (rank not a multiple of 16) and its tail (d not a multiple of 8).
     */
    @Test
    public void distanceIsTheProbabilisticPcaMahalanobisDistance() {
        Random r = new Random(11);
        int positions = 3;
        int d = 37;
        int rank = 21;
        float[] axes = new float[positions * d * rank];
        float[] variances = new float[positions * rank];
        float[] residual = new float[positions];
        for (int p = 0; p < positions; p++) {
            double[] q = SubspaceEigenTest.orthonormal(d, r);
            for (int i = 0; i < d; i++) {
                for (int m = 0; m < rank; m++) {
                    axes[(p * d + i) * rank + m] = (float) q[i * d + m];
                }
            }
            for (int m = 0; m < rank; m++) {
                variances[p * rank + m] = (float) (0.05 + 2 * r.nextDouble());
            }
            residual[p] = 0.02f + p * 0.01f;
        }
        LowRankPrecisions precisions = new LowRankPrecisions(positions, d, rank, axes, variances, residual);
        float[] x = new float[positions * d];
        float[] mean = new float[positions * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
            mean[i] = (float) (0.3 * r.nextGaussian());
        }
        float[] scores = new float[positions];
        precisions.distances(x, mean, 0, positions, scores);
        float[] dense = precisions.dense();
        for (int p = 0; p < positions; p++) {
            double expected = 0;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = (i == j ? 1 : 0) / (double) residual[p];
                    for (int m = 0; m < rank; m++) {
                        double vi = axes[(p * d + i) * rank + m];
                        double vj = axes[(p * d + j) * rank + m];
                        s += (1 / (double) variances[p * rank + m] - 1 / (double) residual[p]) * vi * vj;
                    }
                    assertEquals(s, dense[(p * d + i) * d + j], 1e-4 * Math.abs(s) + 1e-4);
                    expected += (x[p * d + i] - mean[p * d + i]) * s * (x[p * d + j] - mean[p * d + j]);
                }
            }
            assertEquals(Math.sqrt(expected), scores[p], 1e-4 * Math.sqrt(expected));
        }
        float[] back = precisions.axes();
        for (int i = 0; i < axes.length; i++) {
            assertEquals(axes[i], back[i], 0f);
        }
    }

    @Test
    public void nonPositiveVariancesAreRefusedWithTheFix() {
        try {
            new LowRankPrecisions(1, 3, 1, new float[3], new float[] {1}, new float[] {0});
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("residual variance") && e.getMessage().contains("epsilon"));
        }
        try {
            new LowRankPrecisions(1, 3, 1, new float[3], new float[] {-1}, new float[] {1});
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("principal variance"));
        }
    }
}
