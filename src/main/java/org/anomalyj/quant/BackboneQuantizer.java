package org.anomalyj.quant;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.onnx.Sessions;

/**
 * Post-training quantization of a float ONNX backbone: static INT8 in QDQ form with activation
 * ranges calibrated on images, or FP16. Works on the ONNX bytes only (no bundle, no UI).
 */
public final class BackboneQuantizer {
    private BackboneQuantizer() {
    }

    /** "int8" or "fp16" if the model is already quantized (QDQ/QOperator ops, half weights), else null. */
    public static String existingQuantization(byte[] onnx, String source) {
        return QuantGraph.parse(onnx, source).existingQuantization();
    }

    private static QuantGraph openFloat(byte[] onnx, String source) {
        QuantGraph g = QuantGraph.parse(onnx, source);
        String q = g.existingQuantization();
        if (q != null) {
            throw new AnomalyJException("The backbone of " + source + " is already quantized (" + q
                    + "); quantize the original float model instead.");
        }
        return g;
    }

    /** FP16 weights and activations, float32 inputs/outputs. */
    public static QuantizedBackbone toFp16(byte[] onnx, String source) {
        QuantGraph g = openFloat(onnx, source);
        Map<String, Integer> ops = opCounts(g);
        Fp16Converter.convert(g);
        JsonObject r = new JsonObject();
        r.addProperty("precision", Precision.FP16.id());
        r.addProperty("calibration", "none");
        r.addProperty("images", 0);
        r.add("ops_quantized", toJson(ops));
        r.add("ops_left_float", new JsonObject());
        r.addProperty("note", "float16 weights and activations; inputs and outputs stay float32 (Cast nodes)");
        return new QuantizedBackbone(g.toBytes(), r, Collections.emptyList());
    }

    /**
     * Static INT8 quantization.
     *
     * @param inputName the graph input the images feed
     * @param images    calibration inputs, each a preprocessed 1x3xHxW tensor (NCHW floats)
     */
    public static QuantizedBackbone toInt8(byte[] onnx, String source, String inputName, List<float[]> images,
            int height, int width, CalibrationMethod method, int threads, Progress progress) {
        QuantGraph g = openFloat(onnx, source);
        int folded = GraphPreparer.prepare(g);
        QdqPlan plan = QdqPlan.of(g);
        if (plan.weightOps.isEmpty()) {
            throw new AnomalyJException("The backbone of " + source + " has no Conv, Gemm or MatMul with constant weights"
                    + " that int8 quantization could speed up; use --precision fp16 or keep the float model.");
        }
        Map<String, ActivationHistogram> stats = calibrate(g, plan.qdqSource.keySet(), inputName, images, height,
                width, method != CalibrationMethod.MINMAX, threads, progress);
        Map<String, float[]> ranges = new HashMap<>();
        for (Map.Entry<String, ActivationHistogram> e : stats.entrySet()) {
            ranges.put(e.getKey(), e.getValue().range(method));
        }
        QdqRewriter.rewrite(g, plan, ranges);
        List<String> warnings = new ArrayList<>();
        for (String u : plan.unhandled) {
            warnings.add(u + " left in float (its weights are not constant or its type is not quantized by AnomalyJ)");
        }
        JsonObject r = new JsonObject();
        r.addProperty("precision", Precision.INT8.id());
        r.addProperty("calibration", method.id());
        r.addProperty("images", images.size());
        r.addProperty("weights", "int8 symmetric per output channel (-127..127)");
        r.addProperty("activations", "uint8 asymmetric per tensor, QuantizeLinear/DequantizeLinear pairs");
        r.add("ops_quantized", toJson(plan.quantizedOps));
        r.addProperty("activations_absorbed", plan.absorbed.size());
        r.addProperty("batchnorm_folded", folded);
        r.add("ops_left_float", toJson(plan.floatOps));
        JsonArray un = new JsonArray();
        plan.unhandled.forEach(un::add);
        r.add("unhandled_ops", un);
        r.addProperty("activation_tensors", plan.qdqSource.size());
        int padded = 0;
        for (QdqPlan.WeightOp op : plan.weightOps) {
            padded += op.paddedChannels > 0 ? 1 : 0;
        }
        r.addProperty("conv_inputs_channel_padded", padded);
        return new QuantizedBackbone(g.toBytes(), r, warnings);
    }

    private static Map<String, Integer> opCounts(QuantGraph g) {
        Map<String, Integer> m = new java.util.TreeMap<>();
        for (OnnxMl.NodeProto n : g.nodes) {
            m.merge(n.getOpType(), 1, Integer::sum);
        }
        return m;
    }

    private static JsonObject toJson(Map<String, Integer> counts) {
        JsonObject o = new JsonObject();
        counts.forEach(o::addProperty);
        return o;
    }

    /**
     * Runs the float graph with {@code tensors} as extra outputs on every image: pass 1 records
     * ranges, pass 2 (only for histogram methods) counts values into histograms.
     */
    static Map<String, ActivationHistogram> calibrate(QuantGraph g, Set<String> tensors, String inputName,
            List<float[]> images, int height, int width, boolean histograms, int threads, Progress progress) {
        if (images.isEmpty()) {
            throw new AnomalyJException("No calibration images; pass --data with a folder of normal images.");
        }
        Map<String, ActivationHistogram> stats = new LinkedHashMap<>();
        for (String t : tensors) {
            stats.put(t, new ActivationHistogram());
        }
        List<OnnxMl.ValueInfoProto> savedOutputs = new ArrayList<>(g.outputs);
        Set<String> fetch = new LinkedHashSet<>(tensors);
        Set<String> existing = g.outputNames();
        for (String t : tensors) {
            if (!existing.contains(t)) {
                g.outputs.add(OnnxMl.ValueInfoProto.newBuilder().setName(t).build());
            }
        }
        byte[] model = g.toBytes();
        g.outputs.clear();
        g.outputs.addAll(savedOutputs);
        int passes = histograms ? 2 : 1;
        try (OrtSession session = Sessions.create(model, threads)) {
            for (int pass = 0; pass < passes; pass++) {
                if (pass == 1) {
                    stats.values().forEach(ActivationHistogram::freeze);
                }
                for (int i = 0; i < images.size(); i++) {
                    progress.checkCancelled();
                    try (OnnxTensor in = OnnxTensor.createTensor(Sessions.environment(), FloatBuffer.wrap(images.get(i)),
                            new long[] {1, 3, height, width});
                            OrtSession.Result res = session.run(Collections.singletonMap(inputName, in), fetch)) {
                        for (Map.Entry<String, OnnxValue> e : res) {
                            FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                            float[] v = fb.array();
                            ActivationHistogram h = stats.get(e.getKey());
                            if (pass == 0) {
                                h.observe(v, fb.arrayOffset(), fb.remaining());
                            } else {
                                h.accumulate(v, fb.arrayOffset(), fb.remaining());
                            }
                        }
                    }
                    progress.update(pass == 0 ? "calibration ranges" : "calibration histograms", i + 1, images.size());
                }
            }
        } catch (OrtException e) {
            throw new AnomalyJException("ONNX Runtime could not run the backbone for calibration ("
                    + e.getMessage() + "); check that the calibration images match the model.", e);
        }
        if (!histograms) {
            stats.values().forEach(ActivationHistogram::freeze);
        }
        return stats;
    }
}
