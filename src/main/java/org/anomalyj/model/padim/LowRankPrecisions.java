package org.anomalyj.model.padim;

import org.anomalyj.AnomalyJException;
import org.anomalyj.io.ArrayStore;
import org.anomalyj.io.NpyArray;

/**
 * PaDiM's per-position precisions (inverse covariances) as a diagonal plus a rank-r correction,
 * {@code S = diag(c) + C diag(w) C^T}, so that the squared Mahalanobis distance is
 * {@code sum_i c_i z_i^2 + sum_m w_m (C^T z)_m^2}: d (r + 1) + r floats per position instead of
 * d (d + 1) / 2. {@link PadimFitter} builds it from each covariance's r leading principal axes
 * (the covariance model is described there).
 * <p>
 * Why: the full precisions are 0.62 GB of packed triangles at d = 550 and 32 x 32 positions, read
 * once per image, which bounds the head by memory bandwidth. The covariances of ImageNet features
 * of normal images put most of their variance in few directions: on Magnetic Tile only 46-60 of
 * 550 eigenvalues exceed twice epsilon (0.01), the rest sit just above it
 * (docs/performance.md, *Sixth session*).
 * <p>
 * The bundle stores the axes C as {@code [P, d, r]}. In memory they are regrouped into blocks of
 * {@value #BLOCK} axes, {@code [P, r / 16, d, 16]} (the rank padded with zero axes), so that the
 * kernel's offsets into its scratch rows are constants: JDK 17's C2 leaves loops scalar when they
 * read an array at offsets only known at run time, such as the rank (1024 positions, d = 550,
 * r = 64: 10.1 ms on two threads with the rank as a variable against 7.1 ms with constant
 * offsets, scratch benchmark; 144 MB per image at about 20 GB/s, the memory's rate).
 */
public final class LowRankPrecisions implements Precisions {
    static final String DIAGONAL = "precision_diagonal";
    static final String AXES = "precision_axes";
    static final String WEIGHTS = "precision_weights";
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
    /** c, {@code [P, d]}. */
    private final float[] diagonal;
    /** w, {@code [P, r]}. */
    private final float[] weights;
    /** w padded to whole blocks, {@code [P, blocks * BLOCK]}. */
    private final float[] blockWeights;

    /**
     * @param diagonal {@code [P, d]} the diagonal part c (> 0)
     * @param axes {@code [P, d, r]}: per position the correction's axes C as columns
     * @param weights {@code [P, r]} the correction's weights w
     * @throws AnomalyJException when the diagonal is not positive or a value is not finite
     */
    public LowRankPrecisions(int positions, int d, int rank, float[] diagonal, float[] axes, float[] weights) {
        if (rank < 1 || rank > d || (long) positions * d * rank != axes.length
                || weights.length != positions * rank || diagonal.length != positions * d) {
            throw new IllegalArgumentException("low-rank precisions of " + positions + " x " + d + " x " + rank
                    + " with " + diagonal.length + " diagonal values, " + axes.length + " axes, " + weights.length
                    + " weights");
        }
        for (int i = 0; i < diagonal.length; i++) {
            if (!(diagonal[i] > 0) || Float.isInfinite(diagonal[i])) {
                throw new AnomalyJException("PaDiM precision diagonal " + diagonal[i] + " at position " + i / d
                        + " is not positive and finite; retrain with epsilon > 0.");
            }
        }
        for (float w : weights) {
            if (!Float.isFinite(w)) {
                throw new AnomalyJException("PaDiM precision weight " + w + " is not finite; retrain the model.");
            }
        }
        this.positions = positions;
        this.d = d;
        this.rank = rank;
        this.diagonal = diagonal;
        this.weights = weights;
        blocks = (rank + BLOCK - 1) / BLOCK;
        int width = blocks * BLOCK;
        blocked = new float[Math.multiplyExact(positions, Math.multiplyExact(d, width))];
        blockWeights = new float[positions * width];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < d; i++) {
                for (int m = 0; m < rank; m++) {
                    blocked[blockedIndex(p, i, m)] = axes[(p * d + i) * rank + m];
                }
            }
            System.arraycopy(weights, p * rank, blockWeights, p * width, rank);
        }
    }

    /** Index of coordinate i of position p's axis m in {@link #blocked}. */
    private int blockedIndex(int p, int i, int m) {
        return ((p * blocks + m / BLOCK) * d + i) * BLOCK + m % BLOCK;
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

    /** Buffers of {@link #distance}: the difference, one block of C^T z and the copied rows. One per thread. */
    private static final class Workspace {
        final float[] diff;
        final float[] projection = new float[BLOCK];
        final float[] rows = new float[ROWS * BLOCK];

        Workspace(int d) {
            diff = new float[d];
        }
    }

    /**
     * sqrt of the squared Mahalanobis distance of {@code x} (at {@code xo}) to {@code mean} (at
     * {@code mo}) under position p's precision; no allocation. Each block of {@code C^T z} is
     * accumulated eight rows at a time, copied together into scratch (one
     * {@code System.arraycopy} per eight rows); negative rounding results clamp to 0.
     */
    private float distance(float[] x, int xo, float[] mean, int mo, int p, Workspace w) {
        float[] z = w.diff;
        float[] y = w.projection;
        float[] t = w.rows;
        double s = 0;
        int co = p * d;
        for (int i = 0; i < d; i++) {
            float v = x[xo + i] - mean[mo + i];
            z[i] = v;
            s += (double) diagonal[co + i] * v * v;
        }
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
                s += (double) blockWeights[wo + m] * y[m] * y[m];
            }
        }
        return (float) Math.sqrt(Math.max(0, s));
    }

    @Override
    public void distances(float[] x, float[] mean, int from, int to, float[] scores) {
        Workspace work = new Workspace(d);
        for (int p = from; p < to; p++) {
            scores[p] = distance(x, p * d, mean, p * d, p, work);
        }
    }

    /** The precisions as full matrices: for export and tests, not for scoring (P d^2 r products). */
    @Override
    public float[] dense() {
        float[] out = new float[Math.multiplyExact(positions, d * d)];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    double s = i == j ? diagonal[p * d + i] : 0;
                    for (int m = 0; m < rank; m++) {
                        s += (double) weights[p * rank + m] * blocked[blockedIndex(p, i, m)]
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
        store.put(DIAGONAL, NpyArray.ofFloats(diagonal, positions, d));
        store.put(AXES, NpyArray.ofFloats(axes(), positions, d, rank));
        store.put(WEIGHTS, NpyArray.ofFloats(weights, positions, rank));
    }
}
