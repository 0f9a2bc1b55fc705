package org.anomalyj.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.backbone.BackboneDescriptor;
import org.anomalyj.backbone.Backbones;
import org.anomalyj.backbone.FeatureExtractor;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.backbone.Hashes;
import org.anomalyj.backbone.ResolvedBackbone;
import org.anomalyj.data.Category;
import org.anomalyj.data.ImageReader;
import org.anomalyj.img.FloatImage;
import org.anomalyj.model.stfpm.DcamConfig;
import org.anomalyj.model.stfpm.StfpmAnomalyMap;
import org.anomalyj.model.stfpm.StfpmConfig;
import org.anomalyj.model.stfpm.StfpmModel;
import org.anomalyj.model.stfpm.TeacherGraph;
import org.anomalyj.model.stfpm.TeacherStudentGraph;
import org.anomalyj.tiling.Tiling;
import org.anomalyj.tiling.TilingMode;
import org.anomalyj.train.DistillationObjective;
import org.anomalyj.train.DistillationSet;
import org.anomalyj.train.EngineAvailability;
import org.anomalyj.train.StfpmTrainer;

/**
 * Trains an STFPM or DCAM bundle (one category, or with {@link #trainUnified} the union of several):
 * the frozen teacher (an ONNX backbone run by ONNX Runtime) gives target
 * features once per image, the student is trained by the training engine ({@link StfpmTrainer}),
 * and the bundle's backbone is the teacher + student graph ({@link TeacherStudentGraph}), so the
 * model is used like any other (ONNX Runtime only). Images are split as for the other methods
 * (seeded hold-out for calibration), and the fit part once more into training and the validation
 * images whose loss drives early stopping. DCAM differs only in what the student minimises
 * ({@link DistillationObjective#dcam}); its bundle is an STFPM bundle with method "dcam".
 */
final class StfpmTraining {
    private final TrainOptions options;

    StfpmTraining(TrainOptions options) {
        this.options = options;
    }

    StfpmConfig config() {
        StfpmConfig c = new StfpmConfig();
        c.maxEpochs = options.epochs;
        c.batchSize = options.batchSize;
        c.learningRate = (float) options.learningRate;
        c.patience = options.patience;
        c.seed = options.seed;
        return c.validate();
    }

    DcamConfig dcamConfig() {
        DcamConfig c = new DcamConfig();
        c.klWeight = (float) options.klWeight;
        c.cosineWeight = (float) options.cosineWeight;
        c.temperature = (float) options.klTemperature;
        c.attentionFloor = (float) options.attentionFloor;
        return c.validate();
    }

    private boolean dcam() {
        return StfpmModel.METHOD_DCAM.equals(options.method);
    }

    private String name() {
        return options.method.toUpperCase(Locale.ROOT);
    }

    ModelBundle train(List<Path> goodImages, String dataName, Progress progress) {
        return train(Collections.singletonList(goodImages), null, dataName, progress);
    }

    /**
     * One student on the good images of every category (unified, multi-class). Each category is
     * split on its own into training, validation and calibration images (same seeds and fractions as
     * one category), so every category takes part in early stopping and in the thresholds.
     */
    ModelBundle trainUnified(List<Category> categories, String dataName, Progress progress) {
        List<List<Path>> groups = new ArrayList<>();
        JsonArray names = new JsonArray();
        for (Category c : categories) {
            UnifiedTrainer.requireGoodImages(c);
            groups.add(c.trainGood());
            names.add(c.name());
        }
        return train(groups, names, dataName, progress);
    }

    /** @param categories the categories' names when unified, else null */
    private ModelBundle train(List<List<Path>> groups, JsonArray categories, String dataName, Progress progress) {
        Tiling tiling = options.tiling;
        if (tiling.mode() == TilingMode.ENS) {
            throw new AnomalyJException("An ensemble (--tiling ens) would need one " + name() + " student network per tile"
                    + " location; use --tiling st, which trains one student on the tiles of every location.");
        }
        // --tiling st: one student learns the teacher on every tile of every image (the images resized
        // to --size x --height first, or at their own size with --size native), and detection runs it
        // tile by tile and merges the maps, as for the other methods
        int width = options.size;
        int height = options.height > 0 ? options.height : options.size;
        Function<Path, Iterator<FloatImage>> inputs = tiling.tiled()
                ? p -> Trainer.tiles(TiledPipeline.resizeTo(ImageReader.open(p), width, height), tiling, -1)
                : Trainer.wholeImage(options.size);
        int inputSize = tiling.tiled() ? tiling.tile() : options.size;
        StfpmConfig config = config();
        DistillationObjective objective = dcam() ? DistillationObjective.dcam(dcamConfig()) : DistillationObjective.stfpm();
        EngineAvailability.require(name());
        ResolvedBackbone resolved = Backbones.resolve(options.backbone);
        if (resolved.isBuiltin()) {
            throw new AnomalyJException(name() + " needs a pretrained ONNX teacher; pass --backbone FILE.onnx (e.g. the"
                    + " MobileNetV2 or SqueezeNet backbone) instead of builtin.");
        }
        TrainingClock clock = new TrainingClock();
        List<Path> trainImages = new ArrayList<>();
        List<Path> validationImages = new ArrayList<>();
        List<Path> calibrationImages = new ArrayList<>();
        List<Path> heldOut = new ArrayList<>();
        int available = 0;
        int usedCount = 0;
        for (List<Path> goodImages : groups) {
            List<Path> used = Trainer.subset(goodImages, options.maxTrainImages, options.seed);
            List<List<Path>> parts = Trainer.split(used, options.holdoutFraction, options.seed);
            List<List<Path>> fitParts = Trainer.split(parts.get(0), config.validationFraction, options.seed + 1);
            trainImages.addAll(fitParts.get(0));
            validationImages.addAll(fitParts.get(1));
            calibrationImages.addAll(parts.get(1));
            // as for the other methods: held-out images, or (with too few images to hold any out) what there is
            heldOut.addAll(!parts.get(1).isEmpty() ? parts.get(1) : !fitParts.get(1).isEmpty() ? fitParts.get(1) : fitParts.get(0));
            available += goodImages.size();
            usedCount += used.size();
        }
        BackboneDescriptor teacherDescriptor = resolved.descriptor();
        List<String> layers = teacherDescriptor.layersOrDefault(options.layers);
        byte[] teacherOnnx = resolved.onnxBytes();
        TeacherGraph graph = TeacherGraph.parse(teacherOnnx, layers, resolved.displayName());
        DistillationSet trainSet;
        DistillationSet validationSet;
        long featuresStart = System.nanoTime();
        try (FeatureExtractor teacher = BackboneSource.open(teacherDescriptor, teacherOnnx, layers, options.threads,
                resolved.displayName())) {
            trainSet = distillationSet(teacher, trainImages, inputs, inputSize, "teacher features (training)", progress);
            validationSet = distillationSet(teacher, validationImages, inputs, inputSize, "teacher features (validation)",
                    progress);
        }
        long trainStart = System.nanoTime();
        JsonObject identity = new JsonObject();
        identity.addProperty("teacher_sha256", Hashes.sha256(teacherOnnx));
        JsonArray l = new JsonArray();
        layers.forEach(l::add);
        identity.add("layers", l);
        identity.addProperty("size", inputSize);
        if (tiling.tiled()) {
            identity.addProperty("tiling", tiling + " " + width + "x" + height);
        }
        if (dcam()) {
            identity.addProperty("method", options.method);
            identity.add("dcam", dcamConfig().toJson());
        }
        if (categories != null) {
            identity.add("categories", categories); // a unified checkpoint is not resumed for one category
        }
        Path checkpoint = options.checkpoint == null ? null : Paths.get(options.checkpoint);
        StfpmTrainer.Result result = new StfpmTrainer(graph, config, options.threads, checkpoint, identity, objective)
                .train(trainSet, validationSet, progress);
        long trainDone = System.nanoTime();

        byte[] combined = TeacherStudentGraph.build(graph, result.weights);
        List<String> paired = TeacherStudentGraph.pairedLayers(layers);
        BackboneDescriptor descriptor = pairedDescriptor(teacherDescriptor, layers, Hashes.sha256(combined));
        JsonObject modelTraining = new JsonObject();
        modelTraining.add("config", config.toJson());
        modelTraining.add("history", result.history);
        StfpmModel model = new StfpmModel(options.method, layers, StfpmAnomalyMap.SUM, modelTraining);
        Calibration calibration;
        try (FeatureExtractor extractor = BackboneSource.open(descriptor, combined, paired, options.threads,
                "the trained teacher + student graph")) {
            ImageScorer scorer = tiling.tiled()
                    ? new TiledPipeline(extractor, Collections.singletonList(model), tiling, width, height, options.blurSigma)
                    : new InferencePipeline(extractor, model, options.size, options.blurSigma);
            calibration = Trainer.calibrate(scorer, heldOut, progress);
        }
        long done = System.nanoTime();
        JsonObject training = new JsonObject();
        training.addProperty("data", dataName);
        if (categories != null) {
            training.addProperty("unified", true);
            training.add("categories", categories);
        }
        training.addProperty("images_fit", trainImages.size());
        training.addProperty("images_validation", validationImages.size());
        training.addProperty("images_calibration", calibrationImages.size());
        if (usedCount < available) {
            training.addProperty("images_available", available);
        }
        clock.record(training, (trainStart - featuresStart) / 1e9, (trainDone - trainStart) / 1e9, (done - trainDone) / 1e9);
        training.addProperty("seed", options.seed);
        training.addProperty("backbone_source", resolved.displayName());
        training.addProperty("teacher_sha256", Hashes.sha256(teacherOnnx));
        training.addProperty("anomalyj_version", Version.get());
        JsonObject settings = config.toJson();
        if (dcam()) {
            settings.add("dcam", dcamConfig().toJson());
        }
        training.add("options", settings);
        if (tiling.tiled()) {
            return new ModelBundle(Collections.singletonList(model), tiling, null, width, height, descriptor, combined,
                    paired, options.blurSigma, calibration, training);
        }
        return new ModelBundle(model, descriptor, combined, paired, options.size, options.blurSigma, calibration, training);
    }

    /** The teacher's descriptor for the combined graph: same input and preprocessing, outputs in teacher/student pairs. */
    static BackboneDescriptor pairedDescriptor(BackboneDescriptor teacher, List<String> layers, String sha256) {
        List<BackboneDescriptor.Output> outputs = new ArrayList<>();
        for (String layer : layers) {
            BackboneDescriptor.Output o = teacher.output(layer);
            outputs.add(new BackboneDescriptor.Output(TeacherStudentGraph.teacherLayer(layer), o.stride, o.channels));
            outputs.add(new BackboneDescriptor.Output(TeacherStudentGraph.studentLayer(layer), o.stride, o.channels));
        }
        return new BackboneDescriptor("stfpm-" + teacher.name(), teacher.input(), teacher.color(), teacher.scale(),
                teacher.offsetBeforeScale(), teacher.mean(), teacher.std(), outputs,
                TeacherStudentGraph.pairedLayers(layers), sha256);
    }

    /**
     * The teacher's targets for every model input of the images (the whole image, or each of its
     * tiles): computed once, as the teacher is frozen and no augmentation is used.
     */
    private DistillationSet distillationSet(FeatureExtractor teacher, List<Path> images,
            Function<Path, Iterator<FloatImage>> inputs, int inputSize, String stage, Progress progress) {
        DistillationSet set = null;
        BackboneDescriptor d = teacher.descriptor();
        for (int i = 0; i < images.size(); i++) {
            progress.checkCancelled();
            for (Iterator<FloatImage> it = inputs.apply(images.get(i)); it.hasNext();) {
                FloatImage input = it.next();
                List<FeatureMap> features = teacher.extract(input);
                if (set == null) {
                    int[][] shapes = new int[features.size()][];
                    for (int l = 0; l < shapes.length; l++) {
                        FeatureMap f = features.get(l);
                        shapes[l] = new int[] {f.channels(), f.height(), f.width()};
                    }
                    set = new DistillationSet(input.height(), input.width(), shapes);
                }
                float[][] targets = new float[features.size()][];
                for (int l = 0; l < targets.length; l++) {
                    targets[l] = features.get(l).data();
                }
                set.add(normalise(input, d), targets);
            }
            progress.update(stage, i + 1, images.size());
        }
        if (set == null) {
            set = new DistillationSet(inputSize, inputSize, new int[0][]);
        }
        return set;
    }

    /** The network input exactly as the ONNX backbone prepares it: {@code ((p + offset) * scale - mean) / std}, channel order per descriptor. */
    static float[] normalise(FloatImage rgb, BackboneDescriptor d) {
        int plane = rgb.width() * rgb.height();
        float[] src = rgb.data();
        float[] out = new float[3 * plane];
        double[] mean = d.mean();
        double[] std = d.std();
        boolean bgr = "BGR".equalsIgnoreCase(d.color());
        for (int c = 0; c < 3; c++) {
            float gain = (float) (d.scale() / std[c]);
            float bias = (float) ((d.offsetBeforeScale() * d.scale() - mean[c]) / std[c]);
            int from = (bgr ? 2 - c : c) * plane;
            int to = c * plane;
            for (int i = 0; i < plane; i++) {
                out[to + i] = src[from + i] * gain + bias;
            }
        }
        return out;
    }
}
