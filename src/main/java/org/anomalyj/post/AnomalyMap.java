package org.anomalyj.post;

/**
 * A per-pixel anomaly score map (row-major {@code width x height}). Raw maps hold distances
 * (unbounded, higher is more anomalous); normalised maps hold 0..1 with 0.5 at the threshold.
 * The values array is shared, not copied.
 */
public final class AnomalyMap {
    private final int width;
    private final int height;
    private final float[] values;

    public AnomalyMap(int width, int height, float[] values) {
        if (width <= 0 || height <= 0 || (long) width * height != values.length) {
            throw new IllegalArgumentException("map " + width + "x" + height + " cannot hold " + values.length + " values");
        }
        this.width = width;
        this.height = height;
        this.values = values;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing array (row-major); shared, not copied. */
    public float[] values() {
        return values;
    }

    public float get(int x, int y) {
        return values[y * width + x];
    }

    /** Largest value (NaN values are ignored; NaN if all are NaN). */
    public float max() {
        float m = Float.NEGATIVE_INFINITY;
        boolean any = false;
        for (float v : values) {
            if (v >= m) {
                m = v;
                any = true;
            }
        }
        return any ? m : Float.NaN;
    }

    /** Smallest value (NaN values are ignored; NaN if all are NaN). */
    public float min() {
        float m = Float.POSITIVE_INFINITY;
        boolean any = false;
        for (float v : values) {
            if (v <= m) {
                m = v;
                any = true;
            }
        }
        return any ? m : Float.NaN;
    }

    /** A map of the same size over new values. */
    public AnomalyMap withValues(float[] newValues) {
        return new AnomalyMap(width, height, newValues);
    }

    @Override
    public String toString() {
        return "AnomalyMap[" + width + "x" + height + "]";
    }
}
