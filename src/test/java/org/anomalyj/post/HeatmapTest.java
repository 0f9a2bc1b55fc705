package org.anomalyj.post;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;

import org.anomalyj.img.FloatImage;
import org.junit.Test;

public class HeatmapTest {

    @Test
    public void colourMapHitsControlPointsAndInterpolates() {
        assertEquals(0x000004, Heatmap.rgb(0f));
        assertEquals(0xbb3755, Heatmap.rgb(0.5f));
        assertEquals(0xfcffa4, Heatmap.rgb(1f));
        // Halfway between 0x000004 and 0x0b0724: (5.5 -> 6, 3.5 -> 4, 20).
        assertEquals(6 << 16 | 4 << 8 | 20, Heatmap.rgb(1 / 32f));
        assertEquals(Heatmap.rgb(0f), Heatmap.rgb(-3f));
        assertEquals(Heatmap.rgb(0f), Heatmap.rgb(Float.NaN));
        assertEquals(Heatmap.rgb(1f), Heatmap.rgb(7f));
    }

    @Test
    public void lightnessIncreasesMonotonically() {
        double prev = -1;
        for (int i = 0; i <= 1000; i++) {
            int c = Heatmap.rgb(i / 1000f);
            double luma = 0.299 * (c >> 16 & 0xff) + 0.587 * (c >> 8 & 0xff) + 0.114 * (c & 0xff);
            assertTrue("at " + i, luma >= prev - 0.5);
            prev = luma;
        }
    }

    @Test
    public void overlayBlendsGreyAndColourBases() {
        FloatImage grey = new FloatImage(2, 1, 1, new float[] {100, 300});
        AnomalyMap m = new AnomalyMap(2, 1, new float[] {0f, 1f});
        BufferedImage o = Heatmap.overlay(grey, m);
        // pixel 0: 0.6 * 100 + 0.4 * (0, 0, 4) = (60, 60, 61.6 -> 62)
        assertEquals(60 << 16 | 60 << 8 | 62, o.getRGB(0, 0) & 0xffffff);
        // pixel 1: base clamped to 255; heat 0xfcffa4 = (252, 255, 164): 153 + (100.8, 102, 65.6)
        assertEquals(254 << 16 | 255 << 8 | 219, o.getRGB(1, 0) & 0xffffff);

        FloatImage rgb = new FloatImage(1, 1, 3, new float[] {200, 100, 0});
        BufferedImage full = Heatmap.overlay(rgb, new AnomalyMap(1, 1, new float[] {0.5f}), 1f);
        assertEquals(0xbb3755, full.getRGB(0, 0) & 0xffffff);
        BufferedImage none = Heatmap.overlay(rgb, new AnomalyMap(1, 1, new float[] {0.5f}), 0f);
        assertEquals(200 << 16 | 100 << 8, none.getRGB(0, 0) & 0xffffff);
    }

    /** The overlay's colour table stays within one level of blending rgb(v) itself, for any value. */
    @Test
    public void overlayColoursAreWithinOneLevelOfTheColourMap() {
        java.util.Random r = new java.util.Random(3);
        int n = 5000;
        float[] base = new float[n];
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            base[i] = 255 * r.nextFloat();
            values[i] = r.nextFloat();
        }
        BufferedImage o = Heatmap.overlay(new FloatImage(n, 1, 1, base), new AnomalyMap(n, 1, values), 0.4f);
        for (int i = 0; i < n; i++) {
            int heat = Heatmap.rgb(values[i]);
            int got = o.getRGB(i, 0);
            for (int shift : new int[] {0, 8, 16}) {
                double exact = 0.6 * base[i] + 0.4 * (heat >> shift & 0xff);
                assertEquals("value " + values[i] + " channel " + shift, exact, got >> shift & 0xff, 1.0);
            }
        }
    }

    @Test
    public void largeOverlaysBlendedInBandsEqualRowByRowOverlays() {
        // 60,000 pixels are blended in parallel bands; a 300-pixel row in one loop
        int w = 300;
        int h = 200;
        java.util.Random r = new java.util.Random(5);
        float[] base = new float[3 * w * h];
        float[] values = new float[w * h];
        for (int i = 0; i < base.length; i++) {
            base[i] = 260 * r.nextFloat() - 2;
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = 1.2f * r.nextFloat() - 0.1f;
        }
        values[7] = Float.NaN;
        BufferedImage whole = Heatmap.overlay(new FloatImage(w, h, 3, base), new AnomalyMap(w, h, values), 0.4f);
        for (int y = 0; y < h; y++) {
            float[] rowBase = new float[3 * w];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(base, c * w * h + y * w, rowBase, c * w, w);
            }
            BufferedImage row = Heatmap.overlay(new FloatImage(w, 1, 3, rowBase),
                    new AnomalyMap(w, 1, java.util.Arrays.copyOfRange(values, y * w, (y + 1) * w)), 0.4f);
            for (int x = 0; x < w; x++) {
                assertEquals(x + "," + y, row.getRGB(x, 0), whole.getRGB(x, y));
            }
        }
    }

    @Test(expected = IllegalArgumentException.class)
    public void overlayRefusesMismatchedSizes() {
        Heatmap.overlay(new FloatImage(2, 2, 1), new AnomalyMap(1, 1, new float[1]));
    }

    @Test
    public void maskAndColourisedImages() {
        AnomalyMap m = new AnomalyMap(3, 1, new float[] {0.2f, 0.5f, 0.7f});
        BufferedImage mask = Heatmap.maskImage(m, 0.5f);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, mask.getType());
        assertEquals(0, mask.getRaster().getSample(0, 0, 0));
        assertEquals(255, mask.getRaster().getSample(1, 0, 0));
        assertEquals(255, mask.getRaster().getSample(2, 0, 0));
        BufferedImage c = Heatmap.colourised(m);
        for (int x = 0; x < 3; x++) {
            assertEquals(Heatmap.rgb(m.get(x, 0)), c.getRGB(x, 0) & 0xffffff);
        }
    }
}
