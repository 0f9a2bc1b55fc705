package org.anomalyj.metrics;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

public class RocTest {
    private static final boolean T = true;
    private static final boolean F = false;

    @Test
    public void aurocOfTextbookExample() {
        // Positives 0.35, 0.8; negatives 0.1, 0.4: 3 of the 4 (pos, neg) pairs are ordered right.
        assertEquals(0.75, Auroc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {F, F, T, T}), 1e-15);
    }

    @Test
    public void tiesBetweenClassesCountOneHalf() {
        // Pairs: (0.5,0.5) tie = 1/2, (0.5,0.2) = 1, (0.9,0.5) = 1, (0.9,0.2) = 1 -> 3.5 / 4.
        double[] scores = {0.5, 0.5, 0.2, 0.9};
        boolean[] labels = {T, F, F, T};
        assertEquals(0.875, Roc.auroc(scores, labels), 1e-15);
        // Curve: start, threshold 0.9 (0, 1/2), tie group 0.5 (1/2, 1) as one diagonal step, 0.2 (1, 1).
        Curve c = Roc.curve(scores, labels);
        assertArrayEquals(new double[] {0, 0, 0.5, 1}, c.x(), 0);
        assertArrayEquals(new double[] {0, 0.5, 1, 1}, c.y(), 0);
        assertEquals(0.875, c.area(1), 1e-15);
    }

    @Test
    public void allEqualScoresGiveOneHalf() {
        double[] scores = {3, 3, 3, 3, 3};
        assertEquals(0.5, Auroc.of(scores, new boolean[] {T, F, F, T, F}), 1e-15);
    }

    @Test
    public void perfectAndReversedRankings() {
        boolean[] labels = {F, F, T, T, T};
        assertEquals(1.0, Auroc.of(new double[] {1, 2, 3, 4, 5}, labels), 0);
        assertEquals(0.0, Auroc.of(new double[] {5, 4, 3, 2, 1}, labels), 0);
    }

    @Test
    public void minusZeroTiesWithZero() {
        assertEquals(0.5, Auroc.of(new double[] {-0.0, 0.0}, new boolean[] {T, F}), 0);
    }

    @Test
    public void missingClassGivesNaN() {
        assertTrue(Double.isNaN(Auroc.of(new double[] {1, 2}, new boolean[] {T, T})));
        assertTrue(Double.isNaN(Auroc.of(new double[] {1, 2}, new boolean[] {F, F})));
        assertTrue(Double.isNaN(Auroc.of(new double[0], new boolean[0])));
        Curve c = Roc.curve(new double[] {1, 2}, new boolean[] {F, F});
        assertTrue(Double.isNaN(c.y()[1]));
        assertEquals(1.0, c.x()[c.size() - 1], 0);
    }

    @Test(expected = IllegalArgumentException.class)
    public void nanScoreIsRejected() {
        Auroc.of(new double[] {1, Double.NaN}, new boolean[] {T, F});
    }

    @Test
    public void randomTiedScoresMatchPairCounting() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            int n = 1 + random.nextInt(60);
            double[] scores = new double[n];
            boolean[] labels = new boolean[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(8) / 4.0 - 1; // few levels -> many ties, some negative
                labels[i] = random.nextInt(3) == 0;
            }
            double wins = 0;
            int pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (labels[i] && !labels[j]) {
                        pairs++;
                        wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }
                }
            }
            double expected = pairs == 0 ? Double.NaN : wins / pairs;
            assertEquals(expected, Auroc.of(scores, labels), 1e-12);
            if (pairs > 0) {
                assertEquals(expected, Roc.curve(scores, labels).area(1), 1e-12);
            }
        }
    }
}
