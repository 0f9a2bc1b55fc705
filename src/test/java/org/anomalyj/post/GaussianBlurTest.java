package org.anomalyj.post;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.anomalyj.img.Borders;
import org.junit.Test;

public class GaussianBlurTest {

    @Test
    public void radiusFollowsAnomalib() {
        // anomalib: kernel_size = 2 * int(4 * sigma + 0.5) + 1
        assertEquals(16, GaussianBlur.radius(4));
        assertEquals(33, GaussianBlur.kernel(4).length);
        assertEquals(4, GaussianBlur.radius(1.1));
        assertEquals(2, GaussianBlur.radius(0.5));
    }

    @Test
    public void constantStaysConstantAtAnySize() {
        int[][] sizes = {{64, 48}, {3, 2}, {1, 1}, {1, 40}, {40, 1}, {17, 33}};
        for (int[] s : sizes) {
            float[] src = new float[s[0] * s[1]];
            Arrays.fill(src, 3.25f);
            for (float v : GaussianBlur.blur(src, s[0], s[1], 4)) {
                assertEquals(3.25f, v, 1e-5f);
            }
        }
    }

    @Test
    public void impulseResponseIsTheOuterProductOfANormalisedGaussian() {
        int n = 101;
        int c = 50;
        double sigma = 4;
        float[] src = new float[n * n];
        src[c * n + c] = 1;
        float[] out = GaussianBlur.blur(src, n, n, sigma);
        // Independent 1-D reference: exp(-x^2 / 2 sigma^2) over |x| <= 16, normalised.
        double[] g = new double[33];
        double sum = 0;
        for (int i = -16; i <= 16; i++) {
            g[i + 16] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += g[i + 16];
        }
        double total = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int dx = x - c;
                int dy = y - c;
                double expected = Math.abs(dx) <= 16 && Math.abs(dy) <= 16 ? g[dx + 16] / sum * g[dy + 16] / sum : 0;
                assertEquals("at " + x + "," + y, expected, out[y * n + x], 1e-7);
                assertEquals("symmetry", out[y * n + x], out[x * n + y], 1e-9f);
                total += out[y * n + x];
            }
        }
        assertEquals("sum preserved away from borders", 1.0, total, 1e-5);
    }

    @Test
    public void bordersUseReflectPaddingWithoutRepeatingTheEdge() {
        // Row [0, 0, 1], sigma 0.5 -> radius 2, k = [e^-8, e^-2, 1, e^-2, e^-8] / s.
        // Reflect: x=0 sees (c b a b c), x=1 sees (b a b c b), x=2 sees (a b c b a).
        double e8 = Math.exp(-8);
        double e2 = Math.exp(-2);
        double s = 1 + 2 * e2 + 2 * e8;
        float[] out = GaussianBlur.blur(new float[] {0, 0, 1}, 3, 1, 0.5);
        assertArrayEquals(new float[] {(float) (2 * e8 / s), (float) (e2 / s), (float) (1 / s)}, out, 1e-7f);
        // Same along the vertical axis.
        float[] col = GaussianBlur.blur(new float[] {0, 0, 1}, 1, 3, 0.5);
        assertArrayEquals(out, col, 1e-7f);
    }

    @Test
    public void reflectIndexRepeatsForTinySizes() {
        // n = 3 has period 4: ... 2 1 | 0 1 2 | 1 0 1 2 ...
        int[] expected = {0, 1, 2, 1, 0, 1, 2, 1, 0};
        for (int i = -4; i <= 4; i++) {
            assertEquals("i=" + i, expected[i + 4], Borders.reflect101(i, 3));
        }
        assertEquals(1, Borders.reflect101(-1, 3));
        assertEquals(2, Borders.reflect101(-2, 3));
        assertEquals(1, Borders.reflect101(3, 3));
        assertEquals(0, Borders.reflect101(4, 3));
        assertEquals(1, Borders.reflect101(5, 3));
        assertEquals(0, Borders.reflect101(7, 1));
        assertEquals(1, Borders.reflect101(-5, 2));
    }

    @Test
    public void fast256MapAtSigma4() {
        float[] map = new float[256 * 256];
        Random r = new Random(1);
        for (int i = 0; i < map.length; i++) {
            map[i] = r.nextFloat();
        }
        for (int i = 0; i < 50; i++) {
            GaussianBlur.blur(map, 256, 256, 4); // warm up the JIT
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            GaussianBlur.blur(map, 256, 256, 4);
            best = Math.min(best, System.nanoTime() - t0);
        }
        float[] big = new float[4000 * 4000];
        long t0 = System.nanoTime();
        GaussianBlur.blur(big, 4000, 4000, 4);
        long bigTime = System.nanoTime() - t0;
        System.out.printf("GaussianBlur 256x256 sigma 4: best %.2f ms; 4000x4000: %.0f ms%n", best / 1e6, bigTime / 1e6);
        assertTrue("256x256 blur took " + best / 1e6 + " ms", best < 5_000_000L);
    }
}
