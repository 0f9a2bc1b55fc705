package org.anomalyj.backbone;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.anomalyj.AnomalyJException;
import org.anomalyj.img.FloatImage;
import org.junit.Test;

public class FilterBankBackboneTest {
    static final java.util.List<String> BOTH = java.util.Arrays.asList(FilterBankBackbone.FINE, FilterBankBackbone.COARSE);

    @Test
    public void defaultIsTheStride8Layer() {
        try (FilterBankBackbone fb = new FilterBankBackbone(null, 1)) {
            org.junit.Assert.assertEquals(java.util.Collections.singletonList("fb_s8"), fb.layers());
        }
    }


    private static FloatImage grey(int w, int h, java.util.function.IntBinaryOperator f) {
        FloatImage img = new FloatImage(w, h, 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = f.applyAsInt(x, y);
                for (int c = 0; c < 3; c++) {
                    img.set(x, y, c, v);
                }
            }
        }
        return img;
    }

    /** Smoothed random texture, values around 128; deterministic per seed. */
    private static FloatImage texture(int size, long seed) {
        Random rnd = new Random(seed);
        float[] noise = new float[size * size];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) rnd.nextGaussian();
        }
        FloatImage img = new FloatImage(size, size, 3);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                // 3x3 box blur of the noise: a fine, isotropic texture
                float s = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = Math.min(size - 1, Math.max(0, y + dy));
                        int xx = Math.min(size - 1, Math.max(0, x + dx));
                        s += noise[yy * size + xx];
                    }
                }
                float v = 128 + 4 * s;
                for (int c = 0; c < 3; c++) {
                    img.set(x, y, c, v);
                }
            }
        }
        return img;
    }

    private static int channel(String layer, String name) {
        int i = FilterBankBackbone.channelNames(layer).indexOf(name);
        assertTrue("no channel " + name, i >= 0);
        return i;
    }

    @Test
    public void shapesStridesAndChannelsMatchTheDescriptor() {
        try (FilterBankBackbone fb = new FilterBankBackbone(BOTH, 1)) {
            assertEquals(Arrays.asList("fb_s4", "fb_s8"), fb.layers());
            List<FeatureMap> maps = fb.extract(texture(256, 1));
            assertEquals(2, maps.size());
            FeatureMap fine = maps.get(0);
            FeatureMap coarse = maps.get(1);
            assertEquals("fb_s4", fine.name());
            assertEquals(4, fine.stride());
            assertEquals(64, fine.height());
            assertEquals(64, fine.width());
            assertEquals(8, coarse.stride());
            assertEquals(32, coarse.height());
            assertEquals(32, coarse.width());
            BackboneDescriptor d = fb.descriptor();
            assertEquals("builtin", d.name());
            assertEquals(d.output("fb_s4").channels, fine.channels());
            assertEquals(d.output("fb_s8").channels, coarse.channels());
            assertEquals(FilterBankBackbone.channelNames("fb_s4").size(), fine.channels());
            assertEquals(FilterBankBackbone.channelNames("fb_s8").size(), coarse.channels());
            assertTrue(fine.channels() >= 32 && fine.channels() <= 64);
            assertTrue(coarse.channels() >= 32 && coarse.channels() <= 64);
        }
    }

    @Test
    public void nonSquareImageAndSingleLayer() {
        try (FilterBankBackbone fb = new FilterBankBackbone(Collections.singletonList("fb_s4"), 1)) {
            // 4-divisible but not 8-divisible sizes are fine when only the stride-4 layer is used
            List<FeatureMap> maps = fb.extract(texture(100, 2).withChannels(3));
            assertEquals(1, maps.size());
            assertEquals(25, maps.get(0).width());
        }
        try (FilterBankBackbone fb = new FilterBankBackbone(Collections.singletonList("fb_s8"), 1)) {
            FloatImage img = grey(96, 40, (x, y) -> x + y);
            FeatureMap m = fb.extract(img).get(0);
            assertEquals("fb_s8", m.name());
            assertEquals(12, m.width());
            assertEquals(5, m.height());
        }
    }

    @Test
    public void tinyImagesWorkThanksToMirroredBorders() {
        try (FilterBankBackbone fb = new FilterBankBackbone(BOTH, 1)) {
            List<FeatureMap> maps = fb.extract(texture(8, 7));
            assertEquals(2, maps.get(0).width());
            assertEquals(1, maps.get(1).width());
            for (FeatureMap m : maps) {
                for (float v : m.data()) {
                    assertTrue(Float.isFinite(v));
                }
            }
        }
    }

    @Test
    public void batchEqualsSingleExtraction() {
        FloatImage a = texture(64, 8);
        FloatImage b = texture(64, 9);
        try (FilterBankBackbone fb = new FilterBankBackbone(BOTH, 0)) {
            List<List<FeatureMap>> batch = fb.extractBatch(Arrays.asList(a, b, a));
            assertEquals(3, batch.size());
            for (int l = 0; l < 2; l++) {
                assertArrayEquals(fb.extract(a).get(l).data(), batch.get(0).get(l).data(), 0f);
                assertArrayEquals(fb.extract(b).get(l).data(), batch.get(1).get(l).data(), 0f);
                assertArrayEquals(fb.extract(a).get(l).data(), batch.get(2).get(l).data(), 0f);
            }
        }
    }

    @Test
    public void sizeNotDivisibleByTheStrideIsAClearError() {
        try (FilterBankBackbone fb = new FilterBankBackbone(BOTH, 1)) {
            fb.extract(texture(100, 3));
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("divisible by 8"));
            assertTrue(e.getMessage(), e.getMessage().contains("100x100"));
        }
    }

    @Test
    public void unknownLayerIsRejected() {
        try {
            new FilterBankBackbone(Collections.singletonList("stage2"), 1);
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("fb_s4"));
        }
    }

    @Test
    public void deterministicAndIndependentOfThreading() {
        FloatImage img = texture(128, 4);
        // add colour so that the parallel path over three input channels is exercised
        for (int i = 0; i < 128 * 128; i++) {
            img.data()[i] *= 1.1f;
        }
        try (FilterBankBackbone a = new FilterBankBackbone(BOTH, 1); FilterBankBackbone b = new FilterBankBackbone(BOTH, 0)) {
            List<FeatureMap> x = a.extract(img);
            List<FeatureMap> y = a.extract(img.copy());
            List<FeatureMap> z = b.extract(img);
            for (int i = 0; i < x.size(); i++) {
                assertArrayEquals(x.get(i).data(), y.get(i).data(), 0f);
                assertArrayEquals(x.get(i).data(), z.get(i).data(), 0f);
            }
        }
    }

    @Test
    public void flatImageGivesItsMeanAndNoTexture() {
        try (FilterBankBackbone fb = new FilterBankBackbone(BOTH, 1)) {
            for (FeatureMap m : fb.extract(grey(64, 64, (x, y) -> 100))) {
                List<String> names = FilterBankBackbone.channelNames(m.name());
                int cells = m.width() * m.height();
                for (int c = 0; c < m.channels(); c++) {
                    float expected = names.get(c).equals("grey.mean") ? FilterBankBackbone.GAIN_MEAN * 100f / 255f : 0f;
                    for (int i = 0; i < cells; i++) {
                        assertEquals(m.name() + " " + names.get(c), expected, m.data()[c * cells + i], 2e-3f);
                    }
                }
            }
        }
    }

    /**
     * On a ramp I = a x (0..255 units) the scale-normalised first derivative is sigma * a / 255 at
     * every scale (pyramid levels included) and the second derivatives vanish; checked away from
     * the mirrored borders.
     */
    @Test
    public void rampGivesTheHandComputedFirstDerivativeAtEveryScale() {
        float a = 0.5f;
        FloatImage img = grey(256, 256, (x, y) -> Math.round(2 * a * x) / 2);
        // integer pixel values would truncate; build the exact ramp instead
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 256; y++) {
                for (int x = 0; x < 256; x++) {
                    img.set(x, y, c, a * x);
                }
            }
        }
        try (FilterBankBackbone fb = new FilterBankBackbone(BOTH, 1)) {
            for (FeatureMap m : fb.extract(img)) {
                int[] sigmas = m.name().equals("fb_s4") ? new int[] {1, 2, 4} : new int[] {1, 2, 4, 8};
                int mid = m.height() / 2;
                for (int s : sigmas) {
                    double expected = FilterBankBackbone.GAIN_D1 * s * a / 255.0;
                    for (int j = m.width() / 4; j < 3 * m.width() / 4; j++) {
                        assertEquals(m.name() + " s" + s + " dx", expected,
                                m.get(channel(m.name(), "grey.s" + s + ".dx"), mid, j), 1e-3 * expected);
                        assertEquals(0, m.get(channel(m.name(), "grey.s" + s + ".dy"), mid, j), 1e-3 * expected);
                        assertEquals(0, m.get(channel(m.name(), "grey.s" + s + ".dxx"), mid, j), 1e-3 * expected);
                        assertEquals(0, m.get(channel(m.name(), "grey.s" + s + ".log"), mid, j), 1e-3 * expected);
                    }
                }
                // local mean at a cell is the ramp at the cell centre: a * (stride * j + (stride - 1) / 2)
                int j = m.width() / 2;
                double centre = m.stride() * j + (m.stride() - 1) / 2.0;
                assertEquals(FilterBankBackbone.GAIN_MEAN * a * centre / 255.0,
                        m.get(channel(m.name(), "grey.mean"), mid, j), 1e-4);
            }
        }
    }

    /** On I = b y^2 / 2 the scale-normalised d2/dy2 is sigma^2 * b / 255 and d2/dx2 is 0. */
    @Test
    public void parabolaGivesTheHandComputedSecondDerivative() {
        double b = 0.004;
        FloatImage img = new FloatImage(128, 128, 1);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                img.set(x, y, 0, (float) (b * (y - 64) * (y - 64) / 2));
            }
        }
        try (FilterBankBackbone fb = new FilterBankBackbone(Collections.singletonList("fb_s4"), 1)) {
            FeatureMap m = fb.extract(img).get(0);
            for (int s : new int[] {1, 2, 4}) {
                double expected = FilterBankBackbone.GAIN_D2 * s * s * b / 255.0;
                for (int i = 12; i < 20; i++) {
                    assertEquals("s" + s + " dyy", expected, m.get(channel("fb_s4", "grey.s" + s + ".dyy"), i, 16), 0.01 * expected);
                    assertEquals("s" + s + " log", expected, m.get(channel("fb_s4", "grey.s" + s + ".log"), i, 16), 0.01 * expected);
                    assertEquals("s" + s + " dxx", 0, m.get(channel("fb_s4", "grey.s" + s + ".dxx"), i, 16), 0.01 * expected);
                }
            }
        }
    }

    @Test
    public void colourChannelsAreZeroForGreyAndRespondToColourEdges() {
        try (FilterBankBackbone fb = new FilterBankBackbone(Collections.singletonList("fb_s4"), 1)) {
            FeatureMap greyMap = fb.extract(texture(64, 5)).get(0);
            int rgGrad = channel("fb_s4", "rg.s2.grad");
            int rgMean = channel("fb_s4", "rg.mean");
            for (int i = 0; i < 16; i++) {
                assertEquals(0f, greyMap.get(rgGrad, i, i), 0f);
            }
            // left half red, right half green, same grey level: only the colour channels see the edge
            FloatImage img = new FloatImage(64, 64, 3);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    img.set(x, y, x < 32 ? 0 : 1, 150);
                }
            }
            FeatureMap m = fb.extract(img).get(0);
            assertEquals(FilterBankBackbone.GAIN_MEAN * 150 / 255.0, m.get(rgMean, 8, 0), 1e-3);
            assertEquals(-FilterBankBackbone.GAIN_MEAN * 150 / 255.0, m.get(rgMean, 8, 15), 1e-3);
            assertTrue(m.get(rgGrad, 8, 7) > 1.0f); // at the edge (cells 7 and 8 straddle x = 32)
            assertEquals(0f, m.get(rgGrad, 8, 0), 1e-3f);
            assertEquals(0f, m.get(channel("fb_s4", "grey.s2.dx"), 8, 7), 1e-3f);
        }
    }

    /** Nearest-neighbour feature distance of every cell of {@code test} to the cells of {@code ref}. */
    private static float[] nnDistances(FeatureMap test, FeatureMap ref) {
        int cells = test.width() * test.height();
        int c = test.channels();
        float[] out = new float[cells];
        for (int i = 0; i < cells; i++) {
            float best = Float.MAX_VALUE;
            for (int k = 0; k < cells; k++) {
                float d = 0;
                for (int ch = 0; ch < c; ch++) {
                    float diff = test.data()[ch * cells + i] - ref.data()[ch * cells + k];
                    d += diff * diff;
                }
                best = Math.min(best, d);
            }
            out[i] = (float) Math.sqrt(best);
        }
        return out;
    }

    /**
     * The point of the extractor: a thin scratch on a random texture must stand out against a
     * memory of normal texture far more than a fresh sample of the same texture does.
     */
    @Test
    public void scratchStandsOutFromPlainTexture() {
        FloatImage memory = texture(128, 10);
        FloatImage normal = texture(128, 11);
        FloatImage scratched = texture(128, 11);
        for (int x = 30; x < 100; x++) {
            int y = 64 + (x - 30) / 7;
            for (int c = 0; c < 3; c++) {
                scratched.set(x, y, c, 40);
            }
        }
        try (FilterBankBackbone fb = new FilterBankBackbone(Collections.singletonList("fb_s4"), 1)) {
            FeatureMap ref = fb.extract(memory).get(0);
            float[] normalD = nnDistances(fb.extract(normal).get(0), ref);
            float[] scratchD = nnDistances(fb.extract(scratched).get(0), ref);
            float normalMax = 0;
            for (float d : normalD) {
                normalMax = Math.max(normalMax, d);
            }
            float scratchMax = 0;
            int argmax = 0;
            for (int i = 0; i < scratchD.length; i++) {
                if (scratchD[i] > scratchMax) {
                    scratchMax = scratchD[i];
                    argmax = i;
                }
            }
            assertTrue("scratch " + scratchMax + " vs normal " + normalMax, scratchMax > 2 * normalMax);
            // and the most anomalous cell lies on the scratch (rows 16..18 of the stride-4 grid)
            int row = argmax / 32;
            int col = argmax % 32;
            assertTrue("row " + row, row >= 15 && row <= 19);
            assertTrue("col " + col, col >= 7 && col <= 25);
        }
    }
}
