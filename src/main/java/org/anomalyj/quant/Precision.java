package org.anomalyj.quant;

import java.util.Locale;
import org.anomalyj.AnomalyJException;

/** Target precision of a quantized backbone. */
public enum Precision {
    /** 8-bit integers: int8 per-channel weights, uint8 activations, QuantizeLinear/DequantizeLinear (QDQ) form. */
    INT8,
    /** IEEE half floats for every weight and activation; float32 inputs and outputs. */
    FP16;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision parse(String s) {
        for (Precision p : values()) {
            if (p.id().equalsIgnoreCase(s.trim())) {
                return p;
            }
        }
        throw new AnomalyJException("Unknown precision '" + s + "'; use int8 or fp16.");
    }
}
