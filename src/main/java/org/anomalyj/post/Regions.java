package org.anomalyj.post;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.anomalyj.img.RowSource;

/**
 * Connected components (8-connectivity) of the pixels with {@code map >= threshold}, reported as
 * {@link Region}s sorted by max score, highest first.
 *
 * <p>Streaming run-length labelling: rows are scanned once, each run of above-threshold pixels is
 * linked to the overlapping (incl. diagonal) runs of the previous row through union-find, and
 * statistics are accumulated per provisional label and merged at the end. Memory is two rows of
 * runs plus a few numbers per provisional label, with no label image, recursion or per-pixel
 * objects, so a 10000 x 10000 map costs no more than its own values.
 */
public final class Regions {

    private Regions() {
    }

    /** Regions of {@code map >= threshold} with at least {@code minArea} pixels, highest max score first. */
    public static List<Region> find(AnomalyMap map, float threshold, long minArea) {
        return find(map.values(), map.width(), map.height(), threshold, minArea);
    }

    /** As {@link #find(AnomalyMap, float, long)} for a row-major {@code w x h} plane. */
    public static List<Region> find(float[] values, int w, int h, float threshold, long minArea) {
        return find(RowSource.of(values, w, h), threshold, minArea);
    }

    /**
     * As {@link #find(AnomalyMap, float, long)} for a map read a row at a time (e.g. upsampled on
     * the fly), so the full-size map need not exist.
     */
    public static List<Region> find(RowSource rows, float threshold, long minArea) {
        int w = rows.width();
        int h = rows.height();
        float[] values = new float[w];
        Labels labels = new Labels();
        int maxRuns = w / 2 + 1;
        int[] prevStart = new int[maxRuns];
        int[] prevEnd = new int[maxRuns];
        int[] prevLabel = new int[maxRuns];
        int[] curStart = new int[maxRuns];
        int[] curEnd = new int[maxRuns];
        int[] curLabel = new int[maxRuns];
        int prevCount = 0;
        for (int y = 0; y < h; y++) {
            rows.row(y, values);
            int row = 0;
            int curCount = 0;
            int p = 0;
            int x = 0;
            while (x < w) {
                if (!(values[row + x] >= threshold)) {
                    x++;
                    continue;
                }
                int s = x;
                double sum = 0;
                float max = values[row + x];
                int peak = x;
                while (x < w && values[row + x] >= threshold) {
                    float v = values[row + x];
                    sum += v;
                    if (v > max) {
                        max = v;
                        peak = x;
                    }
                    x++;
                }
                int e = x; // exclusive
                // Previous-row runs touching [s-1, e] (8-connectivity): skip those ending left of s-1.
                while (p < prevCount && prevEnd[p] < s) {
                    p++;
                }
                int label = -1;
                for (int q = p; q < prevCount && prevStart[q] <= e; q++) {
                    label = label < 0 ? labels.find(prevLabel[q]) : labels.union(label, prevLabel[q]);
                }
                if (label < 0) {
                    label = labels.create();
                }
                labels.add(label, s, e - 1, y, e - s, sum, max, peak);
                curStart[curCount] = s;
                curEnd[curCount] = e;
                curLabel[curCount] = label;
                curCount++;
            }
            int[] t = prevStart;
            prevStart = curStart;
            curStart = t;
            t = prevEnd;
            prevEnd = curEnd;
            curEnd = t;
            t = prevLabel;
            prevLabel = curLabel;
            curLabel = t;
            prevCount = curCount;
        }
        return labels.regions(minArea);
    }

    /** Union-find over provisional labels with per-label statistics in parallel growable arrays. */
    private static final class Labels {
        int count;
        int[] parent = new int[64];
        int[] minX = new int[64];
        int[] maxX = new int[64];
        int[] minY = new int[64];
        int[] maxY = new int[64];
        long[] area = new long[64];
        double[] sum = new double[64];
        float[] max = new float[64];
        int[] peakX = new int[64];
        int[] peakY = new int[64];

        int create() {
            if (count == parent.length) {
                int n = count * 2;
                parent = Arrays.copyOf(parent, n);
                minX = Arrays.copyOf(minX, n);
                maxX = Arrays.copyOf(maxX, n);
                minY = Arrays.copyOf(minY, n);
                maxY = Arrays.copyOf(maxY, n);
                area = Arrays.copyOf(area, n);
                sum = Arrays.copyOf(sum, n);
                max = Arrays.copyOf(max, n);
                peakX = Arrays.copyOf(peakX, n);
                peakY = Arrays.copyOf(peakY, n);
            }
            int l = count++;
            parent[l] = l;
            minX[l] = Integer.MAX_VALUE;
            maxX[l] = -1;
            minY[l] = Integer.MAX_VALUE;
            maxY[l] = -1;
            max[l] = Float.NEGATIVE_INFINITY;
            return l;
        }

        int find(int l) {
            while (parent[l] != l) {
                parent[l] = parent[parent[l]]; // path halving
                l = parent[l];
            }
            return l;
        }

        /** Joins the sets of {@code a} and {@code b}; the smaller label becomes the root. */
        int union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra == rb) {
                return ra;
            }
            int root = Math.min(ra, rb);
            parent[Math.max(ra, rb)] = root;
            return root;
        }

        void add(int l, int x0, int x1, int y, long n, double s, float m, int px) {
            merge(l, x0, x1, y, y, n, s, m, px, y);
        }

        private void merge(int l, int x0, int x1, int y0, int y1, long n, double s, float m, int px, int py) {
            minX[l] = Math.min(minX[l], x0);
            maxX[l] = Math.max(maxX[l], x1);
            minY[l] = Math.min(minY[l], y0);
            maxY[l] = Math.max(maxY[l], y1);
            area[l] += n;
            sum[l] += s;
            // Ties go to the earlier pixel in row-major order, whatever the merge order.
            if (m > max[l] || (m == max[l] && (py < peakY[l] || (py == peakY[l] && px < peakX[l])))) {
                max[l] = m;
                peakX[l] = px;
                peakY[l] = py;
            }
        }

        List<Region> regions(long minArea) {
            for (int l = 0; l < count; l++) {
                int r = find(l);
                if (r != l && area[l] > 0) {
                    merge(r, minX[l], maxX[l], minY[l], maxY[l], area[l], sum[l], max[l], peakX[l], peakY[l]);
                    area[l] = 0;
                }
            }
            List<Region> out = new ArrayList<>();
            for (int l = 0; l < count; l++) {
                if (parent[l] == l && area[l] > 0 && area[l] >= minArea) {
                    out.add(new Region(minX[l], minY[l], maxX[l] - minX[l] + 1, maxY[l] - minY[l] + 1, area[l],
                            max[l], (float) (sum[l] / area[l]), peakX[l], peakY[l]));
                }
            }
            out.sort(Comparator.comparingDouble((Region g) -> -g.maxScore())
                    .thenComparingLong(g -> -g.area())
                    .thenComparingInt(Region::y)
                    .thenComparingInt(Region::x));
            return out;
        }
    }
}
