package org.anomalyj.quant;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A quantized backbone: the ONNX bytes, what was done (for model.json) and warnings for the user. */
public final class QuantizedBackbone {
    private final byte[] onnx;
    private final JsonObject report;
    private final List<String> warnings;

    QuantizedBackbone(byte[] onnx, JsonObject report, List<String> warnings) {
        this.onnx = onnx;
        this.report = report;
        this.warnings = Collections.unmodifiableList(new ArrayList<>(warnings));
    }

    public byte[] onnx() {
        return onnx.clone();
    }

    /** {precision, calibration, images, ops_quantized, ops_left_float, ...} as recorded in model.json. */
    public JsonObject report() {
        return report.deepCopy();
    }

    /** Operators the quantizer could not handle (left in float), one line each. */
    public List<String> warnings() {
        return warnings;
    }
}
