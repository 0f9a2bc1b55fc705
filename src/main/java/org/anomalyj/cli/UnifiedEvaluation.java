package org.anomalyj.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.EvaluationResult;
import org.anomalyj.api.Evaluator;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.api.Trainer;
import org.anomalyj.api.UnifiedTrainer;
import org.anomalyj.data.Category;

/**
 * {@code evaluate --unified}: in one run, one model trained on every category ("unified") and one
 * model per category ("separate"), each scored on every category's test split, with the models'
 * total bundle size, fit time and inference time. The unified model is evaluated first and
 * released before the separate ones are trained, so at most one model is held at a time.
 */
final class UnifiedEvaluation {
    static final String UNIFIED = "unified";
    static final String SEPARATE = "separate";

    private final TrainOptions options;
    private final Path report;
    private final Path saveModels;
    private final Progress progress;

    UnifiedEvaluation(TrainOptions options, Path report, Path saveModels, Progress progress) {
        this.options = options;
        this.report = report;
        this.saveModels = saveModels;
        this.progress = progress;
    }

    /** Trains, evaluates and returns the JSON of the comparison (see README, "evaluate --unified"). */
    JsonObject run(List<Category> categories, Path data) {
        List<EvaluationResult> unified = new ArrayList<>();
        List<EvaluationResult> separate = new ArrayList<>();
        Evaluator evaluator = new Evaluator(options.threads);
        options.unified = true;
        System.err.printf("training one %s model on %d categories of %s%n", options.method, categories.size(), data);
        String checkpoint = options.checkpoint;
        ModelBundle bundle = new UnifiedTrainer(options).train(categories, data.toString(), progress);
        double unifiedFit = bundle.training().get("seconds").getAsDouble();
        double unifiedCpu = bundle.training().get("cpu_seconds").getAsDouble();
        long unifiedBytes = bundleBytes(bundle, "unified_" + options.method + ".zip");
        for (Category c : categories) {
            unified.add(evaluate(evaluator, bundle, c, UNIFIED));
        }
        bundle = null; // PaDiM models are large: free this one before training the next
        long separateBytes = 0;
        double separateFit = 0;
        double separateCpu = 0;
        for (Category c : categories) {
            System.err.printf("training %s on %d good images of '%s'%n", options.method, c.trainGood().size(), c.name());
            // STFPM/DCAM: each separate student resumes from its own checkpoint, next to the unified one's
            options.checkpoint = checkpoint == null ? null : checkpoint + "." + c.name();
            ModelBundle own = new Trainer(options).train(c.trainGood(), c.root().toString(), progress);
            separateFit += own.training().get("seconds").getAsDouble();
            separateCpu += own.training().get("cpu_seconds").getAsDouble();
            separateBytes += bundleBytes(own, c.name() + "_" + options.method + ".zip");
            separate.add(evaluate(evaluator, own, c, SEPARATE));
        }
        options.checkpoint = checkpoint;
        List<EvaluationResult> all = new ArrayList<>(unified);
        all.addAll(separate);
        JsonObject out = new JsonObject();
        JsonArray results = new JsonArray();
        for (EvaluationResult r : all) {
            results.add(r.toJson());
        }
        out.add("results", results);
        JsonObject means = new JsonObject();
        means.add(UNIFIED, EvaluateCommand.toJson(unified).get("mean"));
        means.add(SEPARATE, EvaluateCommand.toJson(separate).get("mean"));
        out.add("mean_by_setup", means);
        out.add("bundle_bytes_by_setup", pair(unifiedBytes, separateBytes));
        out.add("fit_seconds_by_setup", pair(round(unifiedFit), round(separateFit)));
        // CPU seconds of all threads: the work itself, comparable even when other programs load the machine
        out.add("fit_cpu_seconds_by_setup", pair(round(unifiedCpu), round(separateCpu)));
        out.add("infer_ms_per_image_by_setup", pair(round(msPerImage(unified)), round(msPerImage(separate))));
        return out;
    }

    private EvaluationResult evaluate(Evaluator evaluator, ModelBundle bundle, Category c, String setup) {
        Path dir = report == null ? null : report.resolve(setup);
        EvaluationResult r = evaluator.evaluate(bundle, c, dir, progress);
        r.setup = setup;
        r.nTrain = c.trainGood().size();
        System.err.println(setup + " " + EvaluateCommand.format(r));
        return r;
    }

    /** Size of the saved bundle: kept in --save-models, else written to a temporary file and deleted. */
    private long bundleBytes(ModelBundle bundle, String name) {
        try {
            if (saveModels != null) {
                Files.createDirectories(saveModels);
                Path file = saveModels.resolve(name);
                bundle.save(file);
                return Files.size(file);
            }
            Path file = Files.createTempFile("anomalyj-size", ".zip");
            try {
                bundle.save(file);
                return Files.size(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new AnomalyJException("Cannot write a model bundle to measure its size (" + e.getMessage()
                    + "); give a writable folder with --save-models.", e);
        }
    }

    /** Inference time over all test images of all categories (categories weighted by their size). */
    static double msPerImage(List<EvaluationResult> results) {
        double ms = 0;
        int n = 0;
        for (EvaluationResult r : results) {
            ms += r.inferMsPerImage * r.nTest;
            n += r.nTest;
        }
        return n == 0 ? Double.NaN : ms / n;
    }

    private static double round(double v) {
        return Math.round(v * 1e3) / 1e3;
    }

    private static JsonObject pair(Number unified, Number separate) {
        JsonObject o = new JsonObject();
        o.addProperty(UNIFIED, unified);
        o.addProperty(SEPARATE, separate);
        return o;
    }
}
