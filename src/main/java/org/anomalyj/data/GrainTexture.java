package org.anomalyj.data;

import java.util.SplittableRandom;

/**
 * A grey, oriented texture like brushed metal or wood grain: value noise stretched along a
 * slightly tilted grain direction, plus a slow illumination gradient. Every image drawn from a
 * different random stream differs in tilt, grain scale, brightness and contrast, so "normal" is a
 * distribution, not one picture.
 */
final class GrainTexture {
    private GrainTexture() {
    }

    /** One grey plane (row-major, values about 40..220). */
    static float[] render(int w, int h, SplittableRandom rnd) {
        double angle = rnd.nextDouble(-0.12, 0.12);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        double along = rnd.nextDouble(40, 60);
        double across = rnd.nextDouble(2.2, 3.0);
        double mean = rnd.nextDouble(115, 140);
        double amp = rnd.nextDouble(30, 40);
        long s1 = rnd.nextLong();
        long s2 = rnd.nextLong();
        long s3 = rnd.nextLong();
        float[] plane = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = x * cos + y * sin;
                double v = -x * sin + y * cos;
                double grain = 0.65 * ValueNoise.at(u / along, v / across, s1)
                        + 0.35 * ValueNoise.at(u / (along * 0.3), v / (across * 0.7), s2);
                double light = ValueNoise.at(x / 90.0, y / 90.0, s3);
                plane[y * w + x] = (float) (mean + amp * grain + 18 * light);
            }
        }
        return plane;
    }
}
