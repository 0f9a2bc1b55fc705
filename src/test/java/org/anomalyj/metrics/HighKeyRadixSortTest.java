package org.anomalyj.metrics;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.Test;

public class HighKeyRadixSortTest {
    @Test
    public void sortsByHighIntAcrossSignsAndKeepsEveryValue() {
        Random random = new Random(3);
        int n = 200_000; // above the small-array cut-off, so the radix passes run
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            // Mix of full-range keys (negative too) and a narrow band that shares the top digits.
            int key = i % 2 == 0 ? random.nextInt() : 1_000_000 + random.nextInt(5000);
            values[i] = ((long) key << 32) | (random.nextInt() & 0xffffffffL);
        }
        long[] expected = values.clone();
        Arrays.sort(expected);
        long[] sorted = HighKeyRadixSort.sort(values);
        for (int i = 1; i < n; i++) {
            assertEquals(true, (int) (sorted[i - 1] >> 32) <= (int) (sorted[i] >> 32));
        }
        long[] asMultiset = sorted.clone();
        Arrays.sort(asMultiset);
        assertArrayEquals(expected, asMultiset);
    }

    @Test
    public void narrowKeysSkipPassesAndStillSort() {
        int n = 100_000;
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = ((long) (7 + (n - i) % 3) << 32) | i; // only the lowest digit varies
        }
        long[] sorted = HighKeyRadixSort.sort(values);
        for (int i = 1; i < n; i++) {
            assertEquals(true, (sorted[i - 1] >> 32) <= (sorted[i] >> 32));
        }
    }
}
