package org.anomalyj.metrics;

/** The best F1 score over all thresholds, the threshold that reaches it, and its precision and recall. */
public final class F1Result {
    private final double f1;
    private final double threshold;
    private final double precision;
    private final double recall;

    public F1Result(double f1, double threshold, double precision, double recall) {
        this.f1 = f1;
        this.threshold = threshold;
        this.precision = precision;
        this.recall = recall;
    }

    /** The F1 score, {@code 2 TP / (2 TP + FP + FN)}. */
    public double f1() {
        return f1;
    }

    /** Predict anomalous when {@code score >= threshold}. */
    public double threshold() {
        return threshold;
    }

    /** {@code TP / (TP + FP)} at the threshold. */
    public double precision() {
        return precision;
    }

    /** {@code TP / (TP + FN)} at the threshold. */
    public double recall() {
        return recall;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "F1 %.4f at threshold %.6g (precision %.4f, recall %.4f)",
                f1, threshold, precision, recall);
    }
}
