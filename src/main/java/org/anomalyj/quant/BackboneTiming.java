package org.anomalyj.quant;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
 * repetition ({@code cpu_ratio_to_first}).
 *
 * <p>{@code java -cp anomalyj.jar org.anomalyj.quant.BackboneTiming RUNS MODEL.zip...}
 */
public final class BackboneTiming {
    private static final int WARMUP = 10;

    private BackboneTiming() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            throw new AnomalyJException("Usage: BackboneTiming RUNS MODEL.zip... (the first model is the reference).");
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
            System.out.println(o);
        }
    }

    /** Fills {@code cpuMs[k][r]} and {@code wallMs[k][r]}: bundle k's backbone, repetition r. */
    static void time(List<ModelBundle> bundles, int runs, double[][] cpuMs, double[][] wallMs) {
        int side = BundleQuantizer.backboneSide(bundles.get(0));
        float[] x = new float[3 * side * side];
        Random random = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * random.nextGaussian()); // values in a normalised input's range
        }
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
