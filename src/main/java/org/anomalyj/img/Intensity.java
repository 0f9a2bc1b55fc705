package org.anomalyj.img;

import org.anomalyj.AnomalyJException;

/** Maps float sample values into the engine's 0..255 range (files and ImageJ images alike). */
public final class Intensity {
    private Intensity() {
    }

    /**
     * Linear min..max of {@code src} -> 0..255 into {@code dst} (may be the same array). NaN
     * samples become 0, a constant image becomes all 0. Infinite values have no meaningful
     * stretch: they are refused, naming {@code source}.
     */
    public static void stretchToByteRange(float[] src, float[] dst, String source) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : src) {
            if (v < min) {
                min = v;
            }
            if (v > max) {
                max = v;
            }
        }
        if (min == Float.POSITIVE_INFINITY && max == Float.NEGATIVE_INFINITY) {
            java.util.Arrays.fill(dst, 0f); // only NaN samples
            return;
        }
        if (Float.isInfinite(min) || Float.isInfinite(max)) {
            throw new AnomalyJException("Image " + source + " contains infinite sample values;"
                    + " convert it to an 8- or 16-bit image first.");
        }
        float range = max - min;
        float scale = range > 0 ? 255f / range : 0f;
        for (int i = 0; i < src.length; i++) {
            float v = src[i];
            dst[i] = v != v ? 0f : (v - min) * scale;
        }
    }
}
