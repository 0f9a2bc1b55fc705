package org.anomalyj.api;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.function.Function;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.backbone.BackboneDescriptor;
import org.anomalyj.backbone.Backbones;
import org.anomalyj.backbone.FeatureExtractor;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.backbone.ResolvedBackbone;
import org.anomalyj.data.ImageReader;
import org.anomalyj.img.FloatImage;
import org.anomalyj.img.PixelSource;
import org.anomalyj.tiling.TileGrid;
import org.anomalyj.tiling.TileStandardization;
import org.anomalyj.tiling.Tiling;
import org.anomalyj.tiling.TilingMode;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.ModelFitter;
import org.anomalyj.model.Models;
import org.anomalyj.model.stfpm.StfpmModel;
import org.anomalyj.post.AnomalyMap;

/**
 * Fits a model on good images: features of the training part stream into the method's fitter, the
 * held-out part calibrates thresholds and normalisation. Returns a complete {@link ModelBundle}.
 */
public final class Trainer {
    private final TrainOptions options;

    public Trainer(TrainOptions options) {
        this.options = options.validate();
    }

    /** Images not used for fitting: a seeded random {@code holdoutFraction} of them, at least one. */
    static List<List<Path>> split(List<Path> good, double fraction, long seed) {
        List<Path> shuffled = new ArrayList<>(good);
        Collections.shuffle(shuffled, new Random(seed));
        int held = good.size() < 2 ? 0 : Math.max(1, (int) Math.round(fraction * good.size()));
        List<Path> calibration = new ArrayList<>(shuffled.subList(0, held));
        List<Path> fit = new ArrayList<>(shuffled.subList(held, shuffled.size()));
        Collections.sort(calibration);
        Collections.sort(fit);
        List<List<Path>> out = new ArrayList<>();
        out.add(fit);
        out.add(calibration);
        return out;
    }

    JsonObject methodConfig() {
        JsonObject c = new JsonObject();
        c.addProperty("coreset_ratio", options.coresetRatio);
        c.addProperty("max_channels_per_layer", options.maxChannelsPerLayer);
        c.addProperty("projection_dim", options.projectionDim);
        c.addProperty("num_features", options.padimFeatures);
        c.addProperty("covariance_rank", options.padimRank);
        c.addProperty("seed", options.seed);
        return c;
    }

    /** A seeded random subset of at most {@code max} images (all when {@code max <= 0}), in file order. */
    static List<Path> subset(List<Path> images, int max, long seed) {
        if (max <= 0 || images.size() <= max) {
            return images;
        }
        List<Path> shuffled = new ArrayList<>(images);
        Collections.shuffle(shuffled, new Random(seed ^ 0x5DEECE66DL));
        List<Path> kept = new ArrayList<>(shuffled.subList(0, max));
        Collections.sort(kept);
        return kept;
    }

    public ModelBundle train(List<Path> goodImages, String dataName, Progress progress) {
        if (goodImages.isEmpty()) {
            throw new AnomalyJException("No good training images in " + dataName + "; put normal images in train/good.");
        }
        if (StfpmModel.isDistillation(options.method)) {
            // a trained network, not fitted statistics: its own path (needs the training engine)
            return new StfpmTraining(options).train(goodImages, dataName, progress);
        }
        TrainingClock clock = new TrainingClock();
        List<Path> used = subset(goodImages, options.maxTrainImages, options.seed);
        List<List<Path>> parts = split(used, options.holdoutFraction, options.seed);
        List<Path> fitImages = parts.get(0);
        List<Path> calImages = parts.get(1);
        ResolvedBackbone resolved = Backbones.resolve(options.backbone);
        BackboneDescriptor descriptor = resolved.descriptor();
        // Both methods default to the backbone's mid-level pair (two deepest outputs with stride
        // <= 16, e.g. stage2 + stage3). For PaDiM this measured better than anomalib's layer1-3 on
        // Magnetic Tile with the ResNet50v2 file (image AUROC 0.946 with 550 channels at stride 8
        // vs 0.887 with 200 channels at stride 4, docs/results.md), with a quarter of the positions.
        List<String> layers = descriptor.layersOrDefault(options.layers);
        byte[] onnx = resolved.onnxBytes();
        Tiling tiling = options.tiling;
        int width = options.size;
        int height = options.height > 0 ? options.height : options.size;
        if (options.size == 0 && tiling.mode() == TilingMode.ENS) {
            // An ensemble needs one geometry: the first training image's size; others are resized to it.
            int[] wh = ImageReader.size(fitImages.get(0));
            width = wh[0];
            height = wh[1];
            tiling.grid(width, height);
        }
        try (FeatureExtractor extractor = BackboneSource.open(descriptor, onnx, layers, options.threads,
                resolved.displayName())) {
            List<AnomalyModel> models = new ArrayList<>();
            long[] nanos = new long[2];
            if (!tiling.tiled()) {
                models.add(fitOne(extractor, fitImages, wholeImage(options.size), "features", nanos, progress));
            } else if (tiling.mode() == TilingMode.ST) {
                int w = width;
                int h = height;
                models.add(fitOne(extractor, fitImages, p -> tiles(TiledPipeline.resizeTo(ImageReader.open(p), w, h), tiling, -1),
                        "features (all tiles)", nanos, progress));
            } else {
                models.addAll(fitEnsemble(extractor, fitImages, tiling, width, height, nanos, progress));
            }
            long fitDone = System.nanoTime();
            List<Path> heldOut = calImages.isEmpty() ? fitImages : calImages;
            TileStandardization standardization = options.tileStandardize && tiling.mode() == TilingMode.ENS
                    ? tileStatistics(new TiledPipeline(extractor, models, tiling, width, height, options.blurSigma),
                            models.size(), heldOut, progress)
                    : null;
            ImageScorer scorer = tiling.tiled()
                    ? new TiledPipeline(extractor, models, tiling, width, height, options.blurSigma, standardization)
                    : new InferencePipeline(extractor, models.get(0), options.size, options.blurSigma);
            Calibration calibration = calibrate(scorer, heldOut, progress);
            long calibrationDone = System.nanoTime();
            JsonObject training = new JsonObject();
            training.addProperty("data", dataName);
            training.addProperty("images_fit", fitImages.size());
            training.addProperty("images_calibration", calImages.size());
            if (used.size() < goodImages.size()) {
                training.addProperty("images_available", goodImages.size());
            }
            clock.record(training, nanos[0] / 1e9, nanos[1] / 1e9, (calibrationDone - fitDone) / 1e9);
            training.addProperty("seed", options.seed);
            training.addProperty("backbone_source", resolved.displayName());
            training.addProperty("anomalyj_version", Version.get());
            training.add("options", methodConfig());
            return new ModelBundle(models, tiling, standardization, width, height, descriptor, onnx, layers,
                    options.blurSigma, calibration, training);
        }
    }

    /**
     * One model per tile location, fitted independently: one after another (memory of one tile
     * location's features), or {@code tileJobs} at a time (that many locations' features at once).
     * The backbone session is shared; ONNX Runtime runs concurrent calls safely.
     */
    private List<AnomalyModel> fitEnsemble(FeatureExtractor extractor, List<Path> images, Tiling tiling, int width,
            int height, long[] nanos, Progress progress) {
        int count = tiling.grid(width, height).count();
        AnomalyModel[] models = new AnomalyModel[count];
        int jobs = Math.max(1, Math.min(options.tileJobs, count));
        ExecutorService pool = jobs == 1 ? null : Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "anomalyj-tile-fit");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int location = i;
                Runnable fit = () -> models[location] = fitOne(extractor, images,
                        p -> tiles(TiledPipeline.resizeTo(ImageReader.open(p), width, height), tiling, location),
                        "tile " + (location + 1) + "/" + count + " features", nanos, progress);
                if (pool == null) {
                    fit.run();
                } else {
                    pending.add(pool.submit(fit));
                }
            }
            for (Future<?> f : pending) {
                await(f);
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return java.util.Arrays.asList(models);
    }

    /**
     * Fits one model on the inputs each image yields; adds the time spent extracting features and
     * fitting to {@code nanos[0]} and {@code nanos[1]}.
     */
    private AnomalyModel fitOne(FeatureExtractor extractor, List<Path> images,
            Function<Path, Iterator<FloatImage>> inputs, String stage, long[] nanos, Progress progress) {
        long t0 = System.nanoTime();
        ModelFitter fitter = Models.fitter(options.method, methodConfig());
        extractFeatures(extractor, fitter, images, inputs, stage, progress);
        long t1 = System.nanoTime();
        AnomalyModel model = fitter.fit(progress);
        long t2 = System.nanoTime();
        synchronized (nanos) {
            nanos[0] += t1 - t0;
            nanos[1] += t2 - t1;
        }
        return model;
    }

    /** Each tile location's map and score statistics on held-out good images (before merging). */
    private static TileStandardization tileStatistics(TiledPipeline raw, int locations, List<Path> images,
            Progress progress) {
        TileStandardization.Builder b = new TileStandardization.Builder(locations);
        for (int i = 0; i < images.size(); i++) {
            progress.checkCancelled();
            PixelSource image = raw.geometry(ImageReader.open(images.get(i)));
            for (int l = 0; l < locations; l++) {
                Prediction p = raw.predictTile(image, l);
                b.add(l, p.map().values(), p.score());
            }
            progress.update("tile statistics", i + 1, images.size());
        }
        return b.build();
    }

    /** The model input of an untiled model: the whole image resized to {@code size x size}. */
    static Function<Path, Iterator<FloatImage>> wholeImage(int size) {
        return p -> Collections.singletonList(InferencePipeline.toModelInput(ImageReader.open(p), size)).iterator();
    }

    /** The model inputs of one image: tile {@code location}'s crop, or every tile when location < 0; cut lazily. */
    static Iterator<FloatImage> tiles(PixelSource image, Tiling tiling, int location) {
        TileGrid grid = tiling.grid(image.width(), image.height());
        int first = location < 0 ? 0 : location;
        int end = location < 0 ? grid.count() : location + 1;
        return new Iterator<FloatImage>() {
            int next = first;

            @Override
            public boolean hasNext() {
                return next < end;
            }

            @Override
            public FloatImage next() {
                if (next >= end) {
                    throw new java.util.NoSuchElementException();
                }
                int i = next++;
                return grid.crop(image, i).withChannels(3);
            }
        };
    }

    /**
     * Streams every image's features into the fitter. The fitter's work on image i (aggregation,
     * copying) runs on a second thread while the backbone runs on image i+1, so the two overlap;
     * at most two images' features are held at once.
     */
    void extractFeatures(FeatureExtractor extractor, ModelFitter fitter, List<Path> images,
            Function<Path, Iterator<FloatImage>> inputs, String stage, Progress progress) {
        ExecutorService adder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "anomalyj-fit-add");
            t.setDaemon(true);
            return t;
        });
        Future<?> pending = null;
        try {
            int i = 0;
            for (Path p : images) {
                progress.checkCancelled();
                for (Iterator<FloatImage> it = inputs.apply(p); it.hasNext();) {
                    List<FeatureMap> features = extractor.extract(it.next());
                    await(pending);
                    pending = adder.submit(() -> fitter.add(features));
                }
                progress.update(stage, ++i, images.size());
            }
            await(pending);
        } finally {
            adder.shutdownNow();
        }
    }

    /** Waits for the previous add; its exception (e.g. a user error) is rethrown as it was. */
    private static void await(Future<?> pending) {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Progress.CancelledException();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    static Calibration calibrate(ImageScorer pipeline, List<Path> images, Progress progress) {
        double[] scores = new double[images.size()];
        double[] maxima = new double[images.size()];
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < images.size(); i++) {
            progress.checkCancelled();
            Prediction p = pipeline.predict(ImageReader.open(images.get(i)));
            scores[i] = p.score();
            AnomalyMap m = p.map();
            maxima[i] = m.max();
            for (float v : m.values()) {
                min = Math.min(min, v);
            }
            progress.update("calibration", i + 1, images.size());
        }
        return Calibration.fromGoodImages(scores, maxima, min);
    }
}
