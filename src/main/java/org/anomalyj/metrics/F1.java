package org.anomalyj.metrics;

/**
 * F1, precision and recall of the rule "anomalous when {@code score >= threshold}", at a given
 * threshold or maximised over all thresholds.
 *
 * <p>Conventions: F1 = 2 TP / (2 TP + FP + FN), which is 0 when nothing anomalous is found and NaN
 * only when there is nothing to find and nothing is predicted. Precision is NaN when nothing is
 * predicted anomalous, recall is NaN when there is no anomalous sample.
 */
public final class F1 {
    private F1() {
    }

    /**
     * The best F1 over all thresholds. The candidate rules are "predict anomalous the samples with
     * the k highest distinct scores" for every k; the returned threshold for a rule is the midpoint
     * between the lowest score it includes and the next lower distinct score (so it separates the
     * two groups with a margin on both sides), or that lowest score itself when every sample is
     * included. Among equal F1 values the highest threshold (fewest detections) wins.
     *
     * @return the best result; its F1 is NaN (and threshold NaN) when there is no anomalous sample
     *         or no sample at all
     */
    public static F1Result max(double[] scores, boolean[] labels) {
        ScoreSplit split = ScoreSplit.of(scores, labels);
        double[] pos = split.anomalous;
        double[] neg = split.normal;
        long positives = pos.length;
        if (positives == 0) {
            return new F1Result(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        int i = pos.length - 1;
        int j = neg.length - 1;
        long tp = 0;
        long fp = 0;
        double bestF1 = -1;
        double bestThreshold = Double.NaN;
        long bestTp = 0;
        long bestFp = 0;
        while (i >= 0 || j >= 0) {
            double t = Roc.nextThreshold(pos, i, neg, j);
            while (i >= 0 && pos[i] == t) {
                i--;
                tp++;
            }
            while (j >= 0 && neg[j] == t) {
                j--;
                fp++;
            }
            double f1 = f1(tp, fp, positives - tp);
            if (f1 > bestF1) {
                bestF1 = f1;
                bestTp = tp;
                bestFp = fp;
                boolean more = i >= 0 || j >= 0;
                bestThreshold = more ? midpoint(t, Roc.nextThreshold(pos, i, neg, j)) : t;
            }
        }
        return new F1Result(bestF1, bestThreshold, ratio(bestTp, bestTp + bestFp), ratio(bestTp, positives));
    }

    /** F1 of the rule "anomalous when {@code score >= threshold}" (see the class conventions). */
    public static double at(double[] scores, boolean[] labels, double threshold) {
        long[] c = counts(scores, labels, threshold);
        return f1(c[0], c[1], c[2]);
    }

    /** Precision TP / (TP + FP) at the threshold; NaN when no score reaches it. */
    public static double precisionAt(double[] scores, boolean[] labels, double threshold) {
        long[] c = counts(scores, labels, threshold);
        return ratio(c[0], c[0] + c[1]);
    }

    /** Recall TP / (TP + FN) at the threshold; NaN when there is no anomalous sample. */
    public static double recallAt(double[] scores, boolean[] labels, double threshold) {
        long[] c = counts(scores, labels, threshold);
        return ratio(c[0], c[0] + c[2]);
    }

    /** {TP, FP, FN} for the rule {@code score >= threshold}. */
    private static long[] counts(double[] scores, boolean[] labels, double threshold) {
        ScoreSplit.checkInputs(scores, labels);
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int k = 0; k < scores.length; k++) {
            boolean predicted = scores[k] >= threshold;
            if (labels[k]) {
                if (predicted) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (predicted) {
                fp++;
            }
        }
        return new long[] {tp, fp, fn};
    }

    private static double f1(long tp, long fp, long fn) {
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : numerator / (double) denominator;
    }

    /**
     * A threshold strictly above {@code lower} and at most {@code upper}: their midpoint, or
     * {@code upper} itself when the two are adjacent doubles (or infinite) and the midpoint would
     * round onto {@code lower}.
     */
    static double midpoint(double upper, double lower) {
        double mid = upper / 2 + lower / 2;
        return mid > lower && mid <= upper ? mid : upper;
    }
}
