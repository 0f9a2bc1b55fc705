package org.anomalyj.img;

/**
 * An image the engine reads a region at a time, so that large images are tiled and resized without
 * ever being held as one float copy. Values are in 0..255 like {@link FloatImage}'s.
 */
public interface PixelSource {
    int width();

    int height();

    int channels();

    /**
     * The pixels of {@code [x, x + w) x [y, y + h)} as a new {@code w x h} image with
     * {@link #channels()} channels; the part outside this image is 0 (zero padding).
     */
    FloatImage region(int x, int y, int w, int h);
}
