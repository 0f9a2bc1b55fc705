package org.anomalyj.tiling;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.anomalyj.AnomalyJException;
import org.junit.Test;

public class TileGridTest {

    @Test
    public void nineOverlappingTilesOnA512Image() {
        TileGrid g = new TileGrid(512, 512, 256, 128);
        assertEquals(3, g.columns());
        assertEquals(3, g.rows());
        assertEquals(9, g.count());
        assertEquals(256, g.x(2));
        assertEquals(128, g.y(3));
        assertEquals(512, g.paddedWidth());
        assertArrayEquals(new int[] {128, 256, 384}, g.seams(true));
        int[] cover = g.coverage(true);
        assertEquals(1, cover[0]);
        assertEquals(2, cover[128]);
        assertEquals(2, cover[300]);
        assertEquals(1, cover[511]);
    }

    @Test
    public void fourTilesWithoutOverlapHaveOneSeamPerAxis() {
        TileGrid g = new TileGrid(512, 512, 256, 256);
        assertEquals(4, g.count());
        assertArrayEquals(new int[] {256}, g.seams(false));
        for (int c : g.coverage(false)) {
            assertEquals(1, c);
        }
    }

    @Test
    public void tilesThatDoNotFitArePaddedPastTheImage() {
        TileGrid g = new TileGrid(600, 300, 256, 256);
        assertEquals(3, g.columns());
        assertEquals(2, g.rows());
        assertEquals(768, g.paddedWidth());
        assertEquals(512, g.paddedHeight());
        // the last column starts inside the image and reaches past it
        assertTrue(g.x(2) < 600 && g.x(2) + 256 > 600);
        assertArrayEquals(new int[] {256, 512}, g.seams(true));
        for (int c : g.coverage(true)) {
            assertEquals(1, c);
        }
    }

    @Test
    public void badGeometryIsAUserError() {
        expectError(() -> new TileGrid(200, 512, 256, 128), "larger than");
        expectError(() -> new TileGrid(512, 512, 256, 0), "stride");
        expectError(() -> new TileGrid(512, 512, 256, 300), "stride");
    }

    static void expectError(Runnable r, String fragment) {
        try {
            r.run();
            fail("expected an error mentioning " + fragment);
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(fragment));
        }
    }
}
