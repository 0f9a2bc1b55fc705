package org.anomalyj.model;

/**
 * The per-patch feature vectors of one image after aggregation: {@code height x width} positions,
 * {@code dim} values each, stored position-major ({@code data[pos * dim + c]}, pos = y * width + x)
 * so that one patch's vector is contiguous (what distance computations read).
 */
public final class PatchEmbedding {
    private final int height;
    private final int width;
    private final int dim;
    private final float[] data;

    public PatchEmbedding(int height, int width, int dim, float[] data) {
        if (height <= 0 || width <= 0 || dim <= 0) {
            throw new IllegalArgumentException("empty embedding " + height + "x" + width + "x" + dim);
        }
        if (data.length != (long) height * width * dim) {
            throw new IllegalArgumentException("embedding data length " + data.length + " != " + height + "x"
                    + width + "x" + dim);
        }
        this.height = height;
        this.width = width;
        this.dim = dim;
        this.data = data;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Number of positions (patches): height * width. */
    public int positions() {
        return height * width;
    }

    public int dim() {
        return dim;
    }

    /** Position-major values; shared, not copied. */
    public float[] data() {
        return data;
    }

    public float get(int pos, int c) {
        return data[pos * dim + c];
    }
}
