package org.anomalyj.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

public class F1Test {
    private static final boolean T = true;
    private static final boolean F = false;

    @Test
    public void bestThresholdIsMidpointBelowTheLastIncludedScore() {
        // P = 3. Including the top k: k=1 2/4, k=2 2/5, k=3 4/6, k=4 (down to 0.6) 6/7, k=5 6/8, k=6 6/9.
        double[] scores = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
        boolean[] labels = {T, F, T, T, F, F};
        F1Result best = F1.max(scores, labels);
        assertEquals(6.0 / 7, best.f1(), 1e-15);
        assertEquals(0.55, best.threshold(), 1e-15);
        assertEquals(0.75, best.precision(), 1e-15);
        assertEquals(1.0, best.recall(), 0);
        assertEquals(best.f1(), F1.at(scores, labels, best.threshold()), 0);
        assertEquals(6.0 / 7, F1.at(scores, labels, 0.6), 1e-15);
        assertEquals(4.0 / 6, F1.at(scores, labels, 0.65), 1e-15);
        assertEquals(2.0 / 3, F1.precisionAt(scores, labels, 0.7), 1e-15);
        assertEquals(2.0 / 3, F1.recallAt(scores, labels, 0.7), 1e-15);
    }

    @Test
    public void includingEverySampleUsesTheLowestScore() {
        F1Result best = F1.max(new double[] {0.3, 0.2}, new boolean[] {T, T});
        assertEquals(1.0, best.f1(), 0);
        assertEquals(0.2, best.threshold(), 0);
    }

    @Test
    public void tiedScoresAreOneDecision() {
        // Group 0.5 holds one anomalous and one normal sample: F1 = 2/3; adding 0.1 gives 2/4.
        F1Result best = F1.max(new double[] {0.5, 0.5, 0.1}, new boolean[] {T, F, F});
        assertEquals(2.0 / 3, best.f1(), 1e-15);
        assertEquals(0.3, best.threshold(), 1e-15);
        assertEquals(0.5, best.precision(), 0);
    }

    @Test
    public void conventionsForEmptyCases() {
        assertTrue(Double.isNaN(F1.max(new double[] {1, 2}, new boolean[] {F, F}).f1()));
        assertTrue(Double.isNaN(F1.precisionAt(new double[] {1, 2}, new boolean[] {T, F}, 5)));
        assertEquals(0.0, F1.at(new double[] {1, 2}, new boolean[] {T, F}, 5), 0);
    }

    @Test
    public void midpointNeverFallsOntoTheLowerScore() {
        double upper = Math.nextUp(1.0);
        assertEquals(upper, F1.midpoint(upper, 1.0), 0);
        assertEquals(2.0, F1.midpoint(3.0, 1.0), 0);
        assertEquals(-3.0, F1.midpoint(-3.0, Double.NEGATIVE_INFINITY), 0);
    }

    @Test
    public void maxMatchesBruteForceOverAllScoreThresholds() {
        Random random = new Random(11);
        for (int round = 0; round < 100; round++) {
            int n = 1 + random.nextInt(40);
            double[] scores = new double[n];
            boolean[] labels = new boolean[n];
            boolean anyPositive = false;
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(10);
                labels[i] = random.nextBoolean();
                anyPositive |= labels[i];
            }
            double bruteBest = Double.NaN;
            for (double t : scores) {
                double f1 = F1.at(scores, labels, t);
                if (!(f1 <= bruteBest)) {
                    bruteBest = f1;
                }
            }
            F1Result best = F1.max(scores, labels);
            if (!anyPositive) {
                assertTrue(Double.isNaN(best.f1()));
                continue;
            }
            assertEquals(bruteBest, best.f1(), 1e-12);
            assertEquals(best.f1(), F1.at(scores, labels, best.threshold()), 1e-12);
        }
    }
}
