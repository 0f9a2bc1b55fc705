package org.anomalyj.jmh;

import java.util.Random;

/** Synthetic inputs shaped like the real ones. */
final class Data {
    private Data() {
    }

    /** Non-negative, sparse-ish values like post-ReLU CNN features (n x dim, row-major). */
    static float[] features(Random r, int n, int dim) {
        float[] x = new float[n * dim];
        for (int i = 0; i < x.length; i++) {
            double g = r.nextGaussian();
            x[i] = g > 0 ? (float) g : 0f;
        }
        return x;
    }
}
