package org.anomalyj.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.anomalyj.post.GaussianBlur;
import org.anomalyj.tiling.SeamSmoother;
import org.anomalyj.tiling.TileGrid;
import org.anomalyj.tiling.TileMerger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Post-processing kernels: the sigma-4 Gaussian blur of a 256 x 256 map, and merging nine
 * overlapping 256-pixel tile maps of a 512 x 512 image (stride 128) with seam smoothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PostBenchmark {
    float[] map;
    float[][] tiles;
    TileGrid grid;

    @Setup
    public void setUp() {
        Random r = new Random(5);
        map = new float[256 * 256];
        for (int i = 0; i < map.length; i++) {
            map[i] = r.nextFloat();
        }
        grid = new TileGrid(512, 512, 256, 128);
        tiles = new float[grid.count()][];
        for (int t = 0; t < tiles.length; t++) {
            tiles[t] = map.clone();
        }
    }

    @Benchmark
    public float[] gaussianBlur256() {
        return GaussianBlur.blur(map, 256, 256, 4.0);
    }

    @Benchmark
    public float[] tileMerge512() {
        TileMerger m = new TileMerger(grid);
        for (int t = 0; t < tiles.length; t++) {
            m.add(t, tiles[t]);
        }
        float[] merged = m.average();
        SeamSmoother.smooth(merged, grid, 26, 4.0);
        return merged;
    }
}
