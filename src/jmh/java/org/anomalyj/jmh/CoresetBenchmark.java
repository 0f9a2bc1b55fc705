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

/** Greedy k-center selection of 1% of {@code n} projected points ({@code dim} dims), and the projection itself. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CoresetBenchmark {
    @Param({"50000"})
    int n;
    @Param({"64", "128"})
    int dim;

    float[] points;
    float[] raw;
    float[][] matrix;

    @Setup
    public void setUp() {
        Random r = new Random(2);
        points = Data.features(r, n, dim);
        raw = Data.features(r, 4096, 1536);
        matrix = GreedyCoreset.projectionMatrix(1536, dim, new Random(3));
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
