package org.anomalyj.tiling;

import static org.junit.Assert.assertEquals;

import java.util.Random;
import org.anomalyj.post.GaussianBlur;
import org.junit.Test;

public class SeamSmootherTest {

    @Test
    public void onlyTheBandsChangeAndTheyTakeTheFullBlurValue() {
        TileGrid g = new TileGrid(96, 64, 32, 32); // seams at x = 32, 64 and y = 32
        int w = 96;
        int h = 64;
        float[] map = new float[w * h];
        Random r = new Random(3);
        for (int i = 0; i < map.length; i++) {
            map[i] = r.nextFloat();
        }
        float[] original = map.clone();
        float[] fullBlur = GaussianBlur.blur(original, w, h, 2.0);
        int band = 3;
        SeamSmoother.smooth(map, g, band, 2.0);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean nearX = Math.abs(x - 32 + 0.5) < band || Math.abs(x - 64 + 0.5) < band;
                boolean nearY = Math.abs(y - 32 + 0.5) < band;
                int i = y * w + x;
                if (!nearX && !nearY) {
                    assertEquals("outside bands at " + x + "," + y, original[i], map[i], 0f);
                } else {
                    assertEquals("band at " + x + "," + y, fullBlur[i], map[i], 1e-5);
                }
            }
        }
    }

    @Test
    public void zeroBandLeavesTheMapAlone() {
        TileGrid g = new TileGrid(64, 64, 32, 16);
        float[] map = new float[64 * 64];
        map[100] = 5;
        float[] before = map.clone();
        SeamSmoother.smooth(map, g, 0, 4.0);
        assertEquals(before[100], map[100], 0f);
    }
}
