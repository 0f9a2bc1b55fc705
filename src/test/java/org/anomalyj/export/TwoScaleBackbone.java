package org.anomalyj.export;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.anomalyj.onnx.OnnxGraph;

/**
 * A small float CNN with two feature outputs of different strides, so that the exported head's
 * resampling of the deeper layer is exercised: Conv(3->8, s2) -> Relu -> Conv(8->12, s2) -> Relu =
 * "f4" (stride 4, 12 channels) -> Conv(12->20, s2) -> Relu = "f8" (stride 8, 20 channels), and an
 * unused deeper "f16" the export must prune. Dynamic N/H/W, seeded random weights, opset 13.
 */
final class TwoScaleBackbone {
    private TwoScaleBackbone() {
    }

    static Path write(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        Random r = new Random(7);
        OnnxGraph g = new OnnxGraph("two_scale");
        g.input("image", OnnxGraph.FLOAT, "N", 3L, "H", "W");
        conv(g, r, "image", "c1", 3, 8);
        conv(g, r, "c1", "f4", 8, 12);
        conv(g, r, "f4", "f8", 12, 20);
        conv(g, r, "f8", "f16", 20, 24);
        g.output("f4", OnnxGraph.FLOAT, "N", 12L, "h4", "w4");
        g.output("f8", OnnxGraph.FLOAT, "N", 20L, "h8", "w8");
        g.output("f16", OnnxGraph.FLOAT, "N", 24L, "h16", "w16");
        Path onnx = dir.resolve(name + ".onnx");
        Files.write(onnx, g.toBytes());
        String json = "{\"input\": \"image\", \"preprocess\": {\"color\": \"RGB\", \"scale\": 0.00392156862745098,"
                + " \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225]},"
                + " \"outputs\": [{\"name\": \"f4\", \"stride\": 4, \"channels\": 12},"
                + " {\"name\": \"f8\", \"stride\": 8, \"channels\": 20}, {\"name\": \"f16\", \"stride\": 16, \"channels\": 24}],"
                + " \"default_layers\": [\"f4\", \"f8\"]}";
        Files.write(dir.resolve(name + ".json"), json.getBytes(StandardCharsets.UTF_8));
        return onnx;
    }

    private static void conv(OnnxGraph g, Random r, String in, String out, int cin, int cout) {
        g.initializer(out + "_w", random(r, cout * cin * 9, Math.sqrt(2.0 / (cin * 9))), cout, cin, 3, 3);
        g.initializer(out + "_b", random(r, cout, 0.1), cout);
        g.node("Conv", new String[] {in, out + "_w", out + "_b"}, new String[] {out + "_pre"}, "kernel_shape",
                new long[] {3, 3}, "pads", new long[] {1, 1, 1, 1}, "strides", new long[] {2, 2});
        g.node("Relu", new String[] {out + "_pre"}, new String[] {out});
    }

    private static float[] random(Random r, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * sd);
        }
        return v;
    }
}
