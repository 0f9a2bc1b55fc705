package org.anomalyj.api;

import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.List;
import org.anomalyj.report.NamedCurve;

/** Metrics of one model on one category's test split (the fields of the evaluate JSON). */
public final class EvaluationResult {
    public String category;
    public String method;
    public String backbone;
    public int inputSize;
    /** Input height when it differs from {@link #inputSize} (a non-square tiled geometry), else 0. */
    public int inputHeight;
    /** "sm", or e.g. "ens tile 256 stride 128". */
    public String tiling = "sm";
    /** Name of the compared geometry/tiling (evaluate --setups), or null. */
    public String tilingSetup;
    /** Largest live Java heap while the test images were scored / while the model was trained (MB, see HeapWatch); NaN when not measured. */
    public double peakHeapMb = Double.NaN;
    public double fitPeakHeapMb = Double.NaN;
    /** Size of the saved bundle in bytes, -1 when not measured. */
    public long bundleBytes = -1;
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
    /**
     * The curves drawn into the report (set only when a report folder was given; not part of the
     * JSON): image ROC and, with masks, pixel ROC; the PRO curve (empty without masks). The
     * Fiji plugin shows them as plot windows.
     */
    public transient List<NamedCurve> rocCurves = Collections.emptyList();
    public transient List<NamedCurve> proCurves = Collections.emptyList();
    /** "unified" or "separate" in a unified-versus-separate comparison; null (not written) otherwise. */
    public String setup;

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("category", category);
        o.addProperty("method", method);
        o.addProperty("backbone", backbone);
        o.addProperty("input_size", inputSize);
        if (inputHeight > 0) {
            o.addProperty("input_height", inputHeight);
        }
        o.addProperty("tiling", tiling);
        if (tilingSetup != null) {
            o.addProperty("tiling_setup", tilingSetup);
        }
        put(o, "image_auroc", imageAuroc);
        put(o, "pixel_auroc", pixelAuroc);
        put(o, "aupro", aupro);
        put(o, "image_f1_max", imageF1Max);
        put(o, "image_f1", imageF1);
        put(o, "fit_seconds", fitSeconds);
        put(o, "infer_ms_per_image", inferMsPerImage);
        put(o, "peak_heap_mb", peakHeapMb);
        put(o, "fit_peak_heap_mb", fitPeakHeapMb);
        if (bundleBytes >= 0) {
            o.addProperty("bundle_bytes", bundleBytes);
        }
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
