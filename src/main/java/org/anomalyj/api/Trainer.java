package org.anomalyj.api;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.ModelFitter;
import org.anomalyj.model.Models;
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
        c.addProperty("seed", options.seed);
        return c;
    }

    public ModelBundle train(List<Path> goodImages, String dataName, Progress progress) {
        if (goodImages.isEmpty()) {
            throw new AnomalyJException("No good training images in " + dataName + "; put normal images in train/good.");
        }
        long start = System.nanoTime();
        List<List<Path>> parts = split(goodImages, options.holdoutFraction, options.seed);
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
        try (FeatureExtractor extractor = BackboneSource.open(descriptor, onnx, layers, options.threads,
                resolved.displayName())) {
            ModelFitter fitter = Models.fitter(options.method, methodConfig());
            extractFeatures(extractor, fitter, fitImages, progress);
            long featuresDone = System.nanoTime();
            AnomalyModel model = fitter.fit(progress);
            long fitDone = System.nanoTime();
            InferencePipeline pipeline = new InferencePipeline(extractor, model, options.size, options.blurSigma);
            Calibration calibration = calibrate(pipeline, calImages.isEmpty() ? fitImages : calImages, progress);
            long calibrationDone = System.nanoTime();
            JsonObject training = new JsonObject();
            training.addProperty("data", dataName);
            training.addProperty("images_fit", fitImages.size());
            training.addProperty("images_calibration", calImages.size());
            training.addProperty("date", Instant.now().toString());
            training.addProperty("seconds", (calibrationDone - start) / 1e9);
            JsonObject stages = new JsonObject();
            stages.addProperty("features", (featuresDone - start) / 1e9);
            stages.addProperty("fit", (fitDone - featuresDone) / 1e9);
            stages.addProperty("calibration", (calibrationDone - fitDone) / 1e9);
            training.add("stage_seconds", stages);
            training.addProperty("seed", options.seed);
            training.addProperty("backbone_source", resolved.displayName());
            training.addProperty("anomalyj_version", Version.get());
            training.add("options", methodConfig());
            return new ModelBundle(model, descriptor, onnx, layers, options.size, options.blurSigma, calibration,
                    training);
        }
    }

    /**
     * Streams every image's features into the fitter. The fitter's work on image i (aggregation,
     * copying) runs on a second thread while the backbone runs on image i+1, so the two overlap;
     * at most two images' features are held at once.
     */
    void extractFeatures(FeatureExtractor extractor, ModelFitter fitter, List<Path> images, Progress progress) {
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
                FloatImage img = ImageReader.read(p);
                List<FeatureMap> features = extractor.extract(InferencePipeline.toModelInput(img, options.size));
                await(pending);
                pending = adder.submit(() -> fitter.add(features));
                progress.update("features", ++i, images.size());
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

    static Calibration calibrate(InferencePipeline pipeline, List<Path> images, Progress progress) {
        double[] scores = new double[images.size()];
        double[] maxima = new double[images.size()];
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < images.size(); i++) {
            progress.checkCancelled();
            Prediction p = pipeline.predict(ImageReader.read(images.get(i)));
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
