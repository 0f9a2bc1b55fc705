package org.anomalyj.model.stfpm;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import org.anomalyj.AnomalyJException;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.io.ArrayStore;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.PatchScores;

/**
 * A trained STFPM model at inference: its "backbone" is the teacher + student graph
 * ({@link TeacherStudentGraph}), whose outputs arrive here as (teacher, student) pairs per layer;
 * the score is {@link StfpmAnomalyMap} on the finest layer's grid. The image score is the maximum
 * of the upsampled, blurred map (as anomalib's STFPM). No fitted arrays: the student's weights are
 * in the bundle's ONNX graph. A DCAM student (trained with attention and another loss, see
 * docs/training.md) detects through this same class; only the recorded method differs.
 */
public final class StfpmModel implements AnomalyModel {
    public static final String METHOD = "stfpm";
    /** STFPM's multi-class variant: same bundle and inference, trained with attention (docs/training.md). */
    public static final String METHOD_DCAM = "dcam";

    private final String method;
    private final List<String> layers;
    private final String combine;
    private final JsonObject training;

    /**
     * @param layers   the teacher layers compared (features arrive as teacher/student pairs of these)
     * @param combine  {@link StfpmAnomalyMap#SUM} or {@link StfpmAnomalyMap#PRODUCT}
     * @param training what was trained (config, epochs, losses), kept in model.json
     */
    public StfpmModel(List<String> layers, String combine, JsonObject training) {
        this(METHOD, layers, combine, training);
    }

    /** As above, recording {@code method} ({@link #METHOD} or {@link #METHOD_DCAM}) in model.json. */
    public StfpmModel(String method, List<String> layers, String combine, JsonObject training) {
        if (!isDistillation(method)) {
            throw new AnomalyJException("Unknown distillation method '" + method + "'; use stfpm or dcam.");
        }
        this.method = method;
        if (!StfpmAnomalyMap.SUM.equals(combine) && !StfpmAnomalyMap.PRODUCT.equals(combine)) {
            throw new AnomalyJException("Unknown STFPM layer combination '" + combine + "'; use sum or product.");
        }
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
        this.combine = combine;
        this.training = training == null ? new JsonObject() : training;
    }

    @Override
    public String method() {
        return method;
    }

    /** True for the methods whose model is a trained student next to its teacher (stfpm, dcam). */
    public static boolean isDistillation(String method) {
        return METHOD.equals(method) || METHOD_DCAM.equals(method);
    }

    public List<String> layers() {
        return layers;
    }

    @Override
    public PatchScores score(List<FeatureMap> features) {
        if (features.size() != 2 * layers.size()) {
            throw new AnomalyJException("The STFPM model compares " + layers.size() + " layers but got "
                    + features.size() + " feature maps; the bundle's backbone does not match its model: retrain it.");
        }
        for (int l = 0; l < layers.size(); l++) {
            String t = features.get(2 * l).name();
            String s = features.get(2 * l + 1).name();
            if (!t.equals(TeacherStudentGraph.teacherLayer(layers.get(l)))
                    || !s.equals(TeacherStudentGraph.studentLayer(layers.get(l)))) {
                throw new AnomalyJException("The STFPM model expects teacher/student outputs of " + layers
                        + " but got " + t + " and " + s + "; the bundle's backbone does not match its model: retrain it.");
            }
        }
        FeatureMap first = features.get(0);
        float[] map = StfpmAnomalyMap.combine(features, combine);
        return new PatchScores(first.width(), first.height(), map, OptionalDouble.empty());
    }

    @Override
    public JsonObject parameters() {
        JsonObject o = new JsonObject();
        JsonArray l = new JsonArray();
        layers.forEach(l::add);
        o.add("teacher_layers", l);
        o.addProperty("layer_combination", combine);
        o.addProperty("distance", "0.5 * squared L2 between channel-normalised teacher and student features");
        o.add("training", training);
        return o;
    }

    @Override
    public void writeArrays(ArrayStore store) {
        // everything is in the teacher + student ONNX graph
    }

    public static AnomalyModel read(JsonObject parameters, ArrayStore store) {
        return read(METHOD, parameters, store);
    }

    /** Reads a model of {@code method} (stfpm or dcam), written by {@link #parameters()}. */
    public static AnomalyModel read(String method, JsonObject parameters, ArrayStore store) {
        List<String> layers = new ArrayList<>();
        for (JsonElement e : parameters.getAsJsonArray("teacher_layers")) {
            layers.add(e.getAsString());
        }
        if (layers.isEmpty()) {
            throw new AnomalyJException("model.json lists no STFPM layers; retrain the model.");
        }
        JsonObject training = parameters.has("training") ? parameters.getAsJsonObject("training") : null;
        return new StfpmModel(method, layers, parameters.get("layer_combination").getAsString(), training);
    }
}
