package org.anomalyj.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.anomalyj.Progress;
import org.anomalyj.api.Detection;
import org.anomalyj.api.Detector;
import org.anomalyj.api.ImageScorer;
import org.anomalyj.api.InferencePipeline;
import org.anomalyj.api.Prediction;
import org.anomalyj.api.StageTimes;
import org.anomalyj.api.TiledPipeline;
import org.anomalyj.backbone.FeatureExtractor;
import org.anomalyj.data.ImageReader;
import org.anomalyj.img.FloatImage;
import org.anomalyj.img.PixelSource;
import org.anomalyj.post.Heatmap;
import org.anomalyj.tiling.TileGrid;

/**
 * Times a {@link Detector} on image files. Per image at batch 1, every stage (decode,
 * preprocess, backbone, head, post-processing, overlay) and, interleaved image by image so that
 * both see the same machine load, the backbone alone on the same inputs. Then the throughput of
 * the whole path per batch size (the backbone batched; the rest per image).
 *
 * <p>The normal detection path is not slowed for this: decode and overlay are timed here around
 * the calls a front end makes, the other stages come from the pipeline's own {@link StageTimes}.
 */
public final class BenchRunner {
    private final Detector detector;

    public BenchRunner(Detector detector) {
        this.detector = detector;
    }

    /**
     * @param images      the measured images
     * @param warmup      detections run before timing, cycling through {@code images}: the JIT
     *                    compiles the Java kernels in the background for the first few dozen
     *                    images, on the same two cores
     * @param batchSizes  batch sizes for the throughput pass (empty: none)
     */
    public BenchResult run(List<Path> images, int warmup, int[] batchSizes, Progress progress) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to benchmark");
        }
        BenchResult r = new BenchResult();
        int n = images.size();
        int w = Math.max(0, warmup);
        r.warmup = w;
        for (int i = 0; i < w; i++) {
            progress.checkCancelled();
            progress.update("warm-up", i, w);
            Path file = images.get(i % n);
            backboneOnlyMs(ImageReader.read(file));
            double ms = detectOnce(file, new long[Stage.values().length]) / 1e6;
            if (i == 0) {
                r.firstImageMs = ms;
            }
        }
        Map<Stage, double[]> ms = new EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            ms.put(s, new double[n]);
        }
        double[] total = new double[n];
        double[] backbone = new double[n];
        long[] stage = new long[Stage.values().length];
        for (int i = 0; i < n; i++) {
            progress.checkCancelled();
            progress.update("batch 1", i, n);
            // the backbone alone first, on an image decoded outside the timing
            backbone[i] = backboneOnlyMs(ImageReader.read(images.get(i)));
            total[i] = detectOnce(images.get(i), stage) / 1e6;
            if (w == 0 && i == 0) {
                r.firstImageMs = total[i];
            }
            for (Stage s : Stage.values()) {
                ms.get(s)[i] = stage[s.ordinal()] / 1e6;
            }
        }
        r.stageMs.putAll(ms);
        r.totalMs = total;
        r.backboneOnlyMs = backbone;
        for (int b : batchSizes) {
            progress.checkCancelled();
            progress.update("batch " + b, 0, 1);
            r.throughput.add(throughput(images, b));
        }
        if (!(detector.pipeline() instanceof InferencePipeline)) {
            r.batchNote = "tiled model: tiles run one at a time, batch sizes above 1 are not measured";
        }
        return r;
    }

    /** The whole detection of one file as a front end does it; fills {@code stage} (ns), returns the wall time (ns). */
    private long detectOnce(Path file, long[] stage) {
        long t0 = System.nanoTime();
        FloatImage image = ImageReader.read(file);
        long t1 = System.nanoTime();
        Prediction p = detector.pipeline().predict(image);
        long t2 = System.nanoTime();
        Detection d = detector.toDetection(p, image.width(), image.height(), file.getFileName().toString());
        long t3 = System.nanoTime();
        Heatmap.overlay(image, d.map(), detector.calibration().pixel(), Heatmap.DEFAULT_OPACITY);
        long t4 = System.nanoTime();
        StageTimes st = p.times();
        stage[Stage.DECODE.ordinal()] = t1 - t0;
        stage[Stage.PREPROCESS.ordinal()] = st.preprocessNanos;
        stage[Stage.BACKBONE.ordinal()] = st.backboneNanos;
        stage[Stage.HEAD.ordinal()] = st.headNanos;
        // whatever predict spent outside its own stage timers is counted as post-processing
        long unaccounted = (t2 - t1) - st.totalNanos();
        stage[Stage.POST.ordinal()] = st.postNanos + Math.max(0, unaccounted) + (t3 - t2);
        stage[Stage.OVERLAY.ordinal()] = t4 - t3;
        return t4 - t0;
    }

    /** The backbone alone on the inputs the pipeline would give it (every tile of a tiled model), in ms. */
    double backboneOnlyMs(FloatImage image) {
        FeatureExtractor extractor = detector.extractor();
        ImageScorer scorer = detector.pipeline();
        List<FloatImage> inputs = new ArrayList<>();
        if (scorer instanceof InferencePipeline) {
            inputs.add(InferencePipeline.toModelInput(image, ((InferencePipeline) scorer).size()));
        } else {
            TiledPipeline tiled = (TiledPipeline) scorer;
            PixelSource src = tiled.geometry(image);
            TileGrid grid = tiled.tiling().grid(src.width(), src.height());
            for (int i = 0; i < grid.count(); i++) {
                FloatImage crop = grid.crop(src, i);
                inputs.add(InferencePipeline.toModelInput(crop, grid.tile()));
            }
        }
        long t = 0;
        for (FloatImage in : inputs) {
            long t0 = System.nanoTime();
            extractor.extract(in);
            t += System.nanoTime() - t0;
        }
        return t / 1e6;
    }

    /**
     * Images per second over all images, the backbone run on {@code batch} images at a time (one
     * untimed batch first, so that ONNX Runtime has planned its buffers for this batch shape).
     */
    private BenchResult.Throughput throughput(List<Path> images, int batch) {
        ImageScorer scorer = detector.pipeline();
        if (batch > 1 && !(scorer instanceof InferencePipeline)) {
            return new BenchResult.Throughput(batch, Double.NaN, "tiled model: no batched path");
        }
        try {
            runBatch(images.subList(0, Math.min(batch, images.size())), scorer);
            long t0 = System.nanoTime();
            for (int from = 0; from < images.size(); from += batch) {
                runBatch(images.subList(from, Math.min(images.size(), from + batch)), scorer);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new BenchResult.Throughput(batch, images.size() / seconds, null);
        } catch (org.anomalyj.AnomalyJException | IllegalArgumentException e) {
            // e.g. a backbone exported with a fixed batch dimension of 1
            return new BenchResult.Throughput(batch, Double.NaN, "backbone failed on a batch of " + batch + ": "
                    + e.getMessage());
        }
    }

    /** Decode, predict (batched when more than one), verdict, regions and overlay of some files. */
    private void runBatch(List<Path> files, ImageScorer scorer) {
        List<FloatImage> decoded = new ArrayList<>(files.size());
        for (Path f : files) {
            decoded.add(ImageReader.read(f));
        }
        List<Prediction> predictions;
        if (decoded.size() == 1) {
            predictions = new ArrayList<>(1);
            predictions.add(scorer.predict(decoded.get(0)));
        } else {
            predictions = ((InferencePipeline) scorer).predictBatch(decoded);
        }
        for (int i = 0; i < predictions.size(); i++) {
            FloatImage image = decoded.get(i);
            Detection d = detector.toDetection(predictions.get(i), image.width(), image.height(), "");
            Heatmap.overlay(image, d.map(), detector.calibration().pixel(), Heatmap.DEFAULT_OPACITY);
        }
    }
}
