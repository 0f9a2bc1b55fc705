package org.anomalyj.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.anomalyj.model.patchcore.MemoryBank;
import org.anomalyj.model.patchcore.NearestNeighbours;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * PatchCore's head: nearest memory entry of one image's patches (1024 queries, 32 x 32 map at
 * 256 px) in a bank of {@code size x dim}. {@code javaKernel}: the blocked Java search;
 * {@code bank}: {@link MemoryBank#nearest} with the {@code knn} search (speed only: the synthetic
 * features are not low-rank like real ones, so the fast search's recall here means nothing).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KnnBenchmark {
    @Param({"2048"})
    int size;
    @Param({"1536"})
    int dim;
    /** MemoryBank's search for {@link #bank}: exact (ORT Gemm + ArgMin) or fast (subspace candidates + re-ranking). */
    @Param({"exact", "fast"})
    String knn;
    int queries = 1024;

    NearestNeighbours exact;
    MemoryBank bank;
    float[] q;
    int[] index;
    float[] distance;

    @Setup
    public void setUp() {
        System.setProperty(org.anomalyj.model.patchcore.KnnSearch.PROPERTY, knn);
        Random r = new Random(1);
        float[] b = Data.features(r, size, dim);
        q = Data.features(r, queries, dim);
        exact = new NearestNeighbours(b, size, dim);
        bank = new MemoryBank(b, size, dim, 1, null);
        index = new int[queries];
        distance = new float[queries];
        bank.nearest(q, queries, index, distance); // builds the graph search once
    }

    @Benchmark
    public float[] javaKernel() {
        exact.nearest(q, queries, index, distance);
        return distance;
    }

    @Benchmark
    public float[] bank() {
        bank.nearest(q, queries, index, distance);
        return distance;
    }
}
