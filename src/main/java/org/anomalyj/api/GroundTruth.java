package org.anomalyj.api;

import org.anomalyj.data.ImageReader;
import org.anomalyj.data.Sample;
import org.anomalyj.img.Resize;

/**
 * Pixel ground truth of a test sample at the model's input size, as evaluation and validation
 * calibration use it: the mask resized by nearest neighbour; all normal for a good image without
 * a mask; unknown for a defect without a mask (image metrics only).
 */
final class GroundTruth {
    private GroundTruth() {
    }

    /** Whether the sample has pixel ground truth (a mask, or it is a good image). */
    static boolean known(Sample s) {
        return s.mask() != null || !s.anomalous();
    }

    /**
     * @return {@code size x size} defect flags, or null when {@link #known} is false
     */
    static boolean[] at(Sample s, int imageWidth, int imageHeight, int size) {
        return at(s, imageWidth, imageHeight, size, size);
    }

    /** As {@link #at(Sample, int, int, int)} for a {@code width x height} anomaly map. */
    static boolean[] at(Sample s, int imageWidth, int imageHeight, int width, int height) {
        if (s.mask() != null) {
            boolean[] full = ImageReader.readMask(s.mask(), imageWidth, imageHeight);
            return width == imageWidth && height == imageHeight ? full
                    : Resize.nearest(full, imageWidth, imageHeight, width, height);
        }
        return s.anomalous() ? null : new boolean[width * height];
    }
}
