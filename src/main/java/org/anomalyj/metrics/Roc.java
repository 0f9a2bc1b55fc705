package org.anomalyj.metrics;

/**
 * The exact receiver operating characteristic of a scoring: one point per distinct score, from the
 * highest score down, predicting "anomalous" when {@code score >= threshold}. Tied scores form one
 * step (a diagonal segment when the tie mixes both classes), so the trapezoidal area equals the
 * Mann-Whitney statistic with ties counted one half.
 */
public final class Roc {
    private Roc() {
    }

    /**
     * The ROC curve: x = false positive rate, y = true positive rate, starting at (0, 0) and ending
     * at (1, 1). When one class is absent the corresponding rate is NaN.
     *
     * @param scores    one score per sample, higher = more anomalous; must not be NaN
     * @param anomalous the ground truth label per sample
     */
    public static Curve curve(double[] scores, boolean[] anomalous) {
        ScoreSplit split = ScoreSplit.of(scores, anomalous);
        double[] pos = split.anomalous;
        double[] neg = split.normal;
        double positives = pos.length;
        double negatives = neg.length;
        int capacity = pos.length + neg.length + 1;
        double[] x = new double[capacity];
        double[] y = new double[capacity];
        int points = 1;
        x[0] = 0 / negatives;
        y[0] = 0 / positives;
        int i = pos.length - 1;
        int j = neg.length - 1;
        long tp = 0;
        long fp = 0;
        while (i >= 0 || j >= 0) {
            double t = nextThreshold(pos, i, neg, j);
            while (i >= 0 && pos[i] == t) {
                i--;
                tp++;
            }
            while (j >= 0 && neg[j] == t) {
                j--;
                fp++;
            }
            x[points] = fp / negatives;
            y[points] = tp / positives;
            points++;
        }
        return new Curve(java.util.Arrays.copyOf(x, points), java.util.Arrays.copyOf(y, points));
    }

    /**
     * The area under the ROC curve, computed exactly in integer counts: the probability that a
     * random anomalous sample scores higher than a random normal one, ties counting one half.
     * NaN when either class is absent (the area is undefined then).
     */
    public static double auroc(double[] scores, boolean[] anomalous) {
        ScoreSplit split = ScoreSplit.of(scores, anomalous);
        double[] pos = split.anomalous;
        double[] neg = split.normal;
        if (pos.length == 0 || neg.length == 0) {
            return Double.NaN;
        }
        int i = pos.length - 1;
        int j = neg.length - 1;
        long tp = 0;
        long twiceArea = 0; // sum of dfp * (tpBefore + tpAfter): exact trapezoids times two
        while (i >= 0 || j >= 0) {
            double t = nextThreshold(pos, i, neg, j);
            long tpBefore = tp;
            while (i >= 0 && pos[i] == t) {
                i--;
                tp++;
            }
            long dfp = 0;
            while (j >= 0 && neg[j] == t) {
                j--;
                dfp++;
            }
            twiceArea += dfp * (tpBefore + tp);
        }
        return twiceArea / (2.0 * pos.length * (double) neg.length);
    }

    /** The highest score not yet consumed from either sorted array (i, j index their tops). */
    static double nextThreshold(double[] pos, int i, double[] neg, int j) {
        if (i < 0) {
            return neg[j];
        }
        if (j < 0) {
            return pos[i];
        }
        return Math.max(pos[i], neg[j]);
    }
}
