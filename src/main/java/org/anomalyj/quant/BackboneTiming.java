package org.anomalyj.quant;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.anomalyj.AnomalyJException;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.onnx.Sessions;

/**
 * Single-thread latency of the backbones of several bundles (e.g. FP32 and its INT8 variants),
 * measured so that their ratio holds on a machine shared with other work: one ONNX Runtime
 * session per backbone with one intra-op thread, the same 1x3xSxS input, and the backbones run
 * <em>interleaved</em> (one run of each, repeated), so load changes hit all of them alike. Per
 * backbone it prints one JSON line: the median calling-thread CPU time and wall time per run, and
 * the median over repetitions of the CPU-time ratio to the first bundle's run in the same
 * repetition ({@code cpu_ratio_to_first}), and the operators of the graph ONNX Runtime actually
 * runs after its optimisations ({@code optimized_ops}: QLinearConv, QLinearAdd, stray
 * QuantizeLinear/DequantizeLinear, float ops left).
 *
 * <p>{@code java -cp anomalyj.jar org.anomalyj.quant.BackboneTiming RUNS MODEL.zip...}
 *
 * <p>{@code ... BackboneTiming --profile RUNS MODEL.zip}: ONNX Runtime's profiler over RUNS runs
 * of one backbone (one thread): kernel microseconds per run by operator type, and the slowest nodes.
 */
public final class BackboneTiming {
    private static final int WARMUP = 10;

    private BackboneTiming() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            throw new AnomalyJException("Usage: BackboneTiming RUNS MODEL.zip... (the first model is the reference).");
        }
        if (args[0].equals("--profile")) {
            profile(ModelBundle.load(Paths.get(args[2])), Integer.parseInt(args[1]));
            return;
        }
        int runs = Integer.parseInt(args[0]);
        List<ModelBundle> bundles = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            bundles.add(ModelBundle.load(Paths.get(args[i])));
        }
        double[][] cpuMs = new double[bundles.size()][runs];
        double[][] wallMs = new double[bundles.size()][runs];
        time(bundles, runs, cpuMs, wallMs);
        for (int k = 0; k < bundles.size(); k++) {
            double[] ratio = new double[runs];
            for (int r = 0; r < runs; r++) {
                ratio[r] = cpuMs[k][r] / cpuMs[0][r];
            }
            JsonObject o = new JsonObject();
            o.addProperty("model", args[k + 1]);
            o.addProperty("backbone", bundles.get(k).backbone().name());
            o.addProperty("runs", runs);
            o.addProperty("cpu_ms_median", median(cpuMs[k]));
            o.addProperty("wall_ms_median", median(wallMs[k]));
            o.addProperty("cpu_ratio_to_first", median(ratio));
            o.add("optimized_ops", optimizedOps(bundles.get(k).backboneOnnx()));
            System.out.println(o);
        }
    }

    /** Operator counts of the graph ORT runs (its optimised model, written to a temporary file). */
    static JsonObject optimizedOps(byte[] onnx) {
        JsonObject o = new JsonObject();
        try {
            Path file = Files.createTempFile("anomalyj-optimized", ".onnx");
            try {
                try (OrtSession.SessionOptions options = Sessions.options(1)) {
                    options.setOptimizedModelFilePath(file.toString());
                    Sessions.environment().createSession(onnx, options).close();
                }
                Map<String, Integer> counts = new TreeMap<>();
                for (OnnxMl.NodeProto n : OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file)).getGraph().getNodeList()) {
                    counts.merge(n.getOpType(), 1, Integer::sum);
                }
                counts.forEach(o::addProperty);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException | OrtException e) {
            throw new AnomalyJException("Could not write ONNX Runtime's optimised graph (" + e.getMessage() + ").", e);
        }
        return o;
    }

    /** Prints kernel time per run by operator type and the 15 slowest nodes, from ORT's profiler. */
    static void profile(ModelBundle bundle, int runs) {
        int side = BundleQuantizer.backboneSide(bundle);
        try {
            Path dir = Files.createTempDirectory("anomalyj-profile");
            String trace;
            try (OrtSession.SessionOptions options = Sessions.options(1)) {
                options.enableProfiling(dir.resolve("ort").toString());
                try (OrtSession session = Sessions.environment().createSession(bundle.backboneOnnx(), options);
                        OnnxTensor t = OnnxTensor.createTensor(Sessions.environment(), FloatBuffer.wrap(input(side)),
                                new long[] {1, 3, side, side})) {
                    for (int r = 0; r < runs; r++) {
                        session.run(Collections.singletonMap(bundle.backbone().input(), t)).close();
                    }
                    trace = session.endProfiling();
                }
            }
            Map<String, Double> byOp = new TreeMap<>();
            Map<String, Double> byNode = new TreeMap<>();
            for (JsonElement e : JsonParser.parseString(new String(Files.readAllBytes(Paths.get(trace)),
                    java.nio.charset.StandardCharsets.UTF_8)).getAsJsonArray()) {
                JsonObject ev = e.getAsJsonObject();
                String name = ev.has("name") ? ev.get("name").getAsString() : "";
                if (!ev.has("cat") || !ev.get("cat").getAsString().equals("Node") || !name.endsWith("_kernel_time")) {
                    continue;
                }
                double us = ev.get("dur").getAsDouble() / runs;
                String op = ev.getAsJsonObject("args").get("op_name").getAsString();
                byOp.merge(op, us, Double::sum);
                byNode.merge(op + " " + name.substring(0, name.length() - "_kernel_time".length()), us, Double::sum);
            }
            Files.deleteIfExists(Paths.get(trace));
            Files.deleteIfExists(dir);
            JsonObject o = new JsonObject();
            o.addProperty("backbone", bundle.backbone().name());
            o.addProperty("runs", runs);
            o.addProperty("kernel_us_per_run", byOp.values().stream().mapToDouble(Double::doubleValue).sum());
            JsonObject ops = new JsonObject();
            byOp.forEach(ops::addProperty);
            o.add("us_by_op", ops);
            JsonObject slowest = new JsonObject();
            byNode.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(15)
                    .forEach(en -> slowest.addProperty(en.getKey(), en.getValue()));
            o.add("slowest_nodes_us", slowest);
            System.out.println(o);
        } catch (IOException | OrtException e) {
            throw new AnomalyJException("ONNX Runtime could not profile the backbone of " + bundle.backbone().name()
                    + " (" + e.getMessage() + ").", e);
        }
    }

    /** Seeded values in a normalised input's range (convolution speed does not depend on them). */
    private static float[] input(int side) {
        float[] x = new float[3 * side * side];
        Random random = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * random.nextGaussian());
        }
        return x;
    }

    /** Fills {@code cpuMs[k][r]} and {@code wallMs[k][r]}: bundle k's backbone, repetition r. */
    static void time(List<ModelBundle> bundles, int runs, double[][] cpuMs, double[][] wallMs) {
        int side = BundleQuantizer.backboneSide(bundles.get(0));
        float[] x = input(side);
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        List<OrtSession> sessions = new ArrayList<>();
        List<OnnxTensor> tensors = new ArrayList<>();
        try {
            List<Map<String, OnnxTensor>> feeds = new ArrayList<>();
            for (ModelBundle b : bundles) {
                if (b.backboneOnnx() == null || BundleQuantizer.backboneSide(b) != side) {
                    throw new AnomalyJException("Model " + b.backbone().name() + " has no ONNX backbone or another input size than "
                            + side + "; compare bundles of the same model.");
                }
                sessions.add(Sessions.create(b.backboneOnnx(), 1));
                OnnxTensor t = OnnxTensor.createTensor(Sessions.environment(), FloatBuffer.wrap(x), new long[] {1, 3, side, side});
                tensors.add(t);
                feeds.add(Collections.singletonMap(b.backbone().input(), t));
            }
            for (int w = 0; w < WARMUP; w++) {
                for (int k = 0; k < sessions.size(); k++) {
                    sessions.get(k).run(feeds.get(k)).close();
                }
            }
            for (int r = 0; r < runs; r++) {
                for (int k = 0; k < sessions.size(); k++) {
                    long c0 = bean.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    sessions.get(k).run(feeds.get(k)).close();
                    wallMs[k][r] = (System.nanoTime() - t0) / 1e6;
                    cpuMs[k][r] = (bean.getCurrentThreadCpuTime() - c0) / 1e6;
                }
            }
        } catch (OrtException e) {
            throw new AnomalyJException("ONNX Runtime could not run a backbone (" + e.getMessage() + ").", e);
        } finally {
            tensors.forEach(OnnxTensor::close);
            for (OrtSession s : sessions) {
                try {
                    s.close();
                } catch (OrtException e) {
                    // closing after the measurement: nothing left to report
                }
            }
        }
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }
}
