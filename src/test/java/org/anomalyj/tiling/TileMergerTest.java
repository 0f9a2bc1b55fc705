package org.anomalyj.tiling;

import static org.junit.Assert.assertEquals;

import java.util.Arrays;
import org.junit.Test;

public class TileMergerTest {

    @Test
    public void overlappingTilesAreAveragedAndPaddingIsDropped() {
        // 48 x 32 image, 32-pixel tiles with stride 16: 3 x 1 tiles; tile i holds the constant i + 1.
        TileGrid g = new TileGrid(48, 32, 32, 16);
        assertEquals(2, g.count());
        TileMerger m = new TileMerger(g);
        for (int i = 0; i < g.count(); i++) {
            float[] t = new float[32 * 32];
            Arrays.fill(t, i + 1);
            m.add(i, t);
        }
        float[] merged = m.average();
        assertEquals(1f, merged[5 * 48 + 3], 1e-6);      // only tile 0
        assertEquals(1.5f, merged[5 * 48 + 20], 1e-6);   // tiles 0 and 1
        assertEquals(2f, merged[5 * 48 + 40], 1e-6);     // only tile 1
    }

    @Test
    public void edgeTilePaddingNeverReachesTheMap() {
        TileGrid g = new TileGrid(40, 40, 32, 32);
        assertEquals(4, g.count());
        TileMerger m = new TileMerger(g);
        for (int i = 0; i < 4; i++) {
            float[] t = new float[32 * 32];
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    t[y * 32 + x] = (g.x(i) + x) * 1000 + g.y(i) + y; // encodes the image position
                }
            }
            m.add(i, t);
        }
        float[] merged = m.average();
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                assertEquals(x * 1000 + y, merged[y * 40 + x], 1e-3);
            }
        }
    }
}
