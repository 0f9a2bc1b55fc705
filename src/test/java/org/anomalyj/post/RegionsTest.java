package org.anomalyj.post;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.Test;

public class RegionsTest {

    /** '.' is 0, digits are their value; rows must have equal length. */
    private static AnomalyMap map(String... rows) {
        int w = rows[0].length();
        float[] v = new float[w * rows.length];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < w; x++) {
                char c = rows[y].charAt(x);
                v[y * w + x] = c == '.' ? 0 : c - '0';
            }
        }
        return new AnomalyMap(w, rows.length, v);
    }

    private static void assertRegion(Region r, int x, int y, int w, int h, long area, float max, float mean) {
        assertEquals(r.toString(), x, r.x());
        assertEquals(r.toString(), y, r.y());
        assertEquals(r.toString(), w, r.width());
        assertEquals(r.toString(), h, r.height());
        assertEquals(r.toString(), area, r.area());
        assertEquals(r.toString(), max, r.maxScore(), 0f);
        assertEquals(r.toString(), mean, r.meanScore(), 1e-6f);
    }

    @Test
    public void diagonalNeighboursAreConnected() {
        List<Region> rs = Regions.find(map(
                "1..2.",
                ".1..3",
                "..1..",
                "....."), 1, 1);
        assertEquals(2, rs.size());
        assertRegion(rs.get(0), 3, 0, 2, 2, 2, 3, 2.5f);
        assertRegion(rs.get(1), 0, 0, 3, 3, 3, 1, 1);
        assertEquals(4, rs.get(0).peakX());
        assertEquals(1, rs.get(0).peakY());
    }

    @Test
    public void uShapeJoinedOnlyAtTheBottomIsOneRegion() {
        // The two arms get different provisional labels and meet in the last row.
        List<Region> rs = Regions.find(map(
                "1.2",
                "1.2",
                "1.2",
                "141"), 1, 1);
        assertEquals(1, rs.size());
        assertRegion(rs.get(0), 0, 0, 3, 4, 9, 4, 15 / 9f);
        assertEquals(1, rs.get(0).peakX());
        assertEquals(3, rs.get(0).peakY());
    }

    @Test
    public void holesAndIslandsAreSeparateAndMinAreaFilters() {
        AnomalyMap m = map(
                "11111",
                "1...1",
                "1.9.1",
                "1...1",
                "11111");
        List<Region> rs = Regions.find(m, 1, 1);
        assertEquals(2, rs.size());
        assertRegion(rs.get(0), 2, 2, 1, 1, 1, 9, 9);   // island first: higher max
        assertRegion(rs.get(1), 0, 0, 5, 5, 16, 1, 1); // ring with its hole
        List<Region> big = Regions.find(m, 1, 2);
        assertEquals(1, big.size());
        assertEquals(16, big.get(0).area());
        assertEquals(0, Regions.find(m, 10, 1).size());
        // Threshold is inclusive.
        assertEquals(1, Regions.find(m, 9, 1).size());
    }

    @Test
    public void zigzagAndSpiralMergeThroughManyProvisionalLabels() {
        List<Region> rs = Regions.find(map(
                "1.1.1.1",
                ".1.1.1.",
                "1111111",
                ".......",
                "5.5.5.5"), 1, 1);
        assertEquals(5, rs.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(1, rs.get(i).area());
            assertEquals(5f, rs.get(i).maxScore(), 0f);
        }
        // Equal max: ordered by area, then top-left.
        assertEquals(0, rs.get(0).x());
        assertEquals(6, rs.get(3).x());
        assertRegion(rs.get(4), 0, 0, 7, 3, 14, 1, 1);
    }

    @Test
    public void matchesAFloodFillReferenceOnRandomMaps() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int w = 1 + rnd.nextInt(40);
            int h = 1 + rnd.nextInt(30);
            float density = rnd.nextFloat();
            float[] v = new float[w * h];
            for (int i = 0; i < v.length; i++) {
                v[i] = rnd.nextFloat() < density ? 0.5f + rnd.nextFloat() : rnd.nextFloat() * 0.5f;
            }
            List<Region> got = Regions.find(v, w, h, 0.5f, 1);
            List<Region> want = floodFill(v, w, h, 0.5f);
            assertEquals(want.size(), got.size());
            Comparator<Region> byPos = Comparator.comparingInt(Region::y).thenComparingInt(Region::x)
                    .thenComparingLong(Region::area).thenComparingInt(Region::width);
            got.sort(byPos);
            want.sort(byPos);
            for (int i = 0; i < got.size(); i++) {
                Region a = got.get(i);
                Region b = want.get(i);
                assertRegion(a, b.x(), b.y(), b.width(), b.height(), b.area(), b.maxScore(), b.meanScore());
                assertEquals(b.peakX(), a.peakX());
                assertEquals(b.peakY(), a.peakY());
            }
        }
    }

    @Test
    public void hugeMapNeedsNoLabelImage() {
        int n = 10_000;
        float[] v = new float[n * n];
        // A 100x100 block in the middle and a 1-pixel diagonal line across the whole map.
        for (int y = 5000; y < 5100; y++) {
            for (int x = 5000; x < 5100; x++) {
                v[y * n + x] = 2;
            }
        }
        for (int i = 0; i < n; i++) {
            v[i * n + i] = Math.max(v[i * n + i], 1);
        }
        long t0 = System.nanoTime();
        List<Region> rs = Regions.find(v, n, n, 0.5f, 1);
        System.out.printf("Regions 10000x10000: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        assertEquals(1, rs.size()); // the diagonal passes through the block
        assertRegion(rs.get(0), 0, 0, n, n, n - 100 + 100 * 100, 2, (float) ((n - 100) * 1.0 + 100 * 100 * 2.0) / (n - 100 + 100 * 100));
        assertTrue(rs.get(0).peakX() == 5000 && rs.get(0).peakY() == 5000);
    }

    /** Plain BFS reference with a visited array (fine for small maps). */
    private static List<Region> floodFill(float[] v, int w, int h, float t) {
        boolean[] seen = new boolean[v.length];
        List<Region> out = new ArrayList<>();
        ArrayDeque<Integer> q = new ArrayDeque<>();
        for (int s = 0; s < v.length; s++) {
            if (seen[s] || !(v[s] >= t)) {
                continue;
            }
            seen[s] = true;
            q.add(s);
            int x0 = w, y0 = h, x1 = -1, y1 = -1;
            long area = 0;
            double sum = 0;
            float max = -1;
            int peak = -1;
            while (!q.isEmpty()) {
                int p = q.poll();
                int px = p % w;
                int py = p / w;
                x0 = Math.min(x0, px);
                x1 = Math.max(x1, px);
                y0 = Math.min(y0, py);
                y1 = Math.max(y1, py);
                area++;
                sum += v[p];
                if (v[p] > max || (v[p] == max && p < peak)) {
                    max = v[p];
                    peak = p;
                }
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        int ny = py + dy;
                        if (nx >= 0 && ny >= 0 && nx < w && ny < h && !seen[ny * w + nx] && v[ny * w + nx] >= t) {
                            seen[ny * w + nx] = true;
                            q.add(ny * w + nx);
                        }
                    }
                }
            }
            out.add(new Region(x0, y0, x1 - x0 + 1, y1 - y0 + 1, area, max, (float) (sum / area), peak % w, peak / w));
        }
        return out;
    }
}
