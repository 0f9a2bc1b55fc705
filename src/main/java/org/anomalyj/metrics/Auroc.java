package org.anomalyj.metrics;

/** Image-level AUROC; a named entry point for {@link Roc#auroc(double[], boolean[])}. */
public final class Auroc {
    private Auroc() {
    }

    /**
     * The area under the ROC curve (Mann-Whitney U / (P N), ties counted one half); NaN when all
     * samples have the same label.
     */
    public static double of(double[] scores, boolean[] anomalous) {
        return Roc.auroc(scores, anomalous);
    }
}
