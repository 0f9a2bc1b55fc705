package org.anomalyj.post;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.Random;
import org.anomalyj.img.Resize;
import org.junit.Test;

public class UpsampleBlurTest {
    /** The two passes the operator replaces: upsample, then blur. */
    private static float[] twoPasses(float[] grid, int sw, int sh, int dw, int dh, double sigma) {
        float[] up = Resize.bilinear(grid, sw, sh, dw, dh);
        return sigma > 0 ? GaussianBlur.blur(up, dw, dh, sigma) : up;
    }

    private static void assertSameMap(int sw, int sh, int dw, int dh, double sigma, long seed) {
        Random r = new Random(seed);
        float[] grid = new float[sw * sh];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = r.nextFloat() * 10 - 2;
        }
        float[] expected = twoPasses(grid, sw, sh, dw, dh, sigma);
        float[] actual = UpsampleBlur.of(sw, sh, dw, dh, sigma).apply(grid);
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(sw + "x" + sh + " -> " + dw + "x" + dh + " sigma " + sigma + " at " + i,
                    expected[i], actual[i], 2e-6 * scale);
        }
    }

    @Test
    public void equalsUpsamplingThenBlurAtTheDefaultSizes() {
        assertSameMap(32, 32, 256, 256, 4, 1); // ResNet stride 8 at 256 px
        assertSameMap(16, 16, 256, 256, 4, 2);
        assertSameMap(64, 64, 256, 256, 4, 3);
    }

    @Test
    public void equalsUpsamplingThenBlurForOddShapesAndKernelsWiderThanTheMap() {
        assertSameMap(7, 5, 64, 48, 2, 4);
        assertSameMap(3, 9, 20, 70, 6, 5); // the kernel (radius 24) is wider than the 20-pixel axis
        assertSameMap(1, 1, 8, 8, 1, 6);
        assertSameMap(2, 3, 2, 3, 1.5, 7); // no upsampling: the blur alone
        assertSameMap(10, 12, 40, 30, 0, 8); // no blur: the upsampling alone
        assertSameMap(40, 40, 10, 10, 1, 9); // shrinking (area averaging) then blur
    }

    @Test
    public void keepsAConstantGridConstant() {
        float[] grid = new float[32 * 32];
        java.util.Arrays.fill(grid, 3.5f);
        for (float v : UpsampleBlur.of(32, 32, 256, 256, 4).apply(grid)) {
            assertEquals(3.5f, v, 3.5e-6f);
        }
    }

    @Test
    public void rejectsAGridOfTheWrongSize() {
        UpsampleBlur op = UpsampleBlur.of(4, 4, 16, 16, 1);
        assertThrows(IllegalArgumentException.class, () -> op.apply(new float[15]));
        assertThrows(IllegalArgumentException.class, () -> UpsampleBlur.of(0, 4, 16, 16, 1));
    }
}
