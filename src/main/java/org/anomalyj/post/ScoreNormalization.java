package org.anomalyj.post;

import java.util.Objects;

import org.anomalyj.AnomalyJException;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Min-max score normalisation as in anomalib: {@code clamp((v - threshold) / (max - min) + 0.5,
 * 0, 1)}, so the decision threshold maps to 0.5 and scores become comparable across models.
 * Image scores and anomaly maps each get their own instance (own statistics), both computed on
 * normal calibration images.
 */
public final class ScoreNormalization {
    private final double threshold;
    private final double min;
    private final double max;

    public ScoreNormalization(double threshold, double min, double max) {
        if (!Double.isFinite(threshold) || !Double.isFinite(min) || !Double.isFinite(max) || max < min) {
            throw new IllegalArgumentException("bad normalisation threshold=" + threshold + " min=" + min + " max=" + max);
        }
        this.threshold = threshold;
        this.min = min;
        this.max = max;
    }

    /** Statistics from raw values (min and max over the finite ones) with the given threshold. */
    public static ScoreNormalization fromValues(double threshold, float[] values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) {
            throw new IllegalArgumentException("no finite values to normalise");
        }
        return new ScoreNormalization(threshold, lo, hi);
    }

    public double threshold() {
        return threshold;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /**
     * Normalised score in 0..1 ({@code threshold -> 0.5}). When {@code max == min} the range is
     * treated as tiny, so scores become 0, 0.5 or 1 (a step at the threshold) instead of NaN.
     */
    public float normalize(double v) {
        double range = max - min;
        if (!(range > 0)) {
            range = Double.MIN_NORMAL;
        }
        double n = (v - threshold) / range + 0.5;
        return (float) Math.max(0.0, Math.min(1.0, n));
    }

    /** Normalises every value into a new array. */
    public float[] normalize(float[] values) {
        float[] out = new float[values.length];
        normalize(values, 0, values.length, out);
        return out;
    }

    /** Normalises {@code values[from..from+n)} into {@code out[0..n)}. */
    public void normalize(float[] values, int from, int n, float[] out) {
        double range = max - min > 0 ? max - min : Double.MIN_NORMAL;
        float scale = (float) (1 / range);
        float offset = (float) (0.5 - threshold / range);
        if (Float.isFinite(scale) && Float.isFinite(offset)) {
            // Fast path (JIT-vectorised): v * scale + offset == (v - t) / range + 0.5 up to rounding.
            // In place over a copy: C2 on JDK 17 leaves the loop scalar when it reads at an offset.
            System.arraycopy(values, from, out, 0, n);
            for (int i = 0; i < n; i++) {
                out[i] = Math.max(0f, Math.min(1f, out[i] * scale + offset));
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = normalize(values[from + i]);
            }
        }
    }

    /** A normalised copy of {@code map}. */
    public AnomalyMap normalize(AnomalyMap map) {
        return map.withValues(normalize(map.values()));
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("threshold", threshold);
        o.addProperty("min", min);
        o.addProperty("max", max);
        return o;
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws AnomalyJException when a field is missing or not a number
     */
    public static ScoreNormalization fromJson(JsonObject o) {
        try {
            return new ScoreNormalization(number(o, "threshold"), number(o, "min"), number(o, "max"));
        } catch (IllegalArgumentException e) {
            throw new AnomalyJException("The model's score normalisation is invalid (" + e.getMessage() + "): retrain or re-calibrate the model.", e);
        }
    }

    private static double number(JsonObject o, String name) {
        JsonElement e = o == null ? null : o.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new AnomalyJException("The model's score normalisation has no numeric '" + name + "': retrain or re-calibrate the model.");
        }
        return e.getAsDouble();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ScoreNormalization)) {
            return false;
        }
        ScoreNormalization s = (ScoreNormalization) o;
        return Double.compare(threshold, s.threshold) == 0 && Double.compare(min, s.min) == 0 && Double.compare(max, s.max) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(threshold, min, max);
    }

    @Override
    public String toString() {
        return "ScoreNormalization[threshold=" + threshold + ", min=" + min + ", max=" + max + "]";
    }
}
