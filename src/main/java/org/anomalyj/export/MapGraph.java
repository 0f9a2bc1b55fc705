package org.anomalyj.export;

import org.anomalyj.AnomalyJException;
import org.anomalyj.post.GaussianBlur;

/**
 * The post-processing of {@code api.InferencePipeline} as ONNX nodes: the patch-score grid
 * upsampled bilinearly (half-pixel centres, clamped borders, as {@code img.Resize} does when
 * enlarging) to the input size, then {@link GaussianBlur}: the same 1-D kernel (radius
 * {@code int(4 sigma + 0.5)}, weights normalised to 1), separable, with reflect padding that does
 * not repeat the edge pixel (ONNX Pad {@code mode=reflect}), horizontal pass first.
 */
final class MapGraph {
    private MapGraph() {
    }

    /**
     * @param patchMap {@code [1, 1, gh, gw]} patch scores
     * @return the name of the {@code [1, 1, size, size]} anomaly map (written to {@code output} when not null)
     */
    static String append(HeadBuilder h, String patchMap, int gridHeight, int gridWidth, int size, double sigma,
            String output) {
        String map = patchMap;
        if (gridHeight != size || gridWidth != size) {
            map = h.resize(map, true, 1, 1, size, size);
        }
        int r = GaussianBlur.radius(sigma);
        if (sigma > 0 && r > 0) {
            if (r >= size) {
                throw new AnomalyJException("The blur radius " + r + " (sigma " + sigma + ") is not smaller than the "
                        + size + "-pixel map, which ONNX's reflect padding cannot do; export at a larger --size.");
            }
            float[] k = GaussianBlur.kernel(sigma);
            int n = k.length;
            String padW = h.op("Pad", "reflect_w", new String[] {map, h.longs("pads", new long[] {0, 0, 0, r, 0, 0, 0, r}, 8)},
                    HeadBuilder.string("mode", "reflect"));
            String blurW = h.op("Conv", "blur_w", new String[] {padW, h.floats("gauss_w", k, 1, 1, 1, n)});
            String padH = h.op("Pad", "reflect_h", new String[] {blurW, h.longs("pads", new long[] {0, 0, r, 0, 0, 0, r, 0}, 8)},
                    HeadBuilder.string("mode", "reflect"));
            if (output != null) {
                h.opTo("Conv", output, new String[] {padH, h.floats("gauss_h", k, 1, 1, n, 1)});
                return output;
            }
            return h.op("Conv", "blur_h", new String[] {padH, h.floats("gauss_h", k, 1, 1, n, 1)});
        }
        if (output != null) {
            h.opTo("Identity", output, new String[] {map});
            return output;
        }
        return map;
    }

    /** The maximum of a tensor as shape {@code [1]} (ReduceMax without axes reduces all, in every opset). */
    static void maxTo(HeadBuilder h, String x, String output) {
        String m = h.op("ReduceMax", "max", new String[] {x}, HeadBuilder.integer("keepdims", 0));
        h.opTo("Reshape", output, new String[] {m, h.longs("shape", new long[] {1}, 1)});
    }
}
