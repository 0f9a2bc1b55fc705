package org.anomalyj.quant;

import java.util.Locale;
import org.anomalyj.AnomalyJException;

/** How an activation tensor's quantization range is chosen from the values seen on calibration images. */
public enum CalibrationMethod {
    /** The observed minimum and maximum: no clipping, coarsest steps when there are outliers. */
    MINMAX,
    /** The 0.01% most extreme values are clipped ({@link ActivationHistogram#PERCENTILE}). */
    PERCENTILE,
    /** The clipping threshold that minimises the KL divergence between the histogram and its quantized copy (TensorRT). */
    ENTROPY;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CalibrationMethod parse(String s) {
        for (CalibrationMethod m : values()) {
            if (m.id().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new AnomalyJException("Unknown calibration method '" + s + "'; use minmax, percentile or entropy.");
    }
}
