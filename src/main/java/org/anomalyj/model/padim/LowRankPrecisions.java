package org.anomalyj.model.padim;

import org.anomalyj.AnomalyJException;
import org.anomalyj.io.ArrayStore;
import org.anomalyj.io.NpyArray;

/**
 * PaDiM's per-position Gaussians with a probabilistic-PCA covariance (Tipping & Bishop 1999): the
 * r leading principal axes V (d x r, orthonormal) with their variances theta, and one residual
 * variance sigma^2 for every other direction, the mean of the covariance's remaining eigenvalues.
 * The precision (inverse covariance) is then
 * {@code V diag(1/theta) V^T + (I - V V^T) / sigma^2}, and the squared Mahalanobis distance
 * {@code |z|^2 / sigma^2 + sum_m (1/theta_m - 1/sigma^2) (V^T z)_m^2}.
 * <p>
 * Why: the full precisions are 0.62 GB of packed triangles at d = 550 and 32 x 32 positions, read
 * once per image, which bounds the head by memory bandwidth. The covariances of ImageNet features
 * of normal images put most of their variance in few directions: on Magnetic Tile only 46-60 of
 * 550 eigenvalues exceed twice epsilon (0.01), the rest sit just above it. Rank 64 keeps d x 64
 * floats per position (0.14 GB, a quarter) and changed no AUROC by more than 0.1 point there
 * (docs/performance.md, PaDiM low-rank precisions).
 * <p>
 * The bundle stores the axes as {@code [P, d, r]}. In memory they are regrouped into blocks of
 * {@value #BLOCK} axes, {@code [P, r / 16, d, 16]} (the rank padded with zero axes), so that the
 * kernel's offsets into its scratch rows are constants: JDK 17's C2 leaves loops scalar when they
 * read an array at offsets only known at run time, such as the rank (1024 positions, d = 550,
 * r = 64: 10.1 ms on two threads with the rank as a variable against 7.1 ms with constant
 * offsets, scratch benchmark; 144 MB per image at about 20 GB/s, the memory's rate).
 */
public final class LowRankPrecisions implements Precisions {
    static final String AXES = "principal_axes";
    static final String VARIANCES = "principal_variances";
    static final String RESIDUAL = "residual_variance";
    /** Axes per block of the in-memory layout. */
    static final int BLOCK = 16;
    /** Rows copied and accumulated together by the kernel. */
    private static final int ROWS = 8;

    private final int positions;
    private final int d;
    private final int rank;
    private final int blocks;
    /** {@code [P, blocks, d, BLOCK]}, zero beyond the rank. */
    private final float[] blocked;
    private final float[] variances;
    private final float[] residual;
    /** 1/theta_m - 1/sigma^2, {@code [P, blocks * BLOCK]}, zero beyond the rank. */
    private final float[] weights;
    /** 1/sigma^2, or 0 when the axes span every direction (r = d). */
    private final float[] isotropic;

    /**
     * @param axes {@code [P, d, r]}: per position the principal axes as columns
     * @param variances {@code [P, r]} the axes' variances (> 0)
     * @param residual {@code [P]} the residual variance (> 0 unless r = d)
     * @throws AnomalyJException when a variance is not positive
     */
    public LowRankPrecisions(int positions, int d, int rank, float[] axes, float[] variances, float[] residual) {
        if (rank < 1 || rank > d || (long) positions * d * rank != axes.length
                || variances.length != positions * rank || residual.length != positions) {
            throw new IllegalArgumentException("low-rank precisions of " + positions + " x " + d + " x " + rank
                    + " with " + axes.length + " axes, " + variances.length + " variances, " + residual.length
                    + " residuals");
        }
        this.positions = positions;
        this.d = d;
        this.rank = rank;
        this.variances = variances;
        this.residual = residual;
        blocks = (rank + BLOCK - 1) / BLOCK;
        int width = blocks * BLOCK;
        blocked = new float[Math.multiplyExact(positions, Math.multiplyExact(d, width))];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < d; i++) {
                for (int m = 0; m < rank; m++) {
                    blocked[blockedIndex(p, i, m)] = axes[(p * d + i) * rank + m];
                }
            }
        }
        weights = new float[positions * width];
        isotropic = new float[positions];
        for (int p = 0; p < positions; p++) {
            double inverseResidual = 0;
            if (rank < d) {
                if (!(residual[p] > 0)) {
                    throw new AnomalyJException("PaDiM residual variance " + residual[p] + " at position " + p
                            + " is not positive; retrain with epsilon > 0.");
                }
                inverseResidual = 1.0 / residual[p];
            }
            isotropic[p] = (float) inverseResidual;
            for (int m = 0; m < rank; m++) {
                float v = variances[p * rank + m];
                if (!(v > 0)) {
                    throw new AnomalyJException("PaDiM principal variance " + v + " at position " + p
                            + " is not positive; retrain with epsilon > 0.");
                }
                weights[p * width + m] = (float) (1.0 / v - inverseResidual);
            }
        }
    }

    /** Index of coordinate i of position p's axis m in {@link #blocked}. */
    private int blockedIndex(int p, int i, int m) {
        return ((p * blocks + m / BLOCK) * d + i) * BLOCK + m % BLOCK;
    }

    public int positions() {
        return positions;
    }

    public int dim() {
        return d;
    }

    @Override
    public int rank() {
        return rank;
    }

    /** {@code [P, d, r]} (a new array). */
    public float[] axes() {
        float[] out = new float[Math.multiplyExact(positions, Math.multiplyExact(d, rank))];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < d; i++) {
                for (int m = 0; m < rank; m++) {
                    out[(p * d + i) * rank + m] = blocked[blockedIndex(p, i, m)];
                }
            }
        }
        return out;
    }

    /** {@code [P, r]}; shared. */
    public float[] variances() {
        return variances;
    }

    /** {@code [P]}; shared. */
    public float[] residual() {
        return residual;
    }

    /** Buffers of {@link #distance}: the difference, one block of V^T z and the copied rows. One per thread. */
    public static final class Workspace {
        final float[] diff;
        final float[] projection = new float[BLOCK];
        final float[] rows = new float[ROWS * BLOCK];

        public Workspace(int d) {
            diff = new float[d];
        }
    }

    /** A workspace sized for these precisions. */
    public Workspace workspace() {
        return new Workspace(d);
    }

    /**
     * sqrt of the squared Mahalanobis distance of {@code x} (at {@code xo}) to {@code mean} (at
     * {@code mo}) under position p's precision; no allocation. Each block of {@code V^T z} is
     * accumulated eight rows at a time, copied together into scratch (one
     * {@code System.arraycopy} per eight rows); negative rounding results clamp to 0.
     */
    public float distance(float[] x, int xo, float[] mean, int mo, int p, Workspace w) {
        float[] z = w.diff;
        float[] y = w.projection;
        float[] t = w.rows;
        double norm = 0;
        for (int i = 0; i < d; i++) {
            float v = x[xo + i] - mean[mo + i];
            z[i] = v;
            norm += (double) v * v;
        }
        double s = isotropic[p] * norm;
        for (int b = 0; b < blocks; b++) {
            java.util.Arrays.fill(y, 0f);
            int base = (p * blocks + b) * d * BLOCK;
            int i = 0;
            for (; i + ROWS - 1 < d; i += ROWS) {
                System.arraycopy(blocked, base + i * BLOCK, t, 0, ROWS * BLOCK);
                float a0 = z[i];
                float a1 = z[i + 1];
                float a2 = z[i + 2];
                float a3 = z[i + 3];
                float a4 = z[i + 4];
                float a5 = z[i + 5];
                float a6 = z[i + 6];
                float a7 = z[i + 7];
                for (int m = 0; m < BLOCK; m++) { // constant offsets: BLOCK = 16
                    y[m] += a0 * t[m] + a1 * t[m + 16] + a2 * t[m + 32] + a3 * t[m + 48] + a4 * t[m + 64]
                            + a5 * t[m + 80] + a6 * t[m + 96] + a7 * t[m + 112];
                }
            }
            for (; i < d; i++) { // the last d mod 8 rows
                float a = z[i];
                int o = base + i * BLOCK;
                for (int m = 0; m < BLOCK; m++) {
                    y[m] += a * blocked[o + m];
                }
            }
            int wo = (p * blocks + b) * BLOCK;
            for (int m = 0; m < BLOCK; m++) {
                s += (double) weights[wo + m] * y[m] * y[m];
            }
        }
        return (float) Math.sqrt(Math.max(0, s));
    }

    @Override
    public void distances(float[] x, float[] mean, int from, int to, float[] scores) {
        Workspace work = workspace();
        for (int p = from; p < to; p++) {
            scores[p] = distance(x, p * d, mean, p * d, p, work);
        }
    }

    /** The precisions as full matrices: for export and tests, not for scoring (P d^2 r products). */
    @Override
    public float[] dense() {
        int width = blocks * BLOCK;
        float[] out = new float[Math.multiplyExact(positions, d * d)];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    double s = i == j ? isotropic[p] : 0;
                    for (int m = 0; m < rank; m++) {
                        s += (double) weights[p * width + m] * blocked[blockedIndex(p, i, m)]
                                * blocked[blockedIndex(p, j, m)];
                    }
                    out[p * d * d + i * d + j] = (float) s;
                    out[p * d * d + j * d + i] = (float) s;
                }
            }
        }
        return out;
    }

    @Override
    public void writeArrays(ArrayStore store) {
        store.put(AXES, NpyArray.ofFloats(axes(), positions, d, rank));
        store.put(VARIANCES, NpyArray.ofFloats(variances, positions, rank));
        store.put(RESIDUAL, NpyArray.ofFloats(residual, positions));
    }
}
