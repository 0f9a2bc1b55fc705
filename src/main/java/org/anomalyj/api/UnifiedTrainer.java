package org.anomalyj.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.backbone.BackboneDescriptor;
import org.anomalyj.backbone.Backbones;
import org.anomalyj.backbone.FeatureExtractor;
import org.anomalyj.backbone.ResolvedBackbone;
import org.anomalyj.data.Category;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.ModelFitter;
import org.anomalyj.model.Models;
import org.anomalyj.model.patchcore.CategoryCoresetFitter;
import org.anomalyj.model.patchcore.PatchCoreConfig;
import org.anomalyj.model.patchcore.PatchCoreModel;
import org.anomalyj.model.patchcore.UnionCoresetFitter;
import org.anomalyj.model.stfpm.StfpmModel;

/**
 * Fits ONE model on the good images of several categories (unified, multi-class training): a
 * PatchCore memory bank over all of them (coreset over the union, or per category with
 * {@link TrainOptions#CORESET_PER_CATEGORY}), one set of PaDiM per-position Gaussians, or one STFPM /
 * DCAM student trained on the union of their good images. The model
 * needs no category label to score an image. Every category is split on its own into fit and
 * calibration images (same seed and fraction as {@link Trainer}), so each one takes part in the
 * thresholds. Images of any size and of grey or RGB pixels may be mixed: every image is resized to
 * the input size and read as three channels (grey replicated), as in single-category training.
 */
public final class UnifiedTrainer {
    private final TrainOptions options;
    private final Trainer trainer;

    public UnifiedTrainer(TrainOptions options) {
        this.options = options.validate();
        if (options.tiling.tiled()) {
            throw new AnomalyJException("A unified model is a single model on the whole image for now;"
                    + " leave out --tiling (or use --tiling sm) with --unified.");
        }
        this.trainer = new Trainer(options);
    }

    /**
     * @param categories at least one, each with good training images (see
     *     {@link org.anomalyj.data.Datasets#openRoot})
     * @param dataName the root, recorded in the bundle's provenance
     */
    public ModelBundle train(List<Category> categories, String dataName, Progress progress) {
        if (categories.isEmpty()) {
            throw new AnomalyJException("No categories in " + dataName + "; give a root whose sub-folders are"
                    + " MVTec-layout categories with <category>/train/good.");
        }
        if (StfpmModel.isDistillation(options.method)) {
            // a network trained on the union of the categories, not fitted statistics: its own path
            return new StfpmTraining(options).trainUnified(categories, dataName, progress);
        }
        TrainingClock clock = new TrainingClock();
        List<List<Path>> fitGroups = new ArrayList<>();
        List<Path> calImages = new ArrayList<>();
        int fitCount = 0;
        JsonArray names = new JsonArray();
        for (Category c : categories) {
            requireGoodImages(c);
            List<List<Path>> parts = Trainer.split(c.trainGood(), options.holdoutFraction, options.seed);
            fitGroups.add(parts.get(0));
            calImages.addAll(parts.get(1).isEmpty() ? parts.get(0) : parts.get(1));
            fitCount += parts.get(0).size();
            names.add(c.name());
        }
        ResolvedBackbone resolved = Backbones.resolve(options.backbone);
        BackboneDescriptor descriptor = resolved.descriptor();
        List<String> layers = descriptor.layersOrDefault(options.layers);
        byte[] onnx = resolved.onnxBytes();
        boolean patchCore = PatchCoreModel.METHOD.equals(options.method);
        boolean perCategory = patchCore && TrainOptions.CORESET_PER_CATEGORY.equals(options.unifiedCoreset);
        ModelFitter fitter = null;
        try (FeatureExtractor extractor = BackboneSource.open(descriptor, onnx, layers, options.threads,
                resolved.displayName())) {
            PatchCoreConfig patchCoreConfig = patchCore
                    ? PatchCoreConfig.fromJson(trainer.methodConfig()).withCoresetRatio(coresetRatio()) : null;
            // the union of several categories' patches outgrows the heap: the union fitter keeps them on disk
            fitter = perCategory ? new CategoryCoresetFitter(patchCoreConfig)
                    : patchCore ? new UnionCoresetFitter(patchCoreConfig)
                    : Models.fitter(options.method, trainer.methodConfig());
            for (List<Path> group : fitGroups) {
                trainer.extractFeatures(extractor, fitter, group, Trainer.wholeImage(options.size), "features", progress);
                if (perCategory) {
                    ((CategoryCoresetFitter) fitter).endCategory(progress);
                }
            }
            long featuresDone = clock.elapsedNanos();
            AnomalyModel model = fitter.fit(progress);
            close(fitter);
            long fitDone = clock.elapsedNanos();
            InferencePipeline pipeline = new InferencePipeline(extractor, model, options.size, options.blurSigma);
            Calibration calibration = Trainer.calibrate(pipeline, calImages, progress);
            long calibrationDone = clock.elapsedNanos();
            JsonObject training = new JsonObject();
            training.addProperty("data", dataName);
            training.addProperty("unified", true);
            training.add("categories", names);
            training.addProperty("images_fit", fitCount);
            training.addProperty("images_calibration", calImages.size());
            // per-category coresets are selected during the feature stage, between categories
            clock.record(training, featuresDone / 1e9, (fitDone - featuresDone) / 1e9, (calibrationDone - fitDone) / 1e9);
            training.addProperty("seed", options.seed);
            training.addProperty("backbone_source", resolved.displayName());
            training.addProperty("anomalyj_version", Version.get());
            JsonObject config = trainer.methodConfig();
            config.addProperty("unified_coreset", options.unifiedCoreset);
            if (patchCore) {
                config.addProperty("coreset_ratio", coresetRatio());
            }
            training.add("options", config);
            return new ModelBundle(model, descriptor, onnx, layers, options.size, options.blurSigma, calibration,
                    training);
        } finally {
            close(fitter);
        }
    }

    /** A category with no good training images is a user error naming the folder to fill. */
    static void requireGoodImages(Category c) {
        if (c.trainGood().isEmpty()) {
            throw new AnomalyJException("Category " + c.root() + " has no good training images; put its normal"
                    + " images in " + c.root().resolve("train").resolve("good") + ".");
        }
    }

    private double coresetRatio() {
        return options.unifiedCoresetRatio > 0 ? options.unifiedCoresetRatio : options.coresetRatio;
    }

    private static void close(ModelFitter fitter) {
        if (fitter instanceof UnionCoresetFitter) {
            ((UnionCoresetFitter) fitter).close();
        }
    }
}
