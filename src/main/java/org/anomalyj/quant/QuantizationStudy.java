package org.anomalyj.quant;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.anomalyj.Progress;
import org.anomalyj.api.EvaluationResult;
import org.anomalyj.api.HeapWatch;
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
 * (image AUROC, pixel AUROC, AUPRO) and records the peak Java heap kept alive during the
 * evaluation ({@link HeapWatch}) and the process's peak resident memory. Prints one JSON line.
 *
 * <p>{@code java -cp anomalyj.jar org.anomalyj.quant.QuantizationStudy MODEL.zip CATEGORY_DIR [THREADS [MAX_TEST]]}
 *
 * <p>{@code ... QuantizationStudy --cpu CATEGORY_DIR IMAGES MODEL.zip...}: CPU time per image of
 * the backbone alone and of the whole detection (resize, backbone, head, map, blur) of several
 * bundles, ONNX Runtime with one thread, alternating in rounds (see {@link #cpu}).
 *
 * <p>{@code ... QuantizationStudy --latency CATEGORY_DIR IMAGES THREADS MODEL.zip...}: backbone-only ms/image of
 * several bundles in one process, alternating in rounds, so that their ratios hold even on a
 * machine shared with other work.
 *
 * <p>{@code ... QuantizationStudy --backbone-cpu FILE.onnx INPUT SIZE}: FP32, FP16 and INT8
 * (percentile, 8 synthetic calibration inputs) of a backbone file, single-threaded, CPU time of
 * the whole graph per 1x3xSIZExSIZE run (best of 5 alternating rounds of 10 runs).
 */
public final class QuantizationStudy {
    private QuantizationStudy() {
    }

    public static void main(String[] args) {
        if (args[0].equals("--backbone-cpu")) {
            backboneCpu(Paths.get(args[1]), args[2], Integer.parseInt(args[3]));
            return;
        }
        if (args[0].equals("--cpu")) {
            cpu(Datasets.openOne(Paths.get(args[1])), Integer.parseInt(args[2]), java.util.Arrays.copyOfRange(args, 3, args.length));
            return;
        }
        if (args[0].equals("--latency")) {
            latency(Datasets.openOne(Paths.get(args[1])), Integer.parseInt(args[2]), Integer.parseInt(args[3]), args);
            return;
        }
        Path model = Paths.get(args[0]);
        Category category = Datasets.openOne(Paths.get(args[1]));
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int maxTest = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        category = category.withTestSubset(maxTest, new org.anomalyj.api.TrainOptions().seed);
        EvaluationResult r;
        double heapMb;
        try (HeapWatch heap = new HeapWatch()) {
            ModelBundle bundle = ModelBundle.load(model);
            r = new Evaluator(threads).evaluate(bundle, category, null, Progress.NONE);
            heapMb = heap.peakMb();
        }
        ModelBundle bundle = ModelBundle.load(model);
        JsonObject o = r.toJson();
        o.addProperty("model", model.toString());
        o.addProperty("test_images", category.test().size());
        o.addProperty("peak_heap_mb", heapMb);
        o.addProperty("peak_rss_mb", peakResidentMb());
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

    /**
     * Backbone-only latency of several bundles: in each of {@code rounds} rounds every backbone
     * runs the same images one after the other (a block per backbone, so each runs with its own
     * weights in cache, as in deployment); per backbone the best round's mean is reported (the
     * usual way to keep other processes' interference out), and its median round too.
     */
    private static void latency(Category category, int images, int threads, String[] args) {
        int rounds = 5;
        List<ModelBundle> bundles = new ArrayList<>();
        List<FeatureExtractor> extractors = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            ModelBundle b = ModelBundle.load(Paths.get(args[i]));
            bundles.add(b);
            extractors.add(b.openExtractor(threads));
        }
        List<FloatImage> inputs = new ArrayList<>();
        List<Sample> test = category.test();
        int n = Math.min(images, test.size());
        for (int i = 0; i < n; i++) {
            inputs.add(InferencePipeline.toModelInput(ImageReader.read(test.get(i * test.size() / n).image()),
                    bundles.get(0).inputSize()));
        }
        double[][] ms = new double[extractors.size()][rounds];
        // With one intra-op thread ONNX Runtime computes on the calling thread, so this thread's CPU
        // time is the backbone's compute time, unaffected by how busy the machine is.
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        double[][] cpuMs = new double[extractors.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < extractors.size(); k++) {
                FeatureExtractor e = extractors.get(k);
                e.extract(inputs.get(0));
                long t0 = System.nanoTime();
                long c0 = cpu.getCurrentThreadCpuTime();
                for (FloatImage img : inputs) {
                    e.extract(img);
                }
                ms[k][r] = (System.nanoTime() - t0) / 1e6 / inputs.size();
                cpuMs[k][r] = (cpu.getCurrentThreadCpuTime() - c0) / 1e6 / inputs.size();
            }
        }
        double[] best = new double[extractors.size()];
        for (int k = 0; k < extractors.size(); k++) {
            double[] sorted = ms[k].clone();
            java.util.Arrays.sort(sorted);
            best[k] = sorted[0];
            JsonObject o = new JsonObject();
            o.addProperty("model", args[k + 4]);
            o.addProperty("threads", threads);
            o.addProperty("backbone_ms_best_round", sorted[0]);
            o.addProperty("backbone_ms_median_round", sorted[rounds / 2]);
            o.addProperty("ratio_to_first_best", best[k] / best[0]);
            if (threads == 1) {
                o.addProperty("backbone_cpu_ms_best_round", sortedCpu(cpuMs[k]));
                o.addProperty("cpu_ratio_to_first", sortedCpu(cpuMs[k]) / sortedCpu(cpuMs[0]));
            }
            o.addProperty("images", inputs.size());
            o.addProperty("rounds", rounds);
            System.out.println(o);
            extractors.get(k).close();
        }
    }

    private static void backboneCpu(Path file, String input, int size) {
        try {
            byte[] f = Files.readAllBytes(file);
            List<float[]> cal = new ArrayList<>();
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < 8; i++) {
                float[] x = new float[3 * size * size];
                for (int k = 0; k < x.length; k++) {
                    x[k] = (float) (Math.sin(k * 0.0007 * (i + 1)) + 0.3 * r.nextGaussian());
                }
                cal.add(x);
            }
            byte[][] models = {f, BackboneQuantizer.toFp16(f, file.toString()).onnx(),
                BackboneQuantizer.toInt8(f, file.toString(), input, cal, size, size, CalibrationMethod.PERCENTILE, 1, Progress.NONE).onnx()};
            String[] names = {"fp32", "fp16", "int8"};
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            List<ai.onnxruntime.OrtSession> sessions = new ArrayList<>();
            for (byte[] m : models) {
                sessions.add(org.anomalyj.onnx.Sessions.create(m, 1));
            }
            try (ai.onnxruntime.OnnxTensor t = ai.onnxruntime.OnnxTensor.createTensor(org.anomalyj.onnx.Sessions.environment(),
                    java.nio.FloatBuffer.wrap(cal.get(0)), new long[] {1, 3, size, size})) {
                java.util.Map<String, ai.onnxruntime.OnnxTensor> feed = java.util.Collections.singletonMap(input, t);
                for (int round = 0; round < 5; round++) {
                    for (int i = 0; i < 3; i++) {
                        sessions.get(i).run(feed).close();
                        long c0 = cpu.getCurrentThreadCpuTime();
                        for (int k = 0; k < 10; k++) {
                            sessions.get(i).run(feed).close();
                        }
                        best[i] = Math.min(best[i], (cpu.getCurrentThreadCpuTime() - c0) / 1e6 / 10);
                    }
                }
            }
            for (int i = 0; i < 3; i++) {
                JsonObject o = new JsonObject();
                o.addProperty("backbone", file.getFileName().toString());
                o.addProperty("precision", names[i]);
                o.addProperty("cpu_ms", best[i]);
                o.addProperty("ratio_to_fp32", best[i] / best[0]);
                o.addProperty("bytes", models[i].length);
                System.out.println(o);
                sessions.get(i).close();
            }
        } catch (java.io.IOException | ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** CPU time of every live Java thread (nanosecond resolution, unlike the process's clock-tick total). */
    private static long allThreadsCpuNanos(java.lang.management.ThreadMXBean bean) {
        long sum = 0;
        for (long id : bean.getAllThreadIds()) {
            long t = bean.getThreadCpuTime(id);
            sum += Math.max(t, 0);
        }
        return sum;
    }

    private static double sortedCpu(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[0];
    }

    /** The process's peak resident set size (VmHWM, Linux), in MB; NaN elsewhere. */
    static double peakResidentMb() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return Double.NaN;
    }

    /**
     * CPU time per image of several bundles, robust to a machine shared with other work: ONNX
     * Runtime runs with one intra-op thread, so it computes on the calling thread, and the
     * backbone's cost is that thread's CPU time. End to end ({@code ImageScorer.predict} on the
     * decoded image: resize, backbone, head, upsampling, blur) is measured as the CPU time of all
     * Java threads, so the head's loops count whichever pool threads they run on (run the JVM
     * with {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=1} to keep them on few
     * threads; the JVM's own garbage-collector threads are not counted). In each of 5 rounds
     * every bundle runs the images one after the other (backbone block, then end-to-end block);
     * the best round counts, as other processes can only add time (caches, memory bandwidth).
     */
    static void cpu(Category category, int images, String[] models) {
        int rounds = 5;
        java.lang.management.ThreadMXBean threadCpu = java.lang.management.ManagementFactory.getThreadMXBean();
        List<org.anomalyj.api.Detector> detectors = new ArrayList<>();
        for (String m : models) {
            detectors.add(new org.anomalyj.api.Detector(ModelBundle.load(Paths.get(m)), Double.NaN, 1));
        }
        List<FloatImage> decoded = new ArrayList<>();
        List<Sample> test = category.test();
        int n = Math.min(images, test.size());
        for (int i = 0; i < n; i++) {
            decoded.add(ImageReader.read(test.get(i * test.size() / n).image()));
        }
        double[][] backbone = new double[models.length][rounds];
        double[][] endToEnd = new double[models.length][rounds];
        double[][] endToEndThread = new double[models.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < models.length; k++) {
                org.anomalyj.api.Detector d = detectors.get(k);
                int size = BundleQuantizer.backboneSide(d.bundle());
                List<FloatImage> inputs = new ArrayList<>();
                for (FloatImage img : decoded) {
                    inputs.add(InferencePipeline.toModelInput(img, size));
                }
                FeatureExtractor e = d.extractor();
                e.extract(inputs.get(0));
                long c0 = threadCpu.getCurrentThreadCpuTime();
                for (FloatImage img : inputs) {
                    e.extract(img);
                }
                backbone[k][r] = (threadCpu.getCurrentThreadCpuTime() - c0) / 1e6 / n;
                d.pipeline().predict(decoded.get(0));
                long p0 = allThreadsCpuNanos(threadCpu);
                long t0 = threadCpu.getCurrentThreadCpuTime();
                for (FloatImage img : decoded) {
                    d.pipeline().predict(img);
                }
                endToEndThread[k][r] = (threadCpu.getCurrentThreadCpuTime() - t0) / 1e6 / n;
                endToEnd[k][r] = (allThreadsCpuNanos(threadCpu) - p0) / 1e6 / n;
            }
        }
        for (int k = 0; k < models.length; k++) {
            JsonObject o = new JsonObject();
            o.addProperty("model", models[k]);
            o.addProperty("backbone_cpu_ms", sortedCpu(backbone[k]));
            o.addProperty("end_to_end_cpu_ms", sortedCpu(endToEnd[k]));
            o.addProperty("end_to_end_calling_thread_cpu_ms", sortedCpu(endToEndThread[k]));
            o.addProperty("backbone_ratio_to_first", sortedCpu(backbone[k]) / sortedCpu(backbone[0]));
            o.addProperty("end_to_end_ratio_to_first", sortedCpu(endToEnd[k]) / sortedCpu(endToEnd[0]));
            o.addProperty("images", n);
            o.addProperty("rounds", rounds);
            o.addProperty("ort_threads", 1);
            o.addProperty("common_pool_parallelism", java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
            System.out.println(o);
            detectors.get(k).close();
        }
    }
}
