package org.anomalyj.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.EvaluationResult;
import org.anomalyj.api.Evaluator;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.api.Trainer;
import org.anomalyj.data.Category;
import org.anomalyj.data.Datasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Train on train/good and test on test/ of MVTec-layout data (or test an existing --model): "
                + "image AUROC, pixel AUROC, AUPRO, F1.")
final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "An MVTec-layout category folder, or a root holding several.")
    Path data;

    @Option(names = "--model", description = "Evaluate this bundle instead of training one per category.")
    Path model;

    @Option(names = "--json", description = "Write the metrics as JSON to this file.")
    Path json;

    @Option(names = "--report", description = "Folder for ROC/PRO plots and a montage of the best and worst scored images.")
    Path report;

    @Option(names = "--save-models", description = "Folder to keep the bundles trained during evaluation.")
    Path saveModels;

    @Option(names = "--unified", description = "--data is a root of categories: train ONE model on all of them and, "
            + "in the same run, one model per category; report both per category (\"setup\": unified|separate) "
            + "with their mean, total bundle size, fit time and ms/image.")
    boolean unified;

    @Mixin
    TrainingOptionsMixin training;

    @Override
    public Integer call() {
        if (unified) {
            return callUnified();
        }
        List<Category> categories = Datasets.open(data);
        Progress progress = new StderrProgress(System.err);
        ModelBundle given = model == null ? null : ModelBundle.load(model);
        TrainOptions options = training.toOptions();
        List<EvaluationResult> results = new ArrayList<>();
        for (Category c : categories) {
            ModelBundle bundle = given;
            if (bundle == null) {
                System.err.printf("training %s on %d good images of '%s'%n", options.method, c.trainGood().size(), c.name());
                bundle = new Trainer(options).train(c.trainGood(), c.root().toString(), progress);
                if (saveModels != null) {
                    try {
                        Files.createDirectories(saveModels);
                    } catch (IOException e) {
                        throw new AnomalyJException("Cannot create " + saveModels + " (" + e.getMessage() + ").", e);
                    }
                    bundle.save(saveModels.resolve(c.name() + "_" + options.method + ".zip"));
                }
            }
            EvaluationResult r = new Evaluator(options.threads).evaluate(bundle, c, report, progress);
            if (given != null) {
                r.nTrain = c.trainGood().size();
            }
            results.add(r);
            System.err.println(format(r));
        }
        JsonObject out = toJson(results);
        System.out.println(ModelBundle.toPrettyJson(out));
        if (json != null) {
            writeAtomically(json, ModelBundle.toPrettyJson(out));
        }
        return 0;
    }

    private Integer callUnified() {
        if (model != null) {
            throw new AnomalyJException("--unified trains the unified and the per-category models itself;"
                    + " drop --model " + model + ", or drop --unified to evaluate that bundle.");
        }
        TrainOptions options = training.toOptions();
        List<Category> categories = Datasets.openRoot(data);
        JsonObject out = new UnifiedEvaluation(options, report, saveModels, new StderrProgress(System.err))
                .run(categories, data);
        System.out.println(ModelBundle.toPrettyJson(out));
        if (json != null) {
            writeAtomically(json, ModelBundle.toPrettyJson(out));
        }
        return 0;
    }

    static String format(EvaluationResult r) {
        return String.format(Locale.ROOT,
                "%s %s %s: image AUROC %.3f, pixel AUROC %.3f, AUPRO %.3f, F1-max %.3f, fit %.1f s, %.1f ms/image",
                r.category, r.method, r.backbone, r.imageAuroc, r.pixelAuroc, r.aupro, r.imageF1Max, r.fitSeconds,
                r.inferMsPerImage);
    }

    static JsonObject toJson(List<EvaluationResult> results) {
        JsonArray arr = new JsonArray();
        for (EvaluationResult r : results) {
            arr.add(r.toJson());
        }
        JsonObject mean = new JsonObject();
        String[] keys = {"image_auroc", "pixel_auroc", "aupro", "image_f1_max", "image_f1", "fit_seconds", "infer_ms_per_image"};
        for (String k : keys) {
            double sum = 0;
            int n = 0;
            for (JsonElement e : arr) {
                JsonElement v = e.getAsJsonObject().get(k);
                if (v != null && !v.isJsonNull()) {
                    sum += v.getAsDouble();
                    n++;
                }
            }
            if (n > 0) {
                mean.addProperty(k, Math.round(sum / n * 1e6) / 1e6);
            } else {
                mean.add(k, com.google.gson.JsonNull.INSTANCE);
            }
        }
        JsonObject o = new JsonObject();
        o.add("results", arr);
        o.add("mean", mean);
        return o;
    }

    static void writeAtomically(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".anomalyj", ".tmp");
            Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AnomalyJException("Cannot write " + file + " (" + e.getMessage() + "); check the folder is writable.", e);
        }
    }
}
