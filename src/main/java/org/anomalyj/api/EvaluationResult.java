package org.anomalyj.api;

import com.google.gson.JsonObject;

/** Metrics of one model on one category's test split (the fields of the evaluate JSON). */
public final class EvaluationResult {
    public String category;
    public String method;
    public String backbone;
    public int inputSize;
    public double imageAuroc = Double.NaN;
    public double pixelAuroc = Double.NaN;
    public double aupro = Double.NaN;
    public double imageF1Max = Double.NaN;
    /** F1 at the model's calibrated image threshold. */
    public double imageF1 = Double.NaN;
    public double fitSeconds = Double.NaN;
    public double inferMsPerImage = Double.NaN;
    public int nTrain;
    public int nTest;
    /** "unified" or "separate" in a unified-versus-separate comparison; null (not written) otherwise. */
    public String setup;

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("category", category);
        o.addProperty("method", method);
        o.addProperty("backbone", backbone);
        o.addProperty("input_size", inputSize);
        put(o, "image_auroc", imageAuroc);
        put(o, "pixel_auroc", pixelAuroc);
        put(o, "aupro", aupro);
        put(o, "image_f1_max", imageF1Max);
        put(o, "image_f1", imageF1);
        put(o, "fit_seconds", fitSeconds);
        put(o, "infer_ms_per_image", inferMsPerImage);
        o.addProperty("n_train", nTrain);
        o.addProperty("n_test", nTest);
        if (setup != null) {
            o.addProperty("setup", setup);
        }
        return o;
    }

    /** NaN (metric not defined, e.g. no masks) is written as JSON null. */
    static void put(JsonObject o, String key, double v) {
        if (Double.isNaN(v)) {
            o.add(key, com.google.gson.JsonNull.INSTANCE);
        } else {
            o.addProperty(key, Math.round(v * 1e6) / 1e6);
        }
    }
}
