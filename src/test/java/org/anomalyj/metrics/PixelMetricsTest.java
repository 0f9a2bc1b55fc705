package org.anomalyj.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

public class PixelMetricsTest {
    /*
     * The 4x4 example. Mask (A, B = defect regions, . = normal):
     *
     *   A . . .      scores  0.9 0.1 0.1 0.1
     *   . A . .              0.1 0.5 0.1 0.7
     *   . . . B              0.1 0.1 0.5 0.8
     *   . . . B              0.1 0.1 0.1 0.2
     *
     * A = {(0,0), (1,1)} is one 8-connected region of 2 pixels, B = {(3,2), (3,3)} has 2 pixels;
     * 12 normal pixels: one at 0.7, one at 0.5 (tied with A's second pixel), ten at 0.1.
     * Sweep from the top, (FPR, PRO) after each threshold:
     *   0.9: A half            -> (0,    (1/2 + 0)/2 = 0.25)
     *   0.8: B half            -> (0,    0.5)
     *   0.7: one normal        -> (1/12, 0.5)
     *   0.5: A full + a normal -> (2/12, (1 + 1/2)/2 = 0.75)   one diagonal step (tie)
     *   0.2: B full            -> (2/12, 1)
     *   0.1: ten normals       -> (1,    1)
     * Area to FPR 0.3: 1/12 * 0.5 + 1/12 * (0.5 + 0.75)/2 + (0.3 - 2/12) * 1 = 0.2270833...,
     *   AUPRO = 0.2270833 / 0.3 = 0.7569444...
     * Area to FPR 0.1: the diagonal step is cut at 0.1 where PRO = 0.5 + 0.25 * (0.1 - 1/12)/(1/12) = 0.55:
     *   1/12 * 0.5 + (0.1 - 1/12) * (0.5 + 0.55)/2 = 0.0504166..., AUPRO = 0.504166...
     * Pixel AUROC, pairs (anomalous > normal): 0.9 beats 12, 0.8 beats 12, 0.5 beats 10 + ties 1 (1/2),
     *   0.2 beats 10 -> 44.5 / 48.
     */
    private static final float[] SCORES = {
        0.9f, 0.1f, 0.1f, 0.1f,
        0.1f, 0.5f, 0.1f, 0.7f,
        0.1f, 0.1f, 0.5f, 0.8f,
        0.1f, 0.1f, 0.1f, 0.2f,
    };
    private static final boolean[] MASK = {
        true, false, false, false,
        false, true, false, false,
        false, false, false, true,
        false, false, false, true,
    };

    @Test
    public void handWorkedFourByFourExample() {
        PixelMetrics metrics = new PixelMetrics();
        metrics.add(SCORES, MASK, 4, 4);
        assertEquals(2, metrics.regionCount());
        assertEquals(4, metrics.anomalousPixelCount());
        assertEquals((1.0 / 12 * 0.5 + 1.0 / 12 * 0.625 + (0.3 - 2.0 / 12)) / 0.3, metrics.aupro(), 1e-12);
        assertEquals(0.7569444444444444, metrics.aupro(0.3), 1e-12);
        assertEquals(0.5041666666666667, metrics.aupro(0.1), 1e-12);
        assertEquals(44.5 / 48, metrics.auroc(), 1e-15);
        Curve pro = metrics.proCurve(0.1);
        assertEquals(0.1, pro.x()[pro.size() - 1], 1e-15);
        assertEquals(0.55, pro.y()[pro.size() - 1], 1e-12);
        Curve roc = metrics.rocCurve();
        assertEquals(1.0, roc.x()[roc.size() - 1], 0);
        assertEquals(1.0, roc.y()[roc.size() - 1], 0);
    }

    @Test
    public void perfectDetectorScoresOne() {
        float[] map = new float[16];
        for (int p = 0; p < 16; p++) {
            map[p] = MASK[p] ? 1 + p : -p; // defects above every normal pixel, negative scores too
        }
        PixelMetrics metrics = new PixelMetrics();
        metrics.add(map, MASK, 4, 4);
        metrics.add(new float[] {-1, -2, -3, -4}, new boolean[4], 2, 2); // a good image
        assertEquals(1.0, metrics.aupro(), 1e-12);
        assertEquals(1.0, metrics.auroc(), 0);
        assertEquals(2, metrics.imageCount());
    }

    @Test
    public void noDefectsGiveNaN() {
        PixelMetrics metrics = new PixelMetrics();
        metrics.add(new float[] {1, 2, 3, 4}, null, 2, 2);
        assertTrue(Double.isNaN(metrics.auroc()));
        assertTrue(Double.isNaN(metrics.aupro()));
    }

    @Test
    public void addingAfterAskingMergesTheNewImages() {
        PixelMetrics once = new PixelMetrics();
        once.add(SCORES, MASK, 4, 4);
        double first = once.aupro();
        once.add(new float[] {0.95f, 0.0f, 0.0f, 0.0f}, new boolean[4], 2, 2);
        // The new normal pixel at 0.95 is the highest score: PRO stays 0 until FPR 1/15.
        assertTrue(once.aupro() < first);
        PixelMetrics together = new PixelMetrics();
        together.add(SCORES, MASK, 4, 4);
        together.add(new float[] {0.95f, 0.0f, 0.0f, 0.0f}, new boolean[4], 2, 2);
        assertEquals(together.aupro(), once.aupro(), 0);
        assertEquals(together.auroc(), once.auroc(), 0);
    }

    @Test(expected = IllegalArgumentException.class)
    public void nanInMapIsRejected() {
        new PixelMetrics().add(new float[] {1, Float.NaN}, new boolean[2], 2, 1);
    }

    @Test
    public void sortableBitsPreserveFloatOrder() {
        float[] ordered = {Float.NEGATIVE_INFINITY, -3.5f, -1e-30f, -Float.MIN_VALUE, 0f, Float.MIN_VALUE, 1f, 2f,
            Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        for (int i = 1; i < ordered.length; i++) {
            assertTrue(PixelMetrics.sortableBits(ordered[i - 1]) < PixelMetrics.sortableBits(ordered[i]));
        }
        assertEquals(PixelMetrics.sortableBits(0f), PixelMetrics.sortableBits(-0f));
    }

    /** Fast sweep against a threshold-by-threshold recount over a few hundred pixels with many ties. */
    @Test
    public void matchesNaiveReferenceOnRandomImages() {
        Random random = new Random(42);
        for (int round = 0; round < 21; round++) {
            boolean large = round == 20; // 180,000 pixels: exercises the radix passes of the sort
            int images = large ? 2 : 1 + random.nextInt(4);
            int width = large ? 300 : 3 + random.nextInt(10);
            int height = large ? 300 : 3 + random.nextInt(10);
            float[][] maps = new float[images][];
            boolean[][] masks = new boolean[images][];
            PixelMetrics metrics = new PixelMetrics();
            for (int i = 0; i < images; i++) {
                maps[i] = new float[width * height];
                masks[i] = new boolean[width * height];
                boolean good = random.nextInt(3) == 0;
                for (int p = 0; p < width * height; p++) {
                    masks[i][p] = !good && random.nextInt(5) == 0;
                    // Defects score higher on average; 16 levels give plenty of ties across classes.
                    maps[i][p] = (random.nextInt(12) + (masks[i][p] ? 4 : 0)) / 4f;
                }
                metrics.add(maps[i], masks[i], width, height);
            }
            for (double maxFpr : new double[] {0.05, 0.3, 1.0}) {
                assertEquals(naiveAupro(maps, masks, width, height, maxFpr), metrics.aupro(maxFpr), 1e-9);
            }
            assertEquals(naiveAuroc(maps, masks), metrics.auroc(), 1e-12);
        }
    }

    private static double naiveAupro(float[][] maps, boolean[][] masks, int width, int height, double maxFpr) {
        // Distinct thresholds, highest first; at each one recount every region and every normal pixel.
        java.util.TreeSet<Float> thresholds = new java.util.TreeSet<>(java.util.Collections.reverseOrder());
        for (float[] map : maps) {
            for (float s : map) {
                thresholds.add(s);
            }
        }
        MaskRegions[] regions = new MaskRegions[maps.length];
        int regionTotal = 0;
        long normals = 0;
        for (int i = 0; i < maps.length; i++) {
            regions[i] = MaskRegions.of(masks[i], width, height);
            regionTotal += regions[i].count();
            for (boolean m : masks[i]) {
                normals += m ? 0 : 1;
            }
        }
        if (regionTotal == 0 || normals == 0) {
            return Double.NaN;
        }
        double[] x = new double[thresholds.size() + 1];
        double[] y = new double[thresholds.size() + 1];
        int k = 1;
        for (float t : thresholds) {
            long falsePositives = 0;
            double overlapSum = 0;
            for (int i = 0; i < maps.length; i++) {
                int[] hits = new int[regions[i].count() + 1];
                for (int p = 0; p < maps[i].length; p++) {
                    if (maps[i][p] >= t) {
                        if (masks[i][p]) {
                            hits[regions[i].labels()[p]]++;
                        } else {
                            falsePositives++;
                        }
                    }
                }
                for (int r = 1; r <= regions[i].count(); r++) {
                    overlapSum += hits[r] / (double) regions[i].size(r);
                }
            }
            x[k] = falsePositives / (double) normals;
            y[k] = overlapSum / regionTotal;
            k++;
        }
        return new Curve(x, y).area(maxFpr) / maxFpr;
    }

    private static double naiveAuroc(float[][] maps, boolean[][] masks) {
        int n = 0;
        for (float[] map : maps) {
            n += map.length;
        }
        double[] scores = new double[n];
        boolean[] labels = new boolean[n];
        int at = 0;
        for (int i = 0; i < maps.length; i++) {
            for (int p = 0; p < maps[i].length; p++) {
                scores[at] = maps[i][p];
                labels[at++] = masks[i][p];
            }
        }
        return Auroc.of(scores, labels); // itself checked against pair counting in RocTest
    }
}
