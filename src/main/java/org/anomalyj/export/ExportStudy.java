package org.anomalyj.export;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.anomalyj.Progress;
import org.anomalyj.api.Detector;
import org.anomalyj.api.ImageScorer;
import org.anomalyj.api.InferencePipeline;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.Prediction;
import org.anomalyj.data.Category;
import org.anomalyj.data.Datasets;
import org.anomalyj.data.ImageReader;
import org.anomalyj.img.FloatImage;

/**
 * Benchmark (not a test) of a compiled model against the Java detection path on the same bundle,
 * in one process: exports the bundle to a temporary .onnx, then on N evenly spaced test images of
 * a category (already decoded and resized to the model's input, so both paths do the same work
 * from there) measures the agreement (max map error / max |map| and relative score error, maximum
 * over the images) and ms/image of both (and of the Java path's backbone alone), in alternating rounds so that both see the same machine
 * load. Prints one JSON line.
 *
 * <p>{@code java -cp anomalyj.jar org.anomalyj.export.ExportStudy MODEL.zip CATEGORY_DIR [IMAGES [ROUNDS [THREADS]]]}
 */
public final class ExportStudy {
    private ExportStudy() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Paths.get(args[0]);
        Category category = Datasets.openOne(Paths.get(args[1]));
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        Path onnx = Files.createTempFile("anomalyj-export", ".onnx");
        try {
            long t0 = System.nanoTime();
            CompiledModelExporter.export(model, onnx, 0, Progress.NONE);
            double exportSeconds = (System.nanoTime() - t0) / 1e9;
            ModelBundle bundle = ModelBundle.load(model);
            int size = bundle.inputWidth();
            List<FloatImage> images = new ArrayList<>();
            int total = category.test().size();
            for (int i = 0; i < Math.min(n, total); i++) {
                Path p = category.test().get((int) ((long) i * total / Math.min(n, total))).image();
                images.add(InferencePipeline.toModelInput(ImageReader.read(p), size));
            }
            JsonObject o = new JsonObject();
            o.addProperty("model", model.toString());
            o.addProperty("method", bundle.method());
            o.addProperty("backbone", bundle.backbone().name());
            o.addProperty("bundle_bytes", Files.size(model));
            o.addProperty("onnx_bytes", Files.size(onnx));
            o.addProperty("export_seconds", exportSeconds);
            o.addProperty("images", images.size());
            o.addProperty("threads", threads);
            try (Detector d = new Detector(bundle, Double.NaN, threads);
                    CompiledModelSession c = CompiledModelSession.open(onnx, threads)) {
                ImageScorer java = d.pipeline();
                double mapErr = 0;
                double scoreErr = 0;
                for (FloatImage img : images) {
                    Prediction a = java.predict(img);
                    Prediction b = c.predictResized(img);
                    double diff = 0;
                    double scale = 0;
                    float[] x = a.map().values();
                    float[] y = b.map().values();
                    for (int i = 0; i < x.length; i++) {
                        diff = Math.max(diff, Math.abs((double) y[i] - x[i]));
                        scale = Math.max(scale, Math.abs(x[i]));
                    }
                    mapErr = Math.max(mapErr, diff / scale);
                    scoreErr = Math.max(scoreErr, Math.abs(b.score() - a.score()) / Math.abs(a.score()));
                }
                o.addProperty("max_map_error_relative", mapErr);
                o.addProperty("max_score_error_relative", scoreErr);
                double[] javaRounds = new double[rounds];
                double[] compiledRounds = new double[rounds];
                double[] backboneRounds = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    javaRounds[r] = msPerImage(images, java::predict);
                    compiledRounds[r] = msPerImage(images, c::predictResized);
                    backboneRounds[r] = msPerImage(images, img -> {
                        d.extractor().extract(img);
                        return null;
                    });
                }
                // the Java path's backbone alone (same session, same inputs): how much of the
                // difference is the backbone run and how much the head and post-processing
                o.addProperty("java_backbone_ms_per_image_median", median(backboneRounds));
                o.addProperty("java_ms_per_image_best", min(javaRounds));
                o.addProperty("compiled_ms_per_image_best", min(compiledRounds));
                o.addProperty("java_ms_per_image_median", median(javaRounds));
                o.addProperty("compiled_ms_per_image_median", median(compiledRounds));
                o.addProperty("compiled_vs_java_median", median(compiledRounds) / median(javaRounds));
                o.addProperty("java_rounds", Arrays.toString(javaRounds));
                o.addProperty("compiled_rounds", Arrays.toString(compiledRounds));
            }
            o.addProperty("load_average", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.println(o);
        } finally {
            Files.deleteIfExists(onnx);
        }
    }

    private static double msPerImage(List<FloatImage> images, java.util.function.Function<FloatImage, Prediction> f) {
        long t = System.nanoTime();
        for (FloatImage img : images) {
            f.apply(img);
        }
        return (System.nanoTime() - t) / 1e6 / images.size();
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().getAsDouble();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
