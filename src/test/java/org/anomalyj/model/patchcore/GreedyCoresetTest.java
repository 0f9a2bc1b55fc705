package org.anomalyj.model.patchcore;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.anomalyj.Progress;
import org.junit.Test;

public class GreedyCoresetTest {

    /** anomalib's KCenterGreedy loop, written plainly: every point against every new center. */
    static int[] naive(float[] x, int n, int d, int size, int start) {
        float[] min = new float[n];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        int[] out = new int[size];
        int center = start;
        for (int t = 0; t < size; t++) {
            for (int i = 0; i < n; i++) {
                float s = 0f;
                for (int k = 0; k < d; k++) {
                    float diff = x[i * d + k] - x[center * d + k];
                    s += diff * diff;
                }
                min[i] = Math.min(min[i], s);
            }
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (min[i] > min[best]) {
                    best = i;
                }
            }
            out[t] = best;
            min[best] = 0f;
            center = best;
        }
        return out;
    }

    @Test
    public void selectsExactlyTheNaiveIndices() {
        Random r = new Random(5);
        // clustered data (where pruning works) and plain Gaussian data (where it hardly does), in
        // 16 dims and in 70 (several early-exit blocks of the partial distance search, one partial)
        for (int variant = 0; variant < 4; variant++) {
            int n = 3000;
            int d = variant < 2 ? 16 : 70;
            float[] x = new float[n * d];
            for (int i = 0; i < n; i++) {
                int cluster = variant % 2 == 0 ? r.nextInt(20) : 0;
                for (int k = 0; k < d; k++) {
                    x[i * d + k] = (float) ((variant % 2 == 0 ? 5 * Math.sin(cluster * 7 + k) : 0) + r.nextGaussian());
                }
            }
            // the clustered variants take the principal-axis bound, the plain Gaussian one in 70
            // dims does not (in 16 dims the 16 axes hold all the variance)
            assertEquals(variant != 3,
                    PrincipalAxes.of(x, n, d, Math.min(GreedyCoreset.BOUND_DIMS, d), 65536).capturedVariance()
                            >= GreedyCoreset.MIN_CAPTURED_VARIANCE);
            int size = 300;
            int start = r.nextInt(n);
            assertArrayEquals(naive(x, n, d, size, start), GreedyCoreset.select(x, n, d, size, start, Progress.NONE));
        }
    }

    @Test
    public void splitsBigClustersBetweenThreadsWithoutChangingTheSelection() {
        // more points than one scan task takes and than the parallel threshold: the first clusters
        // are scanned in several chunks by both threads
        Random r = new Random(11);
        int n = 40000;
        int d = 24;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int cluster = r.nextInt(6);
            for (int k = 0; k < d; k++) {
                x[i * d + k] = (float) (3 * Math.cos(cluster * 5 + k) + r.nextGaussian());
            }
        }
        assertArrayEquals(naive(x, n, d, 60, 123), GreedyCoreset.select(x, n, d, 60, 123, Progress.NONE));
    }

    @Test
    public void keepsTiesAndEmptiedClustersOnAnIntegerGrid() {
        // few distinct coordinates: many equal distances (ties go to the lowest index) and
        // clusters whose members all move to a later center
        Random r = new Random(12);
        int n = 4000;
        int d = 20;
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(3);
        }
        assertArrayEquals(naive(x, n, d, 400, 5), GreedyCoreset.select(x, n, d, 400, 5, Progress.NONE));
    }

    @Test
    public void boundsStaySafeWhenTheSpreadIsTinyNextToTheOffsets() {
        // far-apart, very tight groups: the rounding of the principal coordinates (relative to the
        // largest one) is no longer small next to the distances inside a group
        Random r = new Random(13);
        int n = 3000;
        int d = 32;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int group = r.nextInt(4);
            for (int k = 0; k < d; k++) {
                x[i * d + k] = (float) (1000 * (group == k % 4 ? 1 : 0) + 0.01 * r.nextGaussian());
            }
        }
        assertArrayEquals(naive(x, n, d, 200, 17), GreedyCoreset.select(x, n, d, 200, 17, Progress.NONE));
    }

    @Test
    public void handlesDuplicatePointsLikeTheNaiveLoop() {
        int n = 50;
        int d = 3;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            x[i * d] = i % 5; // only five distinct points
        }
        assertArrayEquals(naive(x, n, d, 8, 7), GreedyCoreset.select(x, n, d, 8, 7, Progress.NONE));
    }

    @Test
    public void coresetSizeRoundsAndIsAtLeastOne() {
        assertEquals(1, GreedyCoreset.coresetSize(10, 0.01));
        assertEquals(8, GreedyCoreset.coresetSize(819, 0.01));
        assertEquals(8192, GreedyCoreset.coresetSize(819200, 0.01));
    }

    @Test
    public void projectionMatchesDirectProduct() {
        Random r = new Random(9);
        int dimIn = 13;
        int dimOut = 6;
        List<float[]> chunks = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            float[] x = new float[(5 + c) * dimIn];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            chunks.add(x);
        }
        float[][] m = GreedyCoreset.projectionMatrix(dimIn, dimOut, new Random(1));
        float[] p = GreedyCoreset.project(chunks, dimIn, m, dimOut);
        int row = 0;
        for (float[] x : chunks) {
            for (int i = 0; i < x.length / dimIn; i++, row++) {
                for (int j = 0; j < dimOut; j++) {
                    double s = 0;
                    for (int k = 0; k < dimIn; k++) {
                        s += x[i * dimIn + k] * m[k][j];
                    }
                    assertEquals(s, p[row * dimOut + j], 1e-4);
                }
            }
        }
        assertEquals(row * dimOut, p.length);
    }
}
