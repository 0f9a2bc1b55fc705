package org.anomalyj.metrics;

import java.util.Arrays;

/**
 * Scores split by label and sorted ascending, so curves can be swept from the highest score down
 * with two pointers, grouping tied scores, using only primitive sorts (no boxed index permutation).
 */
final class ScoreSplit {
    final double[] anomalous;
    final double[] normal;

    private ScoreSplit(double[] anomalous, double[] normal) {
        this.anomalous = anomalous;
        this.normal = normal;
    }

    static ScoreSplit of(double[] scores, boolean[] labels) {
        checkInputs(scores, labels);
        int positives = 0;
        for (boolean label : labels) {
            if (label) {
                positives++;
            }
        }
        double[] pos = new double[positives];
        double[] neg = new double[scores.length - positives];
        int p = 0;
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            // +0.0 folds -0.0 into 0.0 so that equal scores compare equal in the sorted arrays.
            if (labels[i]) {
                pos[p++] = scores[i] + 0.0;
            } else {
                neg[n++] = scores[i] + 0.0;
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        return new ScoreSplit(pos, neg);
    }

    static void checkInputs(double[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
        }
    }
}
