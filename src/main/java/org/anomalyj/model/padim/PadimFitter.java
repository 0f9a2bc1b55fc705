package org.anomalyj.model.padim;

import com.google.gson.JsonArray;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.model.FeatureAggregator;
import org.anomalyj.model.ModelFitter;
import org.anomalyj.model.PatchEmbedding;

/**
 * Fits PaDiM: layers aggregated without pooling (nearest upsampling, as anomalib), a seeded random
 * subset of d channels (sorted), and per position a Gaussian estimated in one streaming pass
 * ({@link Gaussians}, which adds the images in batches of {@value Gaussians#DEFAULT_BATCH});
 * the fit adds epsilon * I and inverts each covariance by Cholesky ({@link CholeskyInverter},
 * parallel over positions, buffers reused per task). At 1024 positions and d = 550 (ResNet50v2
 * stages 2+3, 256 px) statistics and inverses each take about 10 CPU seconds (docs/performance.md).
 * With a covariance rank ({@link PadimConfig#covarianceRank()}) it keeps each covariance's leading
 * principal axes instead ({@link LowRankPrecisions}, found by {@link SubspaceEigen}).
 * Not thread-safe.
 */
public final class PadimFitter implements ModelFitter {
    /** Positions per parallel task of the inversion: few enough that 2 threads stay balanced. */
    private static final int POSITIONS_PER_TASK = 8;
    /** Extra columns of the low-rank fit's subspace iteration. */
    static final int EIGEN_OVERSAMPLING = 16;
    /** Multiplications of the low-rank fit's subspace iteration after the first. */
    static final int EIGEN_ITERATIONS = 4;

    private final PadimConfig config;
    private JsonArray layers;
    private int[] channels;
    private int height;
    private int width;
    private Gaussians gaussians;

    public PadimFitter(PadimConfig config) {
        this.config = config;
    }

    /** Sorted random subset of min(d, total) channel indices, from the seed (recorded with the model). */
    static int[] selectChannels(int total, int d, long seed) {
        int[] all = new int[total];
        for (int i = 0; i < total; i++) {
            all[i] = i;
        }
        Random random = new Random(seed);
        for (int i = total - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, Math.min(d, total));
        Arrays.sort(out);
        return out;
    }

    @Override
    public void add(List<FeatureMap> features) {
        if (layers == null) {
            layers = FeatureAggregator.describeLayers(features);
        } else {
            FeatureAggregator.checkLayers(layers, features, PadimModel.METHOD);
        }
        if (gaussians == null) {
            int embeddingDim = 0; // PaDiM's aggregation keeps every channel
            for (FeatureMap f : features) {
                embeddingDim += f.channels();
            }
            channels = selectChannels(embeddingDim, config.numFeatures(), config.seed());
        }
        PatchEmbedding e = PadimModel.embed(features, channels);
        if (gaussians == null) {
            height = e.height();
            width = e.width();
            gaussians = new Gaussians(e.positions(), channels.length);
        } else if (e.height() != height || e.width() != width) {
            throw new AnomalyJException("PaDiM needs every training image at the same feature size, got " + e.width()
                    + "x" + e.height() + " after " + width + "x" + height + "; resize the images to one size.");
        }
        gaussians.add(e.data());
    }

    @Override
    public int count() {
        return gaussians == null ? 0 : gaussians.count();
    }

    @Override
    public PadimModel fit(Progress progress) {
        if (count() < 2) {
            throw new AnomalyJException("PaDiM needs at least 2 normal training images to estimate covariances, got "
                    + count() + "; add more training images.");
        }
        gaussians.flush();
        Precisions precisions = config.covarianceRank() > 0 ? lowRank(progress) : full(progress);
        return new PadimModel(config, layers, height, width, channels, gaussians.mean(), precisions, count());
    }

    /** Full precisions: each covariance inverted by Cholesky. */
    private Precisions full(Progress progress) {
        int d = channels.length;
        // written straight into packed upper triangles, the layout the model scores with
        PackedSymmetric inv = PackedSymmetric.zeros(height * width, d);
        forEachCovariance(progress, "covariance inverses", () -> {
            CholeskyInverter inverter = new CholeskyInverter(d);
            return (p, covariance) -> {
                try {
                    inverter.invertPacked(covariance, inv.data(), inv.offset(p));
                } catch (IllegalArgumentException e) {
                    throw new AnomalyJException("PaDiM covariance at position " + p + " is singular; use epsilon > 0.");
                }
            };
        });
        return new FullPrecisions(inv);
    }

    /**
     * Low-rank precisions: per position the r leading eigenpairs (V, theta) of the covariance (with
     * epsilon on its diagonal) by {@link SubspaceEigen}, then the precision of a covariance model
     * with those axes ({@link LowRankCovariance}). No d x d inverse is formed.
     */
    private Precisions lowRank(Progress progress) {
        int positions = height * width;
        int d = channels.length;
        int r = Math.min(config.covarianceRank(), d);
        float[] diagonal = new float[positions * d];
        float[] axes = new float[Math.multiplyExact(positions, Math.multiplyExact(d, r))];
        float[] weights = new float[positions * r];
        forEachCovariance(progress, "covariance principal axes", () -> {
            SubspaceEigen eigen = new SubspaceEigen(d, r, EIGEN_OVERSAMPLING, EIGEN_ITERATIONS);
            LowRankCovariance model = new LowRankCovariance(d, r);
            double[] values = new double[r];
            double[] vectors = new double[d * r];
            return (p, covariance) -> {
                try {
                    // seeded per position: the same axes whatever the threads' schedule
                    eigen.leading(covariance, new Random(config.seed() ^ (0x9E3779B97F4A7C15L * (p + 1))), values,
                            vectors);
                } catch (IllegalArgumentException e) {
                    throw new AnomalyJException("PaDiM covariance at position " + p + " has fewer than "
                            + (r + EIGEN_OVERSAMPLING) + " independent directions; use epsilon > 0 or a smaller "
                            + "covariance rank.");
                }
                model.precision(covariance, config.epsilon(), values, vectors, diagonal, p * d, axes, p * d * r,
                        weights, p * r);
            };
        });
        return new LowRankPrecisions(positions, d, r, diagonal, axes, weights);
    }

    /** What a task does with each of its positions' covariances. */
    private interface PositionWork {
        void accept(int position, double[] covariance);
    }

    /**
     * Hands every position's covariance (epsilon on its diagonal) to a {@link PositionWork}, in
     * parallel tasks of a few positions. Each task makes its own work from {@code perTask} (and so
     * its buffers: 7 MB at d = 550 for the inverter, allocated per task rather than per position)
     * and its own covariance buffer; progress is reported as {@code stage}.
     */
    private void forEachCovariance(Progress progress, String stage, Supplier<PositionWork> perTask) {
        int positions = height * width;
        int d = channels.length;
        AtomicInteger done = new AtomicInteger();
        int tasks = (positions + POSITIONS_PER_TASK - 1) / POSITIONS_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(task -> {
            PositionWork work = perTask.get();
            double[] covariance = new double[d * d];
            for (int p = task * POSITIONS_PER_TASK; p < Math.min(positions, (task + 1) * POSITIONS_PER_TASK); p++) {
                progress.checkCancelled();
                gaussians.covariance(p, config.epsilon(), covariance);
                work.accept(p, covariance);
                int n = done.incrementAndGet();
                if (n % 256 == 0) {
                    progress.update(stage, n, positions);
                }
            }
        });
        progress.update(stage, positions, positions);
    }
}
