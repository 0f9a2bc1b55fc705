package org.anomalyj.cli;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.Detector;
import org.anomalyj.api.HeapWatch;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.api.Trainer;
import org.anomalyj.bench.BenchResult;
import org.anomalyj.bench.BenchRunner;
import org.anomalyj.data.Category;
import org.anomalyj.data.Datasets;
import org.anomalyj.data.Sample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time detection stage by stage on a category's test images (batch 1, after warm-up), the backbone "
                + "alone in the same run, throughput per batch size, fit time and memory; prints a table, writes JSON.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "An MVTec-layout category folder (its test images are timed).")
    Path data;

    @Option(names = "--model", description = "Benchmark this bundle instead of training one (then no fit time).")
    Path model;

    @Option(names = "--json", description = "Write the measurements as JSON to this file.")
    Path json;

    @Option(names = "--save-model", description = "Keep the bundle trained for the benchmark in this file.")
    Path saveModel;

    @Option(names = "--images", defaultValue = "0", description = "Time at most this many test images, 0 = all (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--warmup", defaultValue = "30",
            description = "Detections run before timing, cycling through the images; the JIT compiles the hot code "
                    + "during roughly the first 30 (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,2,4,8",
            description = "Batch sizes for the throughput pass (default: ${DEFAULT-VALUE}).")
    int[] batchSizes;

    @Mixin
    TrainingOptionsMixin training;

    @Mixin
    KnnOptionMixin knn;

    @Override
    public Integer call() {
        knn.apply();
        Category category = Datasets.openOne(data);
        List<Path> files = testImages(category);
        Progress progress = new StderrProgress(System.err);
        TrainOptions options = training.toOptions();
        JsonObject settings = new JsonObject();
        settings.addProperty("data", data.toString());
        settings.addProperty("threads", options.threads);
        settings.addProperty("cpus", Runtime.getRuntime().availableProcessors());
        settings.addProperty("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        settings.addProperty("java", System.getProperty("java.version"));
        settings.addProperty("knn", org.anomalyj.model.patchcore.KnnSearch.current().id());
        settings.addProperty("load_average_start", loadAverage());

        ModelBundle bundle;
        double fitSeconds = Double.NaN;
        double fitHeap = Double.NaN;
        if (model != null) {
            bundle = ModelBundle.load(model);
        } else {
            System.err.printf("training %s on %d good images of '%s'%n", options.method, category.trainGood().size(),
                    category.name());
            try (HeapWatch heap = new HeapWatch()) {
                long t0 = System.nanoTime();
                bundle = new Trainer(options).train(category.trainGood(), category.root().toString(), progress);
                fitSeconds = (System.nanoTime() - t0) / 1e9;
                fitHeap = heap.peakMb();
            }
            if (saveModel != null) {
                bundle.save(saveModel);
            }
        }
        BenchResult result;
        try (Detector detector = new Detector(bundle, Double.NaN, options.threads);
                HeapWatch heap = new HeapWatch()) {
            System.err.printf("timing %d images (%d warm-up) of '%s'%n", files.size(), warmup, category.name());
            result = new BenchRunner(detector).run(files, warmup, batchSizes, progress);
            result.peakHeapMb = heap.peakMb();
        }
        result.fitSeconds = fitSeconds;
        result.fitPeakHeapMb = fitHeap;
        result.peakRssMb = ProcessMemory.peakResidentMb();
        settings.addProperty("load_average_end", loadAverage());
        addUncertifiedShare(settings);
        result.settings = settings;
        result.model = describe(bundle);
        System.out.print(result.table());
        if (json != null) {
            // nulls are kept: every field is present, null where it does not apply (no fit with --model)
            EvaluateCommand.writeAtomically(json, new com.google.gson.GsonBuilder().setPrettyPrinting().serializeNulls()
                    .create().toJson(result.toJson()));
        }
        return 0;
    }

    /**
     * With the certified exact search: the share of patches it could not certify and searched
     * exhaustively (what it costs beyond the projected search). Absent when it did not run.
     */
    static void addUncertifiedShare(JsonObject o) {
        double share = org.anomalyj.model.patchcore.MemoryBank.uncertifiedShare();
        if (!Double.isNaN(share)) {
            o.addProperty("knn_uncertified_share", share);
        }
    }

    private List<Path> testImages(Category c) {
        List<Path> files = new ArrayList<>();
        for (Sample s : c.test()) {
            files.add(s.image());
        }
        if (files.isEmpty()) {
            files.addAll(c.trainGood());
        }
        if (files.isEmpty()) {
            throw new AnomalyJException(data + " has no images to time; give a category folder with test/ images.");
        }
        if (images > 0 && images < files.size()) {
            // spread the subset over the whole (sorted) list so every defect type is represented
            List<Path> subset = new ArrayList<>(images);
            for (int i = 0; i < images; i++) {
                subset.add(files.get((int) ((long) i * files.size() / images)));
            }
            return subset;
        }
        return files;
    }

    private static JsonObject describe(ModelBundle b) {
        JsonObject o = new JsonObject();
        o.addProperty("method", b.method());
        o.addProperty("backbone", b.backbone().name());
        o.addProperty("layers", String.join(",", b.layers()));
        o.addProperty("geometry", b.geometryText());
        o.add("tiling", b.tiling().toJson());
        return o;
    }

    /** The 1-minute load average (the machine may be shared), or null where unknown. */
    static String loadAverage() {
        try {
            return new String(Files.readAllBytes(Paths.get("/proc/loadavg"))).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
