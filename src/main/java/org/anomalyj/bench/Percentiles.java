package org.anomalyj.bench;

import java.util.Arrays;

/** Order statistics of a sample of timings, interpolated linearly between ranks (as numpy's default). */
public final class Percentiles {
    private final double[] sorted;

    public Percentiles(double[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    public int count() {
        return sorted.length;
    }

    /** The q-th quantile (q in 0..1); NaN for an empty sample. */
    public double quantile(double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        double f = pos - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * f;
    }

    public double median() {
        return quantile(0.5);
    }

    public double p95() {
        return quantile(0.95);
    }

    public double mean() {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : sorted) {
            s += v;
        }
        return s / sorted.length;
    }
}
