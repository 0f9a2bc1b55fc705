package org.anomalyj.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.anomalyj.model.padim.LowRankPrecisions;
import org.anomalyj.model.padim.Mahalanobis;
import org.anomalyj.model.padim.PackedSymmetric;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * PaDiM's head for {@code positions} positions of {@code d} channels: one Mahalanobis distance per
 * position, each with its own d x d inverse covariance (a real 32 x 32 map has 1024 positions;
 * fewer here so the matrices fit the benchmark heap; time scales linearly).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MahalanobisBenchmark {
    @Param({"64"})
    int positions;
    @Param({"100", "550"})
    int d;

    float[] x;
    float[] mean;
    float[] inverse;
    /** The same inverses as packed upper triangles (PaDiM's layout since 2026-11-25). */
    PackedSymmetric packed;
    /** Rank-64 precisions (diagonal plus low rank) of the same size: {@code --padim-rank 64}. */
    LowRankPrecisions lowRank;
    float[] out;

    @Setup
    public void setUp() {
        Random r = new Random(4);
        x = Data.features(r, positions, d);
        mean = Data.features(r, positions, d);
        inverse = new float[positions * d * d];
        // a symmetric matrix per position, diagonally dominant (positive definite)
        for (int p = 0; p < positions; p++) {
            int o = p * d * d;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    float v = (float) (r.nextGaussian() * 0.01);
                    inverse[o + i * d + j] = v;
                    inverse[o + j * d + i] = v;
                }
                inverse[o + i * d + i] = 1f + r.nextFloat();
            }
        }
        packed = PackedSymmetric.ofUpper(inverse, positions, d);
        int rank = Math.min(64, d);
        float[] axes = Data.features(r, positions, d * rank); // any values: the kernel's cost is the same
        float[] diagonal = new float[positions * d];
        float[] weights = new float[positions * rank];
        java.util.Arrays.fill(diagonal, 100f);
        java.util.Arrays.fill(weights, -1f);
        lowRank = new LowRankPrecisions(positions, d, rank, diagonal, axes, weights);
        out = new float[positions];
    }

    /** The low-rank kernel of {@code --padim-rank 64}: d x 65 floats per position instead of d^2 / 2. */
    @Benchmark
    public float[] lowRank64() {
        lowRank.distances(x, mean, 0, positions, out);
        return out;
    }

    @Benchmark
    public float[] distances() {
        double[] diff = new double[d];
        for (int p = 0; p < positions; p++) {
            out[p] = Mahalanobis.distance(x, p * d, mean, p * d, inverse, (long) p * d * d, d, diff);
        }
        return out;
    }

    /** The four-rows-at-a-time kernel PaDiM uses, on packed triangles, with its workspace (no allocation). */
    @Benchmark
    public float[] packedFourRows() {
        Mahalanobis.Workspace work = new Mahalanobis.Workspace(d);
        float[] tri = packed.data();
        for (int p = 0; p < positions; p++) {
            out[p] = Mahalanobis.distancePacked(x, p * d, mean, p * d, tri, packed.offset(p), d, work);
        }
        return out;
    }

    /** The former PaDiM kernel (one dot product per row of the upper triangle), kept here as the baseline. */
    @Benchmark
    public float[] symmetricRowDots() {
        float[] diff = new float[d];
        for (int p = 0; p < positions; p++) {
            out[p] = rowDots(x, p * d, mean, p * d, inverse, p * d * d, d, diff);
        }
        return out;
    }

    /**
     * The four-row accumulation reading the rows in place (offset index into the inverse, plain
     * index into z): shows what copying the rows to scratch arrays buys.
     */
    @Benchmark
    public float[] symmetricFourRowsInPlace() {
        float[] diff = new float[d];
        float[] z = new float[d];
        for (int p = 0; p < positions; p++) {
            out[p] = fourRowsInPlace(x, p * d, mean, p * d, inverse, p * d * d, d, diff, z);
        }
        return out;
    }

    static float rowDots(float[] x, int xo, float[] mean, int mo, float[] inv, int base, int d, float[] diff) {
        for (int i = 0; i < d; i++) {
            diff[i] = x[xo + i] - mean[mo + i];
        }
        double s = 0;
        for (int i = 0; i < d; i++) {
            int row = base + i * d;
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            int j = i + 1;
            for (; j + 3 < d; j += 4) {
                s0 += inv[row + j] * diff[j];
                s1 += inv[row + j + 1] * diff[j + 1];
                s2 += inv[row + j + 2] * diff[j + 2];
                s3 += inv[row + j + 3] * diff[j + 3];
            }
            for (; j < d; j++) {
                s0 += inv[row + j] * diff[j];
            }
            s += diff[i] * ((double) inv[row + i] * diff[i] + 2 * (double) ((s0 + s1) + (s2 + s3)));
        }
        return (float) Math.sqrt(Math.max(0, s));
    }

    static float fourRowsInPlace(float[] x, int xo, float[] mean, int mo, float[] inv, int base, int d,
            float[] diff, float[] z) {
        for (int i = 0; i < d; i++) {
            diff[i] = x[xo + i] - mean[mo + i];
            z[i] = 0f;
        }
        double diag = 0;
        int i = 0;
        for (; i + 3 < d; i += 4) {
            int r0 = base + i * d;
            int r1 = r0 + d;
            int r2 = r1 + d;
            int r3 = r2 + d;
            float a0 = diff[i];
            float a1 = diff[i + 1];
            float a2 = diff[i + 2];
            float a3 = diff[i + 3];
            diag += (double) inv[r0 + i] * a0 * a0 + (double) inv[r1 + i + 1] * a1 * a1
                    + (double) inv[r2 + i + 2] * a2 * a2 + (double) inv[r3 + i + 3] * a3 * a3;
            z[i + 1] += a0 * inv[r0 + i + 1];
            z[i + 2] += a0 * inv[r0 + i + 2] + a1 * inv[r1 + i + 2];
            z[i + 3] += a0 * inv[r0 + i + 3] + a1 * inv[r1 + i + 3] + a2 * inv[r2 + i + 3];
            for (int j = i + 4; j < d; j++) {
                z[j] += a0 * inv[r0 + j] + a1 * inv[r1 + j] + a2 * inv[r2 + j] + a3 * inv[r3 + j];
            }
        }
        for (; i < d; i++) {
            int row = base + i * d;
            float a = diff[i];
            diag += (double) inv[row + i] * a * a;
            for (int j = i + 1; j < d; j++) {
                z[j] += a * inv[row + j];
            }
        }
        double off = 0;
        for (int j = 0; j < d; j++) {
            off += (double) diff[j] * z[j];
        }
        return (float) Math.sqrt(Math.max(0, diag + 2 * off));
    }
}
