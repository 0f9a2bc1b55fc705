package org.anomalyj.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.anomalyj.model.padim.Mahalanobis;
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
        out = new float[positions];
    }

    @Benchmark
    public float[] distances() {
        double[] diff = new double[d];
        for (int p = 0; p < positions; p++) {
            out[p] = Mahalanobis.distance(x, p * d, mean, p * d, inverse, (long) p * d * d, d, diff);
        }
        return out;
    }

    /** The upper-triangle kernel PaDiM uses. */
    @Benchmark
    public float[] symmetric() {
        float[] diff = new float[d];
        for (int p = 0; p < positions; p++) {
            out[p] = Mahalanobis.distanceSymmetric(x, p * d, mean, p * d, inverse, (long) p * d * d, d, diff);
        }
        return out;
    }
}
