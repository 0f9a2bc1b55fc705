package org.anomalyj.model.padim;

import java.util.stream.IntStream;

/**
 * Streaming per-position Gaussian estimate: sums and sums of outer products (upper triangle, in
 * double) of d-dimensional vectors at P positions. Values are accumulated relative to the first
 * sample at each position (a shift that keeps the covariance exact but avoids the cancellation of
 * large means). The final estimate is the unbiased covariance (divide by n - 1), as anomalib.
 *
 * <p>Images are buffered (as float, {@code batch * P * d} values) and added as a rank-{@code batch}
 * update: for each position and row of the triangle, the row's segment stays in L1 while all
 * buffered vectors are added to it, so the {@code P * d * (d + 1) / 2} doubles of sums (1.24 GB for
 * 1024 positions of 550 channels) are streamed once per batch instead of once per image, and the
 * inner loops are element-wise over contiguous arrays (vectorised by C2). Buffered images are
 * flushed by {@link #flush()}, which {@link #mean()} and {@link #covariance} call. Adding is
 * single-threaded (it parallelises internally); reading after the last add is thread-safe.
 */
public final class Gaussians {
    /** Images per rank-B update: enough that streaming the sums costs little next to the arithmetic. */
    public static final int DEFAULT_BATCH = 32;
    /** Positions per parallel task: a task allocates its delta buffer once. */
    private static final int POSITIONS_PER_TASK = 16;

    private final int positions;
    private final int d;
    private final int tri;
    private final int batch;
    private final double[] shift;
    private final double[] sum;
    private final double[] outer;
    private final float[] pending;
    private int buffered;
    private int n;

    /** Gaussians of d-dimensional vectors at {@code positions} positions, {@link #DEFAULT_BATCH} images per update. */
    public Gaussians(int positions, int d) {
        this(positions, d, DEFAULT_BATCH);
    }

    /** @param batch images buffered per rank-{@code batch} update (1 adds each image at once) */
    public Gaussians(int positions, int d, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        this.positions = positions;
        this.d = d;
        this.tri = d * (d + 1) / 2;
        this.batch = batch;
        this.shift = new double[positions * d];
        this.sum = new double[positions * d];
        this.outer = new double[Math.multiplyExact(positions, tri)];
        this.pending = new float[Math.multiplyExact(batch, positions * d)];
    }

    /** Adds one image's vectors: {@code x[pos * d + i]} (copied: the caller may reuse x). */
    public void add(float[] x) {
        if (n == 0 && buffered == 0) {
            for (int i = 0; i < shift.length; i++) {
                shift[i] = x[i];
            }
        }
        System.arraycopy(x, 0, pending, buffered * positions * d, positions * d);
        buffered++;
        if (buffered == batch) {
            flush();
        }
    }

    /** Images added so far, buffered ones included. */
    public int count() {
        return n + buffered;
    }

    /** Adds the buffered images to the sums (no-op when none are buffered). */
    public synchronized void flush() {
        if (buffered == 0) {
            return;
        }
        int tasks = (positions + POSITIONS_PER_TASK - 1) / POSITIONS_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(task -> {
            double[][] v = new double[buffered][d];
            double[] row = new double[d];
            for (int p = task * POSITIONS_PER_TASK; p < Math.min(positions, (task + 1) * POSITIONS_PER_TASK); p++) {
                addBuffered(p, v, row);
            }
        });
        n += buffered;
        buffered = 0;
    }

    /**
     * Rank-B update of position p: row i of the triangle is copied to {@code row} (indexed by
     * column j like the vectors, which C2 of JDK 17 needs to vectorise a loop: all arrays indexed
     * by the same expression), then all buffered vectors are added to it, four per pass.
     */
    private void addBuffered(int p, double[][] v, double[] row) {
        int o = p * d;
        int stride = positions * d;
        for (int b = 0; b < buffered; b++) {
            int src = b * stride + o;
            double[] vb = v[b];
            for (int i = 0; i < d; i++) {
                double x = (double) pending[src + i] - shift[o + i];
                vb[i] = x;
                sum[o + i] += x;
            }
        }
        int t = p * tri;
        for (int i = 0; i < d; i++) {
            int len = d - i;
            System.arraycopy(outer, t, row, i, len);
            int b = 0;
            for (; b + 3 < buffered; b += 4) {
                addOuter4(row, v[b], v[b + 1], v[b + 2], v[b + 3], i, d);
            }
            for (; b < buffered; b++) {
                addOuter(row, v[b], i, d);
            }
            System.arraycopy(row, i, outer, t, len);
            t += len;
        }
    }

    /** {@code y[j] += x[i] * x[j]} for i <= j < end. */
    private static void addOuter(double[] y, double[] x, int i, int end) {
        double a = x[i];
        for (int j = i; j < end; j++) {
            y[j] += a * x[j];
        }
    }

    /** {@link #addOuter} of four vectors in one pass over y. */
    private static void addOuter4(double[] y, double[] x0, double[] x1, double[] x2, double[] x3, int i, int end) {
        double a0 = x0[i];
        double a1 = x1[i];
        double a2 = x2[i];
        double a3 = x3[i];
        for (int j = i; j < end; j++) {
            y[j] += (a0 * x0[j] + a1 * x1[j]) + (a2 * x2[j] + a3 * x3[j]);
        }
    }

    /** Means {@code [P, d]} as float. */
    public float[] mean() {
        flush();
        float[] m = new float[positions * d];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) (shift[i] + sum[i] / n);
        }
        return m;
    }

    /** Unbiased covariance of position p plus {@code epsilon * I}, full d x d row-major. */
    public double[] covariance(int p, double epsilon) {
        double[] c = new double[d * d];
        covariance(p, epsilon, c);
        return c;
    }

    /**
     * {@link #covariance(int, double)} into {@code c} (d x d row-major), so that a caller looping
     * over positions reuses one buffer.
     */
    public void covariance(int p, double epsilon, double[] c) {
        flush();
        if (n < 2) {
            throw new IllegalStateException("covariance needs at least 2 samples");
        }
        int o = p * d;
        int t = p * tri;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = (outer[t++] - sum[o + i] * sum[o + j] / n) / (n - 1);
                c[i * d + j] = v;
                c[j * d + i] = v;
            }
            c[i * d + i] += epsilon;
        }
    }
}
