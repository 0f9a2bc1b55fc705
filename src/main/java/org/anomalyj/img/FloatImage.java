package org.anomalyj.img;

import java.util.Arrays;

/**
 * A float image with planar channel layout (CHW): the engine's pixel type. Pixel values of
 * 8-bit inputs are kept in 0..255 (16-bit inputs are scaled into the same range by the reader), so
 * every backbone's preprocessing (see its descriptor) applies unchanged.
 */
public final class FloatImage implements PixelSource {
    private final int width;
    private final int height;
    private final int channels;
    private final float[] data;

    public FloatImage(int width, int height, int channels) {
        this(width, height, channels, new float[checkedSize(width, height, channels)]);
    }

    public FloatImage(int width, int height, int channels, float[] data) {
        if (data.length != checkedSize(width, height, channels)) {
            throw new IllegalArgumentException("data length " + data.length + " != " + width + "x" + height + "x" + channels);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.data = data;
    }

    private static int checkedSize(int width, int height, int channels) {
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException("empty image " + width + "x" + height + "x" + channels);
        }
        return Math.multiplyExact(Math.multiplyExact(width, height), channels);
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public FloatImage region(int x, int y, int w, int h) {
        FloatImage out = new FloatImage(w, h, channels);
        int x0 = Math.max(0, x);
        int x1 = Math.min(width, x + w);
        int y0 = Math.max(0, y);
        int y1 = Math.min(height, y + h);
        if (x0 >= x1 || y0 >= y1) {
            return out;
        }
        for (int c = 0; c < channels; c++) {
            for (int yy = y0; yy < y1; yy++) {
                System.arraycopy(data, (c * height + yy) * width + x0, out.data, (c * h + yy - y) * w + x0 - x, x1 - x0);
            }
        }
        return out;
    }

    /** The backing array (CHW); shared, not copied. */
    public float[] data() {
        return data;
    }

    public float get(int x, int y, int c) {
        return data[(c * height + y) * width + x];
    }

    public void set(int x, int y, int c, float v) {
        data[(c * height + y) * width + x] = v;
    }

    /** Offset of channel {@code c}'s plane in {@link #data()}. */
    public int planeOffset(int c) {
        return c * height * width;
    }

    /** This image with exactly {@code n} channels: grey is replicated, RGB(A) keeps its first n. */
    public FloatImage withChannels(int n) {
        if (n == channels) {
            return this;
        }
        FloatImage out = new FloatImage(width, height, n);
        int plane = width * height;
        for (int c = 0; c < n; c++) {
            int src = channels == 1 ? 0 : Math.min(c, channels - 1);
            System.arraycopy(data, src * plane, out.data, c * plane, plane);
        }
        return out;
    }

    /** Mean over channels, as a one-channel image. */
    public FloatImage toGrey() {
        if (channels == 1) {
            return this;
        }
        FloatImage out = new FloatImage(width, height, 1);
        int plane = width * height;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < plane; i++) {
                out.data[i] += data[c * plane + i];
            }
        }
        for (int i = 0; i < plane; i++) {
            out.data[i] /= channels;
        }
        return out;
    }

    public FloatImage copy() {
        return new FloatImage(width, height, channels, Arrays.copyOf(data, data.length));
    }

    @Override
    public String toString() {
        return "FloatImage[" + width + "x" + height + "x" + channels + "]";
    }
}
