package org.anomalyj.backbone;

/**
 * One layer's output for one image: {@code channels} planes of {@code height x width} (CHW), at
 * {@code stride} input pixels per feature cell.
 */
public final class FeatureMap {
    private final String name;
    private final int stride;
    private final int channels;
    private final int height;
    private final int width;
    private final float[] data;

    public FeatureMap(String name, int stride, int channels, int height, int width, float[] data) {
        if (data.length != (long) channels * height * width) {
            throw new IllegalArgumentException("feature map " + name + ": data length " + data.length
                    + " != " + channels + "x" + height + "x" + width);
        }
        this.name = name;
        this.stride = stride;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = data;
    }

    public String name() {
        return name;
    }

    public int stride() {
        return stride;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** CHW values; shared, not copied. */
    public float[] data() {
        return data;
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }
}
