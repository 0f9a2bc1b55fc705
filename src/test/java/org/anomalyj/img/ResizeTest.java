package org.anomalyj.img;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;

import org.junit.Test;

public class ResizeTest {

    @Test
    public void upscale2x2To4x4MatchesHandComputedBilinear() {
        // align_corners=false: source x of output column d is (d + 0.5) / 2 - 0.5 =
        // -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1): weights (1), (.75,.25), (.25,.75), (1).
        float[] src = {0, 4, 8, 12};
        float[] expected = {
            0, 1, 3, 4,
            2, 3, 5, 6,
            6, 7, 9, 10,
            8, 9, 11, 12};
        assertArrayEquals(expected, Resize.bilinear(src, 2, 2, 4, 4), 1e-6f);
    }

    @Test
    public void nonSquareUpscaleOneAxis() {
        // 3x1 -> 5x1: scale 0.6, x = 0.6d - 0.2 = -0.2, 0.4, 1.0, 1.6, 2.2 -> clamp to 0 / 2.
        float[] src = {10, 20, 40};
        float[] expected = {10, 14, 20, 32, 40};
        assertArrayEquals(expected, Resize.bilinear(src, 3, 1, 5, 1), 1e-5f);
    }

    @Test
    public void identityIsACopy() {
        float[] src = randomPlane(7 * 5, 1);
        float[] out = Resize.bilinear(src, 7, 5, 7, 5);
        assertArrayEquals(src, out, 0f);
        assertTrue(out != src);
    }

    @Test
    public void constantStaysConstant() {
        int[][] sizes = {{13, 9, 40, 27}, {100, 80, 7, 3}, {1250, 1000, 256, 256}, {1, 1, 5, 5}, {5, 1, 1, 1}, {256, 256, 999, 17}};
        for (int[] s : sizes) {
            float[] src = new float[s[0] * s[1]];
            java.util.Arrays.fill(src, 42.5f);
            for (float v : Resize.bilinear(src, s[0], s[1], s[2], s[3])) {
                assertEquals(42.5f, v, 1e-3f);
            }
        }
    }

    @Test
    public void halvingIsTheMeanOfPixelPairs() {
        // At exactly 2x bilinear samples between two pixels: the 2x2 block mean (= area averaging).
        float[] src = {1, 3, 5, 7, 9, 11, 13, 15};
        assertArrayEquals(new float[] {(1 + 3 + 9 + 11) / 4f, (5 + 7 + 13 + 15) / 4f}, Resize.bilinear(src, 4, 2, 2, 1), 1e-6f);
    }

    @Test
    public void largeDownscaleAveragesAreasInsteadOfAliasing() {
        // A 1-pixel stripe pattern (0,255,0,255...) shrunk 5x: bilinear would pick a few source
        // pixels and give stripes; area averaging gives the true mean of each 5-pixel block.
        int sw = 1250;
        float[] src = new float[sw];
        for (int x = 0; x < sw; x++) {
            src[x] = x % 2 == 0 ? 0 : 255;
        }
        float[] out = Resize.bilinear(src, sw, 1, 250, 1);
        for (int i = 0; i < 250; i++) {
            int ones = 0;
            for (int x = 5 * i; x < 5 * i + 5; x++) {
                ones += x % 2;
            }
            assertEquals(255f * ones / 5, out[i], 1e-3f);
        }
        // Non-integer factor (10 -> 4, 2.5x): output 0 covers pixels 0, 1 and half of 2.
        float[] ramp = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] r = Resize.bilinear(ramp, 10, 1, 4, 1);
        assertEquals((0 + 1 + 0.5f * 2) / 2.5f, r[0], 1e-5f);
        assertEquals((0.5f * 2 + 3 + 4) / 2.5f, r[1], 1e-5f);
        // Mean is preserved by area averaging.
        float sum = 0;
        for (float v : r) {
            sum += v;
        }
        assertEquals(4.5f, sum / 4, 1e-5f);
    }

    @Test
    public void floatImageResizesEveryChannel() {
        FloatImage img = new FloatImage(2, 2, 2, new float[] {0, 4, 8, 12, 100, 100, 100, 100});
        FloatImage out = Resize.bilinear(img, 4, 4);
        assertEquals(4, out.width());
        assertEquals(2, out.channels());
        assertEquals(3f, out.get(1, 1, 0), 1e-6f);
        assertEquals(11f, out.get(2, 3, 0), 1e-6f); // row 3, column 2
        assertEquals(100f, out.get(3, 2, 1), 1e-6f);
    }

    @Test
    public void nearestMaskIsCentreAligned() {
        boolean[] m = {true, false, false, true};
        boolean[] up = Resize.nearest(m, 2, 2, 4, 4);
        boolean[] expected = {
            true, true, false, false,
            true, true, false, false,
            false, false, true, true,
            false, false, true, true};
        assertArrayEquals(expected, up);
        // 3 -> 2: centres 0.75 and 2.25 -> source 0 and 2.
        assertArrayEquals(new boolean[] {true, false}, Resize.nearest(new boolean[] {true, true, false}, 3, 1, 2, 1));
        assertArrayEquals(m, Resize.nearest(m, 2, 2, 2, 2));
    }

    @Test
    public void bigPlaneIsFastEnough() {
        float[] src = randomPlane(256 * 256, 2);
        Resize.bilinear(src, 256, 256, 1024, 1024); // warm up
        long t0 = System.nanoTime();
        float[] up = Resize.bilinear(src, 256, 256, 4000, 3000);
        long t1 = System.nanoTime();
        float[] down = Resize.bilinear(up, 4000, 3000, 256, 256);
        long t2 = System.nanoTime();
        System.out.printf("Resize 256->4000x3000 %.0f ms, 4000x3000->256 %.0f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        assertEquals(4000 * 3000, up.length);
        assertEquals(256 * 256, down.length);
        assertTrue(t1 - t0 < 2_000_000_000L);
    }

    private static float[] randomPlane(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 255;
        }
        return a;
    }

    @Test
    public void rowByRowResizeGivesExactlyTheWholePlaneResult() {
        java.util.Random r = new java.util.Random(5);
        int[][] cases = {{64, 48, 500, 300}, {37, 29, 37, 29}, {300, 200, 64, 40}, {64, 64, 130, 70}};
        for (int[] c : cases) {
            float[] src = new float[c[0] * c[1]];
            for (int i = 0; i < src.length; i++) {
                src[i] = r.nextFloat();
            }
            float[] whole = Resize.bilinear(src, c[0], c[1], c[2], c[3]);
            RowSource rows = Resize.rows(src, c[0], c[1], c[2], c[3]);
            float[] row = new float[c[2]];
            for (int y = 0; y < c[3]; y++) {
                rows.row(y, row);
                for (int x = 0; x < c[2]; x++) {
                    org.junit.Assert.assertEquals(java.util.Arrays.toString(c) + " at " + x + "," + y,
                            whole[y * c[2] + x], row[x], 0f);
                }
            }
            // rows read out of order (the source keeps only the rows reading in order needs) are the same too
            for (int i = 0; i < 2 * c[3]; i++) {
                int y = i < c[3] ? c[3] - 1 - i : r.nextInt(c[3]);
                rows.row(y, row);
                for (int x = 0; x < c[2]; x++) {
                    org.junit.Assert.assertEquals(java.util.Arrays.toString(c) + " again at " + x + "," + y,
                            whole[y * c[2] + x], row[x], 0f);
                }
            }
        }
    }

    @Test
    public void pixelSourceResizeMatchesTheFloatImageResize() {
        java.util.Random r = new java.util.Random(9);
        FloatImage img = new FloatImage(300, 220, 3);
        for (int i = 0; i < img.data().length; i++) {
            img.data()[i] = r.nextInt(256);
        }
        PixelSource strips = new PixelSource() {
            public int width() { return img.width(); }
            public int height() { return img.height(); }
            public int channels() { return img.channels(); }
            public FloatImage region(int x, int y, int w, int h) { return img.region(x, y, w, h); }
        };
        FloatImage a = Resize.bilinear(img, 128, 96);
        FloatImage b = Resize.bilinear(strips, 128, 96);
        org.junit.Assert.assertArrayEquals(a.data(), b.data(), 0f);
        FloatImage padded = img.region(-2, 210, 5, 20);
        org.junit.Assert.assertEquals(0f, padded.get(0, 0, 0), 0f);
        org.junit.Assert.assertEquals(img.get(0, 210, 1), padded.get(2, 0, 1), 0f);
        org.junit.Assert.assertEquals(0f, padded.get(3, 15, 2), 0f);
    }
}
