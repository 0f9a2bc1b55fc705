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
import org.anomalyj.api.HeapWatch;
import org.anomalyj.api.Evaluator;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.api.Trainer;
import org.anomalyj.data.Category;
import org.anomalyj.data.Datasets;
import org.anomalyj.tiling.TileScore;
import org.anomalyj.tiling.TilingSetup;
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

    @Option(names = "--setups", split = ",",
            description = "Compare input geometries and tilings in one run, each trained and tested on every category: "
                    + "SM256, SM512, ST9, ENS4, ENS9 (the tiled-ensemble paper's setups: 512-pixel input, 256-pixel tiles, "
                    + "stride 128 for 9 tiles) or mode:size[:tile:stride], e.g. ens:1024:256:256. "
                    + "Adds fit and detection peak heap and bundle size to the results.")
    List<String> setups = new ArrayList<>();

    @Option(names = "--max-test", defaultValue = "0",
            description = "Test on at most this many images per category: a seeded random subset keeping the share of good"
                    + " and defective images; 0 = all (default: ${DEFAULT-VALUE}).")
    int maxTest;

    @Option(names = "--markdown", description = "With --setups: also write the comparison as a Markdown table to this file.")
    Path markdown;

    @Option(names = "--unified", description = "--data is a root of categories: train ONE model on all of them and, "
            + "in the same run, one model per category; report both per category (\"setup\": unified|separate) "
            + "with their mean, total bundle size, fit time and ms/image.")
    boolean unified;

    @Mixin
    TrainingOptionsMixin training;

    @Mixin
    KnnOptionMixin knn;

    @Override
    public Integer call() {
        knn.apply();
        if (!setups.isEmpty()) {
            return compareSetups();
        }
        if (unified) {
            return callUnified();
        }
        List<Category> categories = testSubsets(Datasets.open(data));
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
        BenchCommand.addUncertifiedShare(out);
        System.out.println(ModelBundle.toPrettyJson(out));
        if (json != null) {
            writeAtomically(json, ModelBundle.toPrettyJson(out));
        }
        return 0;
    }

    /** evaluate --setups: every setup trained and tested on every category, with memory and bundle size. */
    private int compareSetups() {
        if (model != null) {
            throw new AnomalyJException("--setups trains one model per setup; leave out --model.");
        }
        List<TilingSetup> parsed = new ArrayList<>();
        for (String s : setups) {
            parsed.add(TilingSetup.parse(s, training.seamBand, TileScore.parse(training.tileScore)));
        }
        List<Category> categories = testSubsets(Datasets.open(data));
        Progress progress = new StderrProgress(System.err);
        List<EvaluationResult> results = new ArrayList<>();
        for (Category c : categories) {
            for (TilingSetup setup : parsed) {
                TrainOptions options = training.toOptions();
                options.size = setup.size();
                options.height = setup.height();
                options.tiling = setup.tiling();
                options.validate();
                System.err.printf("%s: training %s %s on %d good images%n", c.name(), setup.name(), options.method,
                        c.trainGood().size());
                ModelBundle bundle;
                double fitPeak;
                try (HeapWatch heap = new HeapWatch()) {
                    bundle = new Trainer(options).train(c.trainGood(), c.root().toString(), progress);
                    fitPeak = heap.peakMb();
                }
                long bytes = bundleBytes(bundle, c.name() + "_" + options.method + "_" + setup.name());
                EvaluationResult r;
                try (HeapWatch heap = new HeapWatch()) {
                    r = new Evaluator(options.threads).evaluate(bundle, c, report, progress);
                    r.peakHeapMb = heap.peakMb();
                }
                r.tilingSetup = setup.name();
                r.fitPeakHeapMb = fitPeak;
                r.bundleBytes = bytes;
                results.add(r);
                System.err.println(setup.name() + " " + format(r));
            }
        }
        JsonObject out = toJson(results);
        System.out.println(ModelBundle.toPrettyJson(out));
        if (json != null) {
            writeAtomically(json, ModelBundle.toPrettyJson(out));
        }
        String table = markdownTable(results);
        System.err.print(table);
        if (markdown != null) {
            writeAtomically(markdown, table);
        }
        return 0;
    }

    private List<Category> testSubsets(List<Category> categories) {
        if (maxTest < 0) {
            throw new AnomalyJException("--max-test must be 0 (all test images) or a positive number of images.");
        }
        List<Category> out = new ArrayList<>();
        for (Category c : categories) {
            out.add(c.withTestSubset(maxTest, training.seed));
        }
        return out;
    }

    /** Saves the bundle (into --save-models, or a temporary file that is deleted) and returns its size. */
    private long bundleBytes(ModelBundle bundle, String name) {
        try {
            Path file;
            if (saveModels != null) {
                Files.createDirectories(saveModels);
                file = saveModels.resolve(name + ".zip");
            } else {
                file = Files.createTempFile("anomalyj-setup", ".zip");
            }
            bundle.save(file);
            long size = Files.size(file);
            if (saveModels == null) {
                Files.delete(file);
            }
            return size;
        } catch (IOException e) {
            throw new AnomalyJException("Cannot save the model to measure its size (" + e.getMessage()
                    + "); check the free space in the temporary folder or give --save-models.", e);
        }
    }

    static String markdownTable(List<EvaluationResult> results) {
        StringBuilder b = new StringBuilder();
        b.append("| category | method | setup | tiling | image AUROC | pixel AUROC | AUPRO | fit s | ms/image"
                + " | fit peak heap MB | evaluate peak heap MB | bundle MB |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (EvaluationResult r : results) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f | %.3f | %.3f | %.1f | %.1f | %.0f | %.0f | %.1f |%n",
                    r.category, r.method, r.tilingSetup, r.tiling, r.imageAuroc, r.pixelAuroc, r.aupro, r.fitSeconds,
                    r.inferMsPerImage, r.fitPeakHeapMb, r.peakHeapMb, r.bundleBytes / 1e6));
        }
        return b.toString();
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
