package org.anomalyj.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pixel-level metrics over a whole test set: pixel AUROC and AUPRO (area under the per-region
 * overlap curve up to a false positive rate limit, as in the MVTec AD evaluation and anomalib).
 *
 * <p>Add one anomaly map and ground-truth mask per test image, then ask for the metrics. Every
 * result is exact: all pixels are sorted once by score and swept from the highest score down,
 * tied scores forming one threshold step. Each pixel is stored as one {@code long} (score mapped
 * to an order-preserving int in the high 32 bits, its ground-truth region id in the low 32 bits,
 * 0 = normal), so 40 million pixels take 320 MB, plus the same again while sorting (a radix sort
 * on the score bits: about a second for 40 million pixels).
 *
 * <p>Not thread-safe: add from one thread.
 */
public final class PixelMetrics {
    /** The customary AUPRO false positive rate limit. */
    public static final double DEFAULT_MAX_FPR = 0.3;

    /** Plot curves keep a point when it moves at least 1/4096 of the axis range. */
    private static final double PLOT_RESOLUTION = 1.0 / 4096;

    /**
     * Pixels added since the last sort, in fixed blocks of 256 KB: small enough not to be G1
     * "humongous" objects (which would waste up to half of each heap region), so storage is
     * exactly 8 bytes per pixel.
     */
    private static final int BLOCK = 1 << 15;

    private final List<long[]> pending = new ArrayList<>();
    private int pendingCount; // pixels in pending blocks
    private long[] sorted = new long[0];
    private long pixelCount;
    private long anomalousPixels;
    private int[] regionSizes = new int[64]; // index = global region id; [0] unused
    private int regionCount;
    private int imageCount;

    /**
     * Adds one test image.
     *
     * @param anomalyMap one score per pixel, row-major, higher = more anomalous; no NaN
     * @param mask       ground truth per pixel, true = defect; all false (or null) for a good image
     */
    public void add(float[] anomalyMap, boolean[] mask, int width, int height) {
        long n = (long) width * height;
        if (width <= 0 || height <= 0 || anomalyMap.length != n || (mask != null && mask.length != n)) {
            throw new IllegalArgumentException("image " + imageCount + ": map has " + anomalyMap.length
                    + " pixels and mask " + (mask == null ? "none" : mask.length) + ", expected " + width + "x" + height);
        }
        if (pixelCount + n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("more than " + (Integer.MAX_VALUE - 8) + " pixels in total are not supported");
        }
        for (int p = 0; p < anomalyMap.length; p++) {
            if (Float.isNaN(anomalyMap[p])) { // checked before any state changes, so a failed add leaves no trace
                throw new IllegalArgumentException("image " + imageCount + ": anomaly map is NaN at pixel " + p);
            }
        }
        int[] labels = null;
        int offset = regionCount; // this image's region r gets the global id offset + r
        if (mask != null && anyTrue(mask)) {
            MaskRegions regions = MaskRegions.of(mask, width, height);
            labels = regions.labels();
            for (int r = 1; r <= regions.count(); r++) {
                addRegion(regions.size(r));
            }
        }
        long anomalous = 0;
        int p = 0;
        while (p < anomalyMap.length) { // one segment per block touched
            int at = pendingCount % BLOCK;
            if (at == 0) {
                pending.add(new long[BLOCK]);
            }
            long[] block = pending.get(pending.size() - 1);
            int end = p + Math.min(BLOCK - at, anomalyMap.length - p);
            pendingCount += end - p;
            for (; p < end; p++, at++) {
                int region = labels == null || labels[p] == 0 ? 0 : labels[p] + offset;
                if (region != 0) {
                    anomalous++;
                }
                block[at] = ((long) sortableBits(anomalyMap[p]) << 32) | region;
            }
        }
        pixelCount += n;
        anomalousPixels += anomalous;
        imageCount++;
    }

    /** The number of images added. */
    public int imageCount() {
        return imageCount;
    }

    /** The number of pixels added. */
    public long pixelCount() {
        return pixelCount;
    }

    /** The number of ground-truth defect pixels added. */
    public long anomalousPixelCount() {
        return anomalousPixels;
    }

    /** The number of ground-truth regions (8-connected mask components) over all images. */
    public int regionCount() {
        return regionCount;
    }

    /** Pixel AUROC over all pixels of all images; NaN when there is no anomalous or no normal pixel. */
    public double auroc() {
        return sweep(1, false, false).auroc;
    }

    /** Pixel ROC curve for plotting (decimated to plot resolution; x = FPR, y = TPR). */
    public Curve rocCurve() {
        return sweep(1, true, false).roc;
    }

    /** AUPRO up to {@link #DEFAULT_MAX_FPR}. */
    public double aupro() {
        return aupro(DEFAULT_MAX_FPR);
    }

    /**
     * The area under the PRO curve for FPR in {@code [0, maxFpr]} (interpolated linearly at
     * maxFpr), divided by maxFpr so a perfect detector scores 1. PRO(t) is the mean over all
     * ground-truth regions of the fraction of the region's pixels scoring {@code >= t}; FPR(t) is
     * the fraction of normal pixels scoring {@code >= t}. NaN when there is no region or no
     * normal pixel.
     */
    public double aupro(double maxFpr) {
        return sweep(maxFpr, false, false).aupro;
    }

    /** The PRO curve up to maxFpr for plotting (decimated; x = FPR, y = PRO, ends at x = maxFpr). */
    public Curve proCurve(double maxFpr) {
        return sweep(maxFpr, false, true).pro;
    }

    private static final class Sweep {
        double auroc = Double.NaN;
        double aupro = Double.NaN;
        Curve roc;
        Curve pro;
    }

    private Sweep sweep(double maxFpr, boolean wantRoc, boolean wantPro) {
        if (!(maxFpr > 0 && maxFpr <= 1)) {
            throw new IllegalArgumentException("maxFpr must be in (0, 1], got " + maxFpr);
        }
        long[] all = sortedPixels();
        double normals = all.length - anomalousPixels;
        double positives = anomalousPixels;
        double regions = regionCount;
        double[] inverseSize = new double[regionCount + 1];
        for (int r = 1; r <= regionCount; r++) {
            inverseSize[r] = 1.0 / regionSizes[r];
        }
        CurveBuilder roc = wantRoc ? new CurveBuilder(PLOT_RESOLUTION, PLOT_RESOLUTION) : null;
        CurveBuilder pro = wantPro ? new CurveBuilder(maxFpr * PLOT_RESOLUTION, PLOT_RESOLUTION) : null;
        if (roc != null) {
            roc.add(0 / normals, 0 / positives);
        }
        if (pro != null) {
            pro.add(0 / normals, 0 / regions);
        }
        long fp = 0;
        long tp = 0;
        long twiceAuroc = 0;
        double overlapSum = 0; // sum over regions of (region pixels reached / region size)
        double proArea = 0;
        double lastFpr = 0;
        double lastPro = 0;
        boolean proDone = false;
        int k = all.length - 1;
        while (k >= 0) {
            int key = (int) (all[k] >> 32);
            long tpBefore = tp;
            long fpBefore = fp;
            do {
                int region = (int) all[k];
                if (region == 0) {
                    fp++;
                } else {
                    tp++;
                    overlapSum += inverseSize[region];
                }
                k--;
            } while (k >= 0 && (int) (all[k] >> 32) == key);
            twiceAuroc += (fp - fpBefore) * (tpBefore + tp);
            double fpr = fp / normals;
            if (roc != null) {
                roc.add(fpr, tp / positives);
            }
            if (!proDone) {
                double proNow = overlapSum / regions;
                if (fpr >= maxFpr) {
                    // The segment crosses the limit: integrate only up to maxFpr, interpolating PRO there.
                    double proAtLimit = fpr == lastFpr ? proNow
                            : lastPro + (proNow - lastPro) * (maxFpr - lastFpr) / (fpr - lastFpr);
                    proArea += (maxFpr - lastFpr) * (lastPro + proAtLimit) * 0.5;
                    if (pro != null) {
                        pro.add(maxFpr, proAtLimit);
                    }
                    proDone = true;
                } else {
                    proArea += (fpr - lastFpr) * (lastPro + proNow) * 0.5;
                    if (pro != null) {
                        pro.add(fpr, proNow);
                    }
                    lastFpr = fpr;
                    lastPro = proNow;
                }
            }
        }
        Sweep result = new Sweep();
        if (anomalousPixels > 0 && normals > 0) {
            result.auroc = twiceAuroc / (2.0 * positives * normals);
        }
        if (regionCount > 0 && normals > 0) {
            result.aupro = proArea / maxFpr;
        }
        result.roc = roc == null ? null : roc.build();
        result.pro = pro == null ? null : pro.build();
        return result;
    }

    /** Merges pending images into the sorted array, sorting once per batch of additions. */
    private long[] sortedPixels() {
        if (pending.isEmpty()) {
            return sorted;
        }
        long[] all = new long[(int) pixelCount];
        System.arraycopy(sorted, 0, all, 0, sorted.length);
        int at = sorted.length;
        sorted = null; // let the old array go before the sort needs its buffer
        for (int i = 0; i < pending.size(); i++) {
            int length = Math.min(BLOCK, pendingCount - i * BLOCK);
            System.arraycopy(pending.get(i), 0, all, at, length);
            at += length;
            pending.set(i, null);
        }
        pending.clear();
        pendingCount = 0;
        sorted = HighKeyRadixSort.sort(all);
        return sorted;
    }

    private void addRegion(int size) {
        regionCount++;
        if (regionCount >= regionSizes.length) {
            regionSizes = Arrays.copyOf(regionSizes, regionSizes.length * 2);
        }
        regionSizes[regionCount] = size;
    }

    private static boolean anyTrue(boolean[] mask) {
        for (boolean b : mask) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /**
     * An int whose signed order equals the float order of {@code score} (-0 folded into +0):
     * positive floats keep their bits, negative floats get their magnitude bits inverted.
     */
    static int sortableBits(float score) {
        int bits = Float.floatToRawIntBits(score + 0.0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }
}
