package org.anomalyj.quant;

import java.util.Random;
import org.anomalyj.onnx.OnnxGraph;

/**
 * A small float CNN written with {@link OnnxGraph}: Conv(3->8, 3x3, stride 2) -> Relu ->
 * Conv(8->16, 3x3, stride 2) -> BatchNormalization -> Relu -> Conv(16->16, 1x1) -> "feat"
 * (stride 4, 16 channels), dynamic N/H/W, random seeded weights.
 */
final class TinyBackbone {
    static final String INPUT = "x";
    static final String OUTPUT = "feat";

    private TinyBackbone() {
    }

    static byte[] build(long seed) {
        Random r = new Random(seed);
        long[] k3 = {3, 3};
        long[] pad1 = {1, 1, 1, 1};
        long[] s2 = {2, 2};
        OnnxGraph g = new OnnxGraph("tiny");
        g.input(INPUT, OnnxGraph.FLOAT, "N", 3L, "H", "W");
        g.initializer("w1", random(r, 8 * 3 * 9, 0.3), 8, 3, 3, 3);
        g.initializer("b1", random(r, 8, 0.1), 8);
        g.initializer("w2", random(r, 16 * 8 * 9, 0.2), 16, 8, 3, 3);
        g.initializer("b2", random(r, 16, 0.1), 16);
        g.initializer("gamma", positive(r, 16), 16);
        g.initializer("beta", random(r, 16, 0.2), 16);
        g.initializer("mean", random(r, 16, 0.3), 16);
        g.initializer("var", positive(r, 16), 16);
        g.initializer("w3", random(r, 16 * 16, 0.3), 16, 16, 1, 1);
        g.node("Conv", new String[] {INPUT, "w1", "b1"}, new String[] {"c1"}, "kernel_shape", k3, "pads", pad1, "strides", s2);
        g.node("Relu", new String[] {"c1"}, new String[] {"r1"});
        g.node("Conv", new String[] {"r1", "w2", "b2"}, new String[] {"c2"}, "kernel_shape", k3, "pads", pad1, "strides", s2);
        g.node("BatchNormalization", new String[] {"c2", "gamma", "beta", "mean", "var"}, new String[] {"n2"},
                "epsilon", 1e-5f);
        g.node("Relu", new String[] {"n2"}, new String[] {"r2"});
        g.node("Conv", new String[] {"r2", "w3"}, new String[] {OUTPUT});
        g.output(OUTPUT, OnnxGraph.FLOAT, "N", 16L, "h", "w");
        return g.toBytes();
    }

    /** The sidecar descriptor of the tiny backbone (identity preprocessing scaled to 0..1). */
    static String descriptorJson() {
        return "{\"input\": \"x\", \"preprocess\": {\"color\": \"RGB\", \"scale\": 0.00392156862745098,"
                + " \"mean\": [0.5, 0.5, 0.5], \"std\": [0.25, 0.25, 0.25]},"
                + " \"outputs\": [{\"name\": \"feat\", \"stride\": 4, \"channels\": 16}]}";
    }

    private static float[] random(Random r, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * sd);
        }
        return v;
    }

    private static float[] positive(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.5 + r.nextDouble());
        }
        return v;
    }
}
