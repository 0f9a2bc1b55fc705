package org.anomalyj.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.anomalyj.model.padim.CholeskyInverter;
import org.anomalyj.model.padim.CholeskyInverterTest;
import org.anomalyj.model.padim.Gaussians;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * PaDiM's fit kernels at d = 550 (ResNet50v2 stages 2+3): adding 32 images' vectors at
 * {@code positions} positions to the Gaussians (a real 32 x 32 map has 1024 positions; time scales
 * linearly), and inverting one 550 x 550 covariance (the fit inverts 1024, on all threads). The
 * {@code former*} benchmarks are the scalar loops these replaced (kept here only for comparison):
 * a rank-1 update per image over a flat triangle, and dot-product Cholesky, L^-1 and L^-T L^-1.
 * The statistics run on all threads (parallel over positions), the inverses on one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PadimFitBenchmark {
    private static final int D = 550;
    private static final int IMAGES = 32;

    @Param({"16"})
    int positions;

    float[][] images;
    Gaussians gaussians;
    double[] formerShift;
    double[] formerSum;
    double[] formerOuter;
    double[] covariance;
    CholeskyInverter inverter;
    double[] inverse;

    @Setup
    public void setUp() {
        Random r = new Random(5);
        images = new float[IMAGES][];
        for (int i = 0; i < IMAGES; i++) {
            images[i] = Data.features(r, positions, D);
        }
        gaussians = new Gaussians(positions, D, IMAGES);
        formerShift = new double[positions * D];
        formerSum = new double[positions * D];
        formerOuter = new double[positions * (D * (D + 1) / 2)];
        Gaussians g = new Gaussians(1, D);
        for (int i = 0; i < 2 * D; i++) {
            g.add(Data.features(r, 1, D));
        }
        covariance = g.covariance(0, 0.01);
        inverter = new CholeskyInverter(D);
        inverse = new double[D * D];
    }

    /** 32 images added as one rank-32 update per position. */
    @Benchmark
    public Gaussians statistics() {
        for (float[] x : images) {
            gaussians.add(x);
        }
        gaussians.flush();
        return gaussians;
    }

    /** The same 32 images as rank-1 updates with the former loop (parallel over positions, as it ran). */
    @Benchmark
    public double[] formerStatistics() {
        int tri = D * (D + 1) / 2;
        for (float[] x : images) {
            IntStream.range(0, positions).parallel().forEach(p -> {
                double[] v = new double[D];
                int o = p * D;
                for (int i = 0; i < D; i++) {
                    v[i] = x[o + i] - formerShift[o + i];
                    formerSum[o + i] += v[i];
                }
                int t = p * tri;
                for (int i = 0; i < D; i++) {
                    double vi = v[i];
                    for (int j = i; j < D; j++) {
                        formerOuter[t++] += vi * v[j];
                    }
                }
            });
        }
        return formerOuter;
    }

    /** One 550 x 550 inverse, buffers reused as in the fit. */
    @Benchmark
    public double[] invert() {
        inverter.invert(covariance, inverse);
        return inverse;
    }

    /** One 550 x 550 inverse with the former scalar loops. */
    @Benchmark
    public double[] formerInvert() {
        return CholeskyInverterTest.referenceInverse(covariance, D);
    }
}
