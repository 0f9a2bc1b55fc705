package org.anomalyj.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.anomalyj.Progress;
import org.anomalyj.model.patchcore.GreedyCoreset;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Greedy k-center selection of 1% of {@code n} projected points ({@code dim} dims), and the
 * projection itself. {@code data}: {@code iid} post-ReLU-like noise (no dominant directions: the
 * selection runs without its principal-axis bound), {@code clustered} points around 50 centers
 * whose variance sits in a few directions, like real patch features (the bound is used).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CoresetBenchmark {
    @Param({"50000"})
    int n;
    @Param({"64", "128"})
    int dim;
    @Param({"iid", "clustered"})
    String data;

    float[] points;
    float[] raw;
    float[][] matrix;

    @Setup
    public void setUp() {
        Random r = new Random(2);
        points = "iid".equals(data) ? Data.features(r, n, dim) : clustered(r, n, dim);
        raw = Data.features(r, 4096, 1536);
        matrix = GreedyCoreset.projectionMatrix(1536, dim, new Random(3));
    }

    /** n points around 50 centers with smooth profiles over the dimensions, unit noise. */
    static float[] clustered(Random r, int n, int dim) {
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(50);
            for (int k = 0; k < dim; k++) {
                x[i * dim + k] = (float) (3 * Math.sin(c * 0.7 + k * 0.1) + 2 * Math.cos(c * 1.3 + k * 0.05) + r.nextGaussian());
            }
        }
        return x;
    }

    @Benchmark
    public int[] select() {
        return GreedyCoreset.select(points, n, dim, GreedyCoreset.coresetSize(n, 0.01), 0, Progress.NONE);
    }

    /** 4096 patches of 1536 dims projected to {@code dim}. */
    @Benchmark
    public float[] project() {
        return GreedyCoreset.project(java.util.Collections.singletonList(raw), 1536, matrix, dim);
    }
}
