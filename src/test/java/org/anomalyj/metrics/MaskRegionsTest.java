package org.anomalyj.metrics;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class MaskRegionsTest {
    @Test
    public void diagonalNeighboursAreOneRegion() {
        // 1 . . .
        // . 1 . 1      the diagonal pair (0,0)-(1,1) is one region under 8-connectivity,
        // . . . 1      the right column pixels form a second one, the bottom-left pixel a third.
        // 1 . . .
        boolean[] mask = {
            true, false, false, false,
            false, true, false, true,
            false, false, false, true,
            true, false, false, false,
        };
        MaskRegions regions = MaskRegions.of(mask, 4, 4);
        assertEquals(3, regions.count());
        assertEquals(2, regions.size(1));
        assertEquals(2, regions.size(2));
        assertEquals(1, regions.size(3));
        assertArrayEquals(new int[] {
            1, 0, 0, 0,
            0, 1, 0, 2,
            0, 0, 0, 2,
            3, 0, 0, 0,
        }, regions.labels());
    }

    @Test
    public void emptyAndFullMasks() {
        assertEquals(0, MaskRegions.of(new boolean[6], 3, 2).count());
        boolean[] full = new boolean[12];
        java.util.Arrays.fill(full, true);
        MaskRegions one = MaskRegions.of(full, 4, 3);
        assertEquals(1, one.count());
        assertEquals(12, one.size(1));
    }

    @Test
    public void regionsDoNotWrapAroundRowEnds() {
        // Pixel (2,0) and (0,1) are consecutive in memory but not neighbours.
        boolean[] mask = {false, false, true, true, false, false};
        assertEquals(2, MaskRegions.of(mask, 3, 2).count());
    }
}
