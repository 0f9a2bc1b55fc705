package org.anomalyj.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.anomalyj.backbone.FeatureMap;
import org.junit.Test;

/**
 * The aggregator (position-major, see PositionMajor) gives exactly the values of a plain
 * per-channel implementation of the definitions in FeatureAggregator's class comment, written here
 * loop by loop on planes: same operations in the same order, so every float must be equal.
 */
public class FeatureAggregatorReferenceTest {

    @Test
    public void everyConfigurationMatchesThePlanarDefinitionsExactly() {
        Random r = new Random(5);
        // odd sizes, channel counts that are not multiples of the transpose block, a 1-wide layer
        int[][][] shapes = {
            {{40, 9, 7}, {70, 5, 4}},
            {{33, 8, 8}, {65, 4, 4}, {20, 2, 2}},
            {{3, 1, 5}, {6, 1, 3}},
            {{4, 5, 1}, {8, 3, 1}},
            {{512, 32, 32}, {1024, 16, 16}},
        };
        FeatureAggregator[] aggregators = {
            FeatureAggregator.patchCore(0),
            FeatureAggregator.patchCore(24),
            FeatureAggregator.padim(),
            new FeatureAggregator(false, FeatureAggregator.Upsampling.BILINEAR, 0),
            new FeatureAggregator(true, FeatureAggregator.Upsampling.NEAREST, 5),
        };
        for (int[][] shape : shapes) {
            List<FeatureMap> layers = new ArrayList<>();
            for (int[] s : shape) {
                float[] v = new float[s[0] * s[1] * s[2]];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * 2 + 0.5);
                }
                layers.add(new FeatureMap("l" + layers.size(), 8 << layers.size(), s[0], s[1], s[2], v));
            }
            for (FeatureAggregator a : aggregators) {
                float[] expected = reference(a, layers);
                assertSame(a, layers, expected, a.aggregate(layers).data());
                // into a reused buffer holding garbage: every value is overwritten
                float[] reused = new float[expected.length];
                java.util.Arrays.fill(reused, Float.NaN);
                float[] into = a.aggregate(layers, reused).data();
                assertTrue("the buffer of the right length is used", into == reused);
                assertSame(a, layers, expected, into);
            }
        }
    }

    private static void assertSame(FeatureAggregator a, List<FeatureMap> layers, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (Float.compare(expected[i] + 0f, actual[i] + 0f) != 0) {
                throw new AssertionError(a.parameters() + " layers " + layers.size() + " value " + i + ": expected "
                        + expected[i] + " got " + actual[i]);
            }
        }
    }

    /** The definitions, one channel plane at a time. */
    private static float[] reference(FeatureAggregator a, List<FeatureMap> layers) {
        int outH = layers.get(0).height();
        int outW = layers.get(0).width();
        int dim = 0;
        for (FeatureMap f : layers) {
            dim += a.outputChannels(f.channels());
        }
        float[] out = new float[outH * outW * dim];
        int offset = 0;
        for (FeatureMap f : layers) {
            int h = f.height();
            int w = f.width();
            float[] planes = f.data();
            if (a.averagePool()) {
                planes = pool(planes, f.channels(), h, w);
            }
            int c = a.outputChannels(f.channels());
            if (c < f.channels()) {
                planes = poolChannels(planes, f.channels(), h * w, c);
            }
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < outH; y++) {
                    for (int x = 0; x < outW; x++) {
                        out[(y * outW + x) * dim + offset + ch] = sample(a, planes, ch, h, w, outH, outW, y, x);
                    }
                }
            }
            offset += c;
        }
        return out;
    }

    private static float[] pool(float[] in, int channels, int h, int w) {
        float[] out = new float[in.length];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                float[] rowSum = new float[w];
                for (int yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
                    for (int x = 0; x < w; x++) {
                        rowSum[x] += in[(c * h + yy) * w + x];
                    }
                }
                for (int x = 0; x < w; x++) {
                    float s = rowSum[x];
                    if (x > 0) {
                        s += rowSum[x - 1];
                    }
                    if (x < w - 1) {
                        s += rowSum[x + 1];
                    }
                    out[(c * h + y) * w + x] = s / 9f;
                }
            }
        }
        return out;
    }

    private static float[] poolChannels(float[] in, int channels, int plane, int outChannels) {
        float[] out = new float[outChannels * plane];
        for (int i = 0; i < outChannels; i++) {
            int start = (int) ((long) i * channels / outChannels);
            int end = (int) (((long) (i + 1) * channels + outChannels - 1) / outChannels);
            for (int p = 0; p < plane; p++) {
                float s = 0f;
                for (int c = start; c < end; c++) {
                    s += in[c * plane + p];
                }
                out[i * plane + p] = s * (1f / (end - start));
            }
        }
        return out;
    }

    private static float sample(FeatureAggregator a, float[] planes, int c, int h, int w, int outH, int outW, int y, int x) {
        int base = c * h * w;
        if (h == outH && w == outW) {
            return planes[base + y * w + x];
        }
        if (a.upsampling() == FeatureAggregator.Upsampling.NEAREST) {
            int sy = Math.min((int) Math.floor(y * ((float) h / outH)), h - 1);
            int sx = Math.min((int) Math.floor(x * ((float) w / outW)), w - 1);
            return planes[base + sy * w + sx];
        }
        float fy = Math.max(0f, (float) h / outH * (y + 0.5f) - 0.5f);
        int y0 = Math.min((int) fy, h - 1);
        int y1 = y0 < h - 1 ? y0 + 1 : y0;
        float b = fy - y0;
        float fx = Math.max(0f, (float) w / outW * (x + 0.5f) - 0.5f);
        int x0 = Math.min((int) fx, w - 1);
        int x1 = x0 < w - 1 ? x0 + 1 : x0;
        float d = fx - x0;
        float aw = 1f - b;
        float e = 1f - d;
        return aw * (e * planes[base + y0 * w + x0] + d * planes[base + y0 * w + x1])
                + b * (e * planes[base + y1 * w + x0] + d * planes[base + y1 * w + x1]);
    }
}
