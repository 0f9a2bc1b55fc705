package org.anomalyj.model.padim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Random;
import org.anomalyj.AnomalyJException;
import org.junit.Test;

public class LowRankPrecisionsTest {

    /**
     * The kernel against diag(c) + C diag(w) C^T written out by hand, for sizes that exercise the
     * kernel's padding (rank not a multiple of 16) and its tail (d not a multiple of 8).
     */
    @Test
    public void distanceIsTheQuadraticFormOfDiagonalPlusLowRank() {
        Random r = new Random(11);
        int positions = 3;
        int d = 37;
        int rank = 21;
        float[] diagonal = new float[positions * d];
        float[] axes = new float[positions * d * rank];
        float[] weights = new float[positions * rank];
        for (int i = 0; i < diagonal.length; i++) {
            diagonal[i] = (float) (0.5 + r.nextDouble());
        }
        for (int i = 0; i < axes.length; i++) {
            axes[i] = (float) (0.3 * r.nextGaussian());
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (2 * r.nextDouble());
        }
        LowRankPrecisions precisions = new LowRankPrecisions(positions, d, rank, diagonal, axes, weights);
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
                    double s = i == j ? diagonal[p * d + i] : 0;
                    for (int m = 0; m < rank; m++) {
                        s += (double) weights[p * rank + m] * axes[(p * d + i) * rank + m] * axes[(p * d + j) * rank + m];
                    }
                    assertEquals(s, dense[(p * d + i) * d + j], 1e-5 * Math.abs(s) + 1e-5);
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
    public void aNonPositiveDiagonalOrNonFiniteWeightIsRefusedWithTheFix() {
        try {
            new LowRankPrecisions(1, 3, 1, new float[] {1, 0, 1}, new float[3], new float[] {1});
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("diagonal") && e.getMessage().contains("epsilon"));
        }
        try {
            new LowRankPrecisions(1, 3, 1, new float[] {1, 1, 1}, new float[3], new float[] {Float.NaN});
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("weight"));
        }
    }

    /**
     * The precision LowRankCovariance writes is the inverse of its model V diag(theta) V^T + D,
     * D = max(diag(Sigma - V diag(theta) V^T), epsilon), built here by hand.
     */
    @Test
    public void lowRankCovarianceWritesTheInverseOfItsModel() {
        Random r = new Random(12);
        int d = 30;
        int rank = 5;
        double epsilon = 0.01;
        double[] spectrum = new double[d];
        for (int i = 0; i < d; i++) {
            spectrum[i] = 3 * Math.pow(0.6, i) + epsilon;
        }
        double[] q = SubspaceEigenTest.orthonormal(d, r);
        double[] sigma = SubspaceEigenTest.withSpectrum(q, spectrum);
        for (int i = 0; i < d; i++) { // channels of different scales, as two layers give
            for (int j = 0; j < d; j++) {
                sigma[i * d + j] *= (i < d / 2 ? 1 : 3) * (j < d / 2 ? 1 : 3);
            }
        }
        double[] values = new double[rank];
        double[] vectors = new double[d * rank];
        new SubspaceEigen(d, rank, d - rank, 6).leading(sigma, new Random(2), values, vectors);
        float[] diagonal = new float[d];
        float[] axes = new float[d * rank];
        float[] weights = new float[rank];
        new LowRankCovariance(d, rank).precision(sigma, epsilon, values, vectors, diagonal, 0, axes, 0, weights, 0);
        float[] precision = new LowRankPrecisions(1, d, rank, diagonal, axes, weights).dense();
        double[] model = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < rank; k++) {
                    model[i * d + j] += vectors[i * rank + k] * values[k] * vectors[j * rank + k];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            model[i * d + i] += Math.max(sigma[i * d + i] - model[i * d + i], epsilon);
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += model[i * d + k] * precision[k * d + j];
                }
                assertEquals("(" + i + ", " + j + ")", i == j ? 1 : 0, s, 1e-4);
            }
        }
    }
}
