package org.anomalyj.quant;

/**
 * The distribution of one activation tensor over the calibration images, and the range each
 * {@link CalibrationMethod} derives from it.
 *
 * <p>Two passes: {@link #observe} records the minimum and maximum, then {@link #freeze()} fixes
 * the histogram's bins and {@link #accumulate} counts values. The bins are symmetric around zero
 * ([-A, A], A = max |x|) for tensors with negative values and [0, max] otherwise, so that |x| is a
 * fold of the histogram (the entropy method searches a threshold on |x|, as TensorRT does).
 */
public final class ActivationHistogram {
    /** Bins per side of zero. */
    static final int BINS = 2048;
    /** Fraction of values kept by the percentile method (the rest, the most extreme, is clipped). */
    public static final double PERCENTILE = 0.9999;

    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private long[] counts;
    /** Exact zeros, counted apart: zero is always exactly representable, so they carry no quantization error. */
    private long zeros;
    private double lo;
    private double binWidth;

    /** Pass 1: widens the observed range. */
    public void observe(float[] values, int offset, int length) {
        float a = min;
        float b = max;
        for (int i = offset; i < offset + length; i++) {
            float v = values[i];
            if (v < a) {
                a = v;
            }
            if (v > b) {
                b = v;
            }
        }
        min = a;
        max = b;
    }

    public float min() {
        return min;
    }

    public float max() {
        return max;
    }

    /** Ends pass 1: fixes the bins from the observed range. */
    public void freeze() {
        if (min > max) { // nothing observed
            min = 0;
            max = 0;
        }
        double a = Math.max(Math.abs(min), Math.abs(max));
        if (a == 0) {
            a = 1e-8;
        }
        if (min < 0) {
            counts = new long[2 * BINS];
            lo = -a;
        } else {
            counts = new long[BINS];
            lo = 0;
        }
        binWidth = a / BINS;
    }

    /** Pass 2: counts values into the bins (values outside the frozen range go to the end bins). */
    public void accumulate(float[] values, int offset, int length) {
        long[] c = counts;
        int last = c.length - 1;
        double inv = 1.0 / binWidth;
        long z = 0;
        for (int i = offset; i < offset + length; i++) {
            float v = values[i];
            if (v == 0f) {
                z++;
                continue;
            }
            int b = (int) ((v - lo) * inv);
            c[b < 0 ? 0 : (b > last ? last : b)]++;
        }
        zeros += z;
    }

    boolean signed() {
        return lo < 0;
    }

    /** The range [lo, hi] (lo <= 0 <= hi) to quantize to, by {@code method}. */
    public float[] range(CalibrationMethod method) {
        float a = Math.min(min, 0f);
        float b = Math.max(max, 0f);
        switch (method) {
            case MINMAX:
                return new float[] {a, b};
            case PERCENTILE:
                return new float[] {
                    signed() ? Math.max(a, (float) quantile(1 - PERCENTILE)) : a,
                    Math.min(b, (float) quantile(PERCENTILE))};
            case ENTROPY:
                double t = entropyThreshold();
                return new float[] {signed() ? Math.max(a, (float) -t) : a, Math.min(b, (float) t)};
            default:
                throw new IllegalArgumentException(String.valueOf(method));
        }
    }

    /** The value below which a fraction {@code q} of the counted values lies (upper edge of its bin). */
    double quantile(double q) {
        requireCounts();
        long total = zeros;
        for (long c : counts) {
            total += c;
        }
        double target = q * total;
        long seen = 0;
        int zeroBin = signed() ? BINS : 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i] + (i == zeroBin ? zeros : 0);
            if (seen >= target && seen > 0) {
                return lo + (i + 1) * binWidth;
            }
        }
        return lo + counts.length * binWidth;
    }

    /**
     * TensorRT's entropy calibration on |x|: among thresholds T = i bins (i from the number of
     * quantization levels to all bins), the one whose clipped distribution P (values beyond T
     * piled into the last bin) loses least information when merged into the quantization levels
     * (Q), i.e. with the smallest KL(P || Q). 128 levels per side for signed tensors (8 bits
     * symmetric), 256 for non-negative ones. Exact zeros are left out: after a ReLU they are often
     * half of all values, and such a spike, smeared over its merged group, would make every
     * threshold but the smallest look lossy although zero itself is quantized exactly.
     */
    double entropyThreshold() {
        requireCounts();
        long[] abs = new long[BINS];
        if (signed()) {
            for (int i = 0; i < BINS; i++) {
                abs[i] = counts[BINS + i] + counts[BINS - 1 - i];
            }
        } else {
            System.arraycopy(counts, 0, abs, 0, BINS);
        }
        int levels = signed() ? 128 : 256;
        return bestKlBins(abs, levels) * binWidth;
    }

    /** The number of bins (levels..hist.length) whose clipped histogram has the least KL divergence from its quantized copy. */
    static int bestKlBins(long[] hist, int levels) {
        int n = hist.length;
        long[] tailFrom = new long[n + 1];
        for (int i = n - 1; i >= 0; i--) {
            tailFrom[i] = tailFrom[i + 1] + hist[i];
        }
        if (tailFrom[0] == 0) {
            return n;
        }
        double[] p = new double[n];
        double[] q = new double[n];
        int best = n;
        double bestKl = Double.POSITIVE_INFINITY;
        for (int i = levels; i <= n; i++) {
            double pSum = 0;
            for (int k = 0; k < i; k++) {
                p[k] = hist[k];
            }
            p[i - 1] += tailFrom[i];
            for (int k = 0; k < i; k++) {
                pSum += p[k];
            }
            // Q: hist[0..i) merged into `levels` groups, each group's mass spread over its non-empty bins.
            double qSum = 0;
            for (int j = 0; j < levels; j++) {
                int start = (int) ((long) j * i / levels);
                int end = (int) ((long) (j + 1) * i / levels);
                long mass = 0;
                int nonZero = 0;
                for (int k = start; k < end; k++) {
                    mass += hist[k];
                    if (hist[k] != 0) {
                        nonZero++;
                    }
                }
                double each = nonZero == 0 ? 0 : (double) mass / nonZero;
                for (int k = start; k < end; k++) {
                    q[k] = hist[k] != 0 ? each : 0;
                    qSum += q[k];
                }
            }
            if (pSum == 0 || qSum == 0) {
                continue;
            }
            double kl = 0;
            for (int k = 0; k < i; k++) {
                if (p[k] == 0) {
                    continue;
                }
                double pk = p[k] / pSum;
                // An empty Q bin where P has mass (only the outlier bin can be): a small floor keeps KL finite.
                double qk = q[k] == 0 ? 1e-4 / qSum : q[k] / qSum;
                kl += pk * Math.log(pk / qk);
            }
            if (kl < bestKl) {
                bestKl = kl;
                best = i;
            }
        }
        return best;
    }

    private void requireCounts() {
        if (counts == null) {
            throw new IllegalStateException("histogram not frozen");
        }
    }
}
