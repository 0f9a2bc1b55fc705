package org.anomalyj.quant;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.InferencePipeline;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.api.Trainer;
import org.anomalyj.backbone.BackboneDescriptor;
import org.anomalyj.backbone.Hashes;
import org.anomalyj.data.Category;
import org.anomalyj.data.Datasets;
import org.anomalyj.data.ImageReader;
import org.anomalyj.img.FloatImage;
import org.anomalyj.model.stfpm.StfpmModel;

/**
 * Quantizes the backbone embedded in a model bundle and returns an ordinary bundle around it: the
 * head (memory bank or Gaussians) and calibration stay as fitted, the descriptor's sha256 follows
 * the new bytes, and {@code training.quantization} in model.json records what was done. Every
 * command loads the result like any other bundle.
 */
public final class BundleQuantizer {
    private BundleQuantizer() {
    }

    /**
     * What {@code anomalyj quantize} and the Fiji command do: {@link #quantize} and, when
     * {@code options.refit} asks for it (or, for INT8 when it is not given, when the quantized
     * backbone's features moved too far from the float ones the head was fitted on:
     * {@link QuantizeOptions#refitByDefault}), {@link #refit}. {@code training.quantization} in the
     * result records the feature error ({@code feature_error}) and whether the head was refitted.
     *
     * @throws AnomalyJException if a refit is asked for an STFPM/DCAM model (its head is a trained network)
     */
    public static ModelBundle quantizeBundle(ModelBundle bundle, Path bundleFile, QuantizeOptions options, Progress progress,
            Consumer<String> warn) {
        if (Boolean.TRUE.equals(options.refit)) {
            refusesRefitOfATrainedHead(bundle, bundleFile);
        }
        ModelBundle q = quantize(bundle, bundleFile, options, progress, warn);
        double error = Double.NaN;
        if (options.precision == Precision.INT8) {
            error = FeatureError.relative(bundle, q, calibrationFiles(bundle, bundleFile, options), options.threads);
            q.training().getAsJsonObject("quantization").addProperty("feature_error", error);
        }
        boolean refit = options.refit != null ? options.refit
                : QuantizeOptions.refitByDefault(options.precision, bundle.method(), error);
        if (!refit) {
            return q;
        }
        ModelBundle r = refit(q, bundleFile, options, progress);
        if (!Double.isNaN(error)) {
            r.training().getAsJsonObject("quantization").addProperty("feature_error", error);
        }
        return r;
    }

    /** The square input the backbone sees: the model's input size, or the tile size of a tiled model. */
    static int backboneSide(ModelBundle bundle) {
        return bundle.tiling().tiled() ? bundle.tiling().tile() : bundle.inputSize();
    }

    /** An STFPM/DCAM head is a trained network, not fitted statistics: a refit is refused (before any work is done). */
    static void refusesRefitOfATrainedHead(ModelBundle bundle, Path bundleFile) {
        if (StfpmModel.isDistillation(bundle.method())) {
            throw new AnomalyJException("Model " + bundleFile + " is an " + bundle.method().toUpperCase(java.util.Locale.ROOT)
                    + " model, whose head is a trained student network rather than a fitted memory bank or Gaussians,"
                    + " so it cannot be refitted; quantize it without a refit (leave out --refit, or untick Refit in Fiji).");
        }
    }

    public static ModelBundle quantize(ModelBundle bundle, Path bundleFile, QuantizeOptions options, Progress progress,
            Consumer<String> warn) {
        byte[] onnx = bundle.backboneOnnx();
        if (onnx == null) {
            throw new AnomalyJException("Model " + bundleFile + " uses the built-in backbone, which has no ONNX model to"
                    + " quantize; train with an ONNX backbone (--backbone FILE.onnx) first.");
        }
        String source = "model " + bundleFile;
        String existing = BackboneQuantizer.existingQuantization(onnx, source);
        if (existing != null) {
            throw new AnomalyJException("Model " + bundleFile + " is already quantized (" + existing
                    + "); quantize the float model it was made from.");
        }
        QuantizedBackbone q;
        if (options.precision == Precision.FP16) {
            q = BackboneQuantizer.toFp16(onnx, source);
        } else {
            List<Path> files = calibrationFiles(bundle, bundleFile, options);
            List<float[]> tensors = new ArrayList<>();
            int side = backboneSide(bundle);
            for (Path p : files) {
                progress.checkCancelled();
                tensors.add(inputTensor(ImageReader.read(p), bundle.backbone(), side));
            }
            q = BackboneQuantizer.toInt8(onnx, source, bundle.backbone().input(), tensors, side, side,
                    options.calibration, options.threads, progress);
        }
        for (String w : q.warnings()) {
            warn.accept(w);
        }
        byte[] bytes = q.onnx();
        JsonObject report = q.report();
        if (options.precision == Precision.INT8) {
            report.addProperty("calibration_data", calibrationFolderOf(bundle, options).toString());
        }
        report.addProperty("float_sha256", Hashes.sha256(onnx));
        report.addProperty("float_bytes", onnx.length);
        report.addProperty("bytes", bytes.length);
        report.addProperty("head", "as fitted on the float backbone's features (post-training quantization)");
        report.addProperty("refit", false);
        JsonObject training = bundle.training().deepCopy();
        training.add("quantization", report);
        BackboneDescriptor d = bundle.backbone().withSha256(Hashes.sha256(bytes))
                .withName(bundle.backbone().name() + "-" + options.precision.id());
        return bundle.withBackbone(d, bytes, training);
    }

    /**
     * PTQ plus head refit: the bundle's training images (from {@code options.data} or the recorded
     * training folder) are passed through the quantized backbone and the head is fitted and
     * calibrated again with the bundle's own settings, so memory bank / Gaussians see the same
     * (quantized) features as detection will. A validation-set calibration of the original is not
     * repeated (the three-sigma rule on held-out images is used).
     */
    public static ModelBundle refit(ModelBundle quantized, Path bundleFile, QuantizeOptions options, Progress progress) {
        refusesRefitOfATrainedHead(quantized, bundleFile);
        Path folder = calibrationFolderOf(quantized, options);
        if (folder == null) {
            throw new AnomalyJException("Cannot refit " + bundleFile + ": its training folder no longer exists;"
                    + " pass --data with the training images.");
        }
        Category c = Datasets.openOne(folder);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("anomalyj-refit");
            String name = quantized.backbone().name();
            Path onnx = dir.resolve(name + ".onnx");
            Files.write(onnx, quantized.backboneOnnx());
            Files.write(dir.resolve(name + ".json"), quantized.backbone().toJson().toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            TrainOptions t = new TrainOptions();
            t.method = quantized.method();
            t.backbone = onnx.toString();
            t.layers = new ArrayList<>(quantized.layers());
            t.size = quantized.inputSize();
            // a non-square tiled geometry (e.g. KolektorSDD's 256 x 640) is kept: width and height
            t.height = quantized.inputHeight() != quantized.inputWidth() ? quantized.inputHeight() : 0;
            t.tiling = quantized.tiling();
            t.tileStandardize = quantized.manifest().getAsJsonObject("tiling").has("standardization");
            JsonObject tr = quantized.training();
            if (tr.has("images_available") && tr.has("images_fit") && tr.has("images_calibration")) {
                // trained with --max-train: the same seeded subset of the training images
                t.maxTrainImages = tr.get("images_fit").getAsInt() + tr.get("images_calibration").getAsInt();
            }
            t.blurSigma = quantized.blurSigma();
            t.threads = options.threads;
            JsonObject o = quantized.training().has("options") ? quantized.training().getAsJsonObject("options") : new JsonObject();
            if (o.has("coreset_ratio")) {
                t.coresetRatio = o.get("coreset_ratio").getAsDouble();
            }
            if (o.has("max_channels_per_layer")) {
                t.maxChannelsPerLayer = o.get("max_channels_per_layer").getAsInt();
            }
            if (o.has("projection_dim")) {
                t.projectionDim = o.get("projection_dim").getAsInt();
            }
            if (o.has("num_features")) {
                t.padimFeatures = o.get("num_features").getAsInt();
            }
            if (o.has("covariance_rank")) {
                t.padimRank = o.get("covariance_rank").getAsInt();
            }
            if (o.has("seed")) {
                t.seed = o.get("seed").getAsLong();
            }
            ModelBundle refit = new Trainer(t).train(c.trainGood(), folder.toString(), progress);
            JsonObject training = refit.training().deepCopy();
            JsonObject q = quantized.training().getAsJsonObject("quantization").deepCopy();
            q.addProperty("head", "refit on features of the quantized backbone");
            q.addProperty("refit", true);
            training.add("quantization", q);
            training.addProperty("backbone_source", quantized.training().has("backbone_source")
                    ? quantized.training().get("backbone_source").getAsString() + " (quantized)" : name);
            return refit.withBackbone(refit.backbone(), refit.backboneOnnx(), training);
        } catch (java.io.IOException e) {
            throw new AnomalyJException("Could not write a temporary backbone file for the refit (" + e.getMessage()
                    + "); check the free space of the temporary folder.", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (java.io.IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    /** The folder calibration images come from: --data, or the bundle's training data if it still exists. */
    static Path calibrationFolderOf(ModelBundle bundle, QuantizeOptions options) {
        if (options.data != null) {
            return options.data;
        }
        if (bundle.training().has("data")) {
            Path p = Paths.get(bundle.training().get("data").getAsString());
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    /** {@code n} images spread evenly over the folder's normal images; checks they look like the training images. */
    static List<Path> calibrationFiles(ModelBundle bundle, Path bundleFile, QuantizeOptions options) {
        Path folder = calibrationFolderOf(bundle, options);
        if (folder == null) {
            throw new AnomalyJException("No calibration images for " + bundleFile + ": its training folder "
                    + (bundle.training().has("data") ? bundle.training().get("data").getAsString() + " " : "")
                    + "no longer exists; pass --data with a folder of normal images like the training ones.");
        }
        if (!Files.isDirectory(folder)) {
            throw new AnomalyJException("Calibration folder " + folder + " does not exist; pass --data with a folder of normal images.");
        }
        Category c = Datasets.openOne(folder);
        List<Path> good = c.trainGood();
        if (good.isEmpty()) {
            throw new AnomalyJException("Calibration folder " + folder + " has no images; put normal images in it (or in its train/good).");
        }
        if (options.calibrationImages < 1) {
            throw new AnomalyJException("--calibration-images must be at least 1 (got " + options.calibrationImages + ").");
        }
        int n = Math.min(options.calibrationImages, good.size());
        List<Path> pick = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pick.add(good.get((int) ((long) i * good.size() / n)));
        }
        checkLikeTraining(bundle, folder, pick.get(0));
        return pick;
    }

    /** Calibration images of another size or colour type than the training images would calibrate the wrong ranges. */
    private static void checkLikeTraining(ModelBundle bundle, Path folder, Path first) {
        if (!bundle.training().has("data")) {
            return;
        }
        Path trainFolder = Paths.get(bundle.training().get("data").getAsString());
        if (!Files.isDirectory(trainFolder) || trainFolder.toAbsolutePath().normalize().equals(folder.toAbsolutePath().normalize())) {
            return;
        }
        List<Path> train = Datasets.openOne(trainFolder).trainGood();
        if (train.isEmpty()) {
            return;
        }
        FloatImage a = ImageReader.read(train.get(0));
        FloatImage b = ImageReader.read(first);
        if (a.channels() != b.channels() || Math.abs(Math.log((double) a.width() / a.height())
                - Math.log((double) b.width() / b.height())) > 0.2 || Math.max(a.width(), b.width()) > 2 * Math.min(a.width(), b.width())) {
            throw new AnomalyJException("Calibration image " + first + " is " + describe(b) + " but the model was trained on "
                    + describe(a) + " images (" + train.get(0) + "); pass --data with normal images like the training ones.");
        }
    }

    private static String describe(FloatImage i) {
        return i.width() + "x" + i.height() + (i.channels() == 1 ? " grey" : " colour");
    }

    /** The backbone's input for one image: resized as the pipeline does, then normalised per the descriptor (1x3xHxW). */
    static float[] inputTensor(FloatImage image, BackboneDescriptor d, int size) {
        FloatImage img = InferencePipeline.toModelInput(image, size);
        float[] src = img.data();
        int plane = size * size;
        float[] out = new float[3 * plane];
        boolean bgr = "BGR".equals(d.color());
        for (int c = 0; c < 3; c++) {
            float gain = (float) (d.scale() / d.std()[c]);
            float bias = (float) ((d.offsetBeforeScale() * d.scale() - d.mean()[c]) / d.std()[c]);
            int from = (bgr ? 2 - c : c) * plane;
            for (int i = 0; i < plane; i++) {
                out[c * plane + i] = src[from + i] * gain + bias;
            }
        }
        return out;
    }
}
