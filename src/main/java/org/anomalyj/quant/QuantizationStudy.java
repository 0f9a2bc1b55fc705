package org.anomalyj.quant;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.anomalyj.Progress;
import org.anomalyj.api.EvaluationResult;
import org.anomalyj.api.Evaluator;
import org.anomalyj.api.InferencePipeline;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.backbone.FeatureExtractor;
import org.anomalyj.data.Category;
import org.anomalyj.data.Datasets;
import org.anomalyj.data.ImageReader;
import org.anomalyj.data.Sample;
import org.anomalyj.img.FloatImage;

/**
 * One row of the quantization study (docs/quantization.md): evaluates a bundle on a category
 * (image AUROC, pixel AUROC, AUPRO, end-to-end ms/image) and, in the same run, times the backbone
 * alone over the same test images. Prints one JSON line.
 *
 * <p>{@code java -cp anomalyj.jar org.anomalyj.quant.QuantizationStudy MODEL.zip CATEGORY_DIR [THREADS]}
 *
 * <p>{@code ... QuantizationStudy --latency CATEGORY_DIR ROUNDS MODEL.zip...}: backbone-only ms/image of
 * several bundles in one process, interleaved image by image, so that their ratios hold even on
 * a machine shared with other work.
 */
public final class QuantizationStudy {
    private QuantizationStudy() {
    }

    public static void main(String[] args) {
        if (args[0].equals("--latency")) {
            latency(Datasets.openOne(Paths.get(args[1])), Integer.parseInt(args[2]), args);
            return;
        }
        Path model = Paths.get(args[0]);
        Category category = Datasets.openOne(Paths.get(args[1]));
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        ModelBundle bundle = ModelBundle.load(model);
        EvaluationResult r = new Evaluator(threads).evaluate(bundle, category, null, Progress.NONE);
        double backboneMs = backboneMsPerImage(bundle, category, threads);
        JsonObject o = r.toJson();
        o.addProperty("model", model.toString());
        o.addProperty("backbone_ms_per_image", backboneMs);
        try {
            o.addProperty("model_bytes", Files.size(model));
        } catch (java.io.IOException e) {
            o.addProperty("model_bytes", -1);
        }
        byte[] onnx = bundle.backboneOnnx();
        o.addProperty("backbone_bytes", onnx == null ? 0 : onnx.length);
        o.add("quantization", bundle.training().get("quantization"));
        System.out.println(o);
    }

    private static void latency(Category category, int rounds, String[] args) {
        List<ModelBundle> bundles = new ArrayList<>();
        List<FeatureExtractor> extractors = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            ModelBundle b = ModelBundle.load(Paths.get(args[i]));
            bundles.add(b);
            extractors.add(b.openExtractor(0));
        }
        List<FloatImage> inputs = new ArrayList<>();
        List<Sample> test = category.test();
        for (int i = 0; i < Math.min(rounds, test.size()); i++) {
            inputs.add(InferencePipeline.toModelInput(ImageReader.read(test.get(i * test.size() / Math.min(rounds, test.size())).image()),
                    bundles.get(0).inputSize()));
        }
        long[] nanos = new long[extractors.size()];
        for (FeatureExtractor e : extractors) {
            e.extract(inputs.get(0));
        }
        for (FloatImage img : inputs) {
            for (int k = 0; k < extractors.size(); k++) {
                long t0 = System.nanoTime();
                extractors.get(k).extract(img);
                nanos[k] += System.nanoTime() - t0;
            }
        }
        for (int k = 0; k < extractors.size(); k++) {
            JsonObject o = new JsonObject();
            o.addProperty("model", args[k + 3]);
            o.addProperty("backbone_ms_per_image_interleaved", nanos[k] / 1e6 / inputs.size());
            o.addProperty("ratio_to_first", (double) nanos[k] / nanos[0]);
            System.out.println(o);
            extractors.get(k).close();
        }
    }

    /** Mean backbone-only time over the test images (resized and loaded beforehand, one warm-up run). */
    static double backboneMsPerImage(ModelBundle bundle, Category category, int threads) {
        List<FloatImage> inputs = new ArrayList<>();
        for (Sample s : category.test()) {
            inputs.add(InferencePipeline.toModelInput(ImageReader.read(s.image()), bundle.inputSize()));
        }
        try (FeatureExtractor e = bundle.openExtractor(threads)) {
            e.extract(inputs.get(0));
            long t0 = System.nanoTime();
            for (FloatImage img : inputs) {
                e.extract(img);
            }
            return (System.nanoTime() - t0) / 1e6 / inputs.size();
        }
    }
}
