package org.anomalyj.model;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.anomalyj.backbone.FeatureMap;

/**
 * Synthetic two-layer feature maps: "normal" images share a smooth per-channel pattern plus small
 * noise; an anomaly adds a large offset to a block of cells of both layers.
 */
public final class SyntheticFeatures {
    private SyntheticFeatures() {
    }

    public static List<FeatureMap> image(Random r, int h, int w, int c1, int c2, int anomalyY, int anomalyX) {
        return Arrays.asList(layer("layer2", 8, c1, h, w, r, anomalyY, anomalyX),
                layer("layer3", 16, c2, h / 2, w / 2, r, anomalyY < 0 ? -1 : anomalyY / 2,
                        anomalyX < 0 ? -1 : anomalyX / 2));
    }

    static FeatureMap layer(String name, int stride, int c, int h, int w, Random r, int ay, int ax) {
        float[] d = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = Math.sin(0.7 * ch + 0.5 * y) * Math.cos(0.3 * ch + 0.4 * x) + 0.05 * r.nextGaussian();
                    if (y == ay && x == ax) {
                        v += 3.0 * ((ch % 2 == 0) ? 1 : -1);
                    }
                    d[(ch * h + y) * w + x] = (float) v;
                }
            }
        }
        return new FeatureMap(name, stride, c, h, w, d);
    }
}
