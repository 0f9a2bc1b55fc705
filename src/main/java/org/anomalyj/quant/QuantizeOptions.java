package org.anomalyj.quant;

import java.nio.file.Path;

/** What {@link BundleQuantizer} does: precision, calibration method and where calibration images come from. */
public final class QuantizeOptions {
    public Precision precision = Precision.INT8;
    /** Minmax by default: it measured best for anomaly detection (docs/quantization.md). */
    public CalibrationMethod calibration = CalibrationMethod.MINMAX;
    /** Normal images used for calibration (spread evenly over the folder). */
    public int calibrationImages = 32;
    /** Folder of normal images (an MVTec category uses train/good); null: the bundle's training data folder. */
    public Path data;
    /**
     * Fit the head (memory bank / Gaussians) and thresholds again on the quantized backbone's
     * features: {@code null} = the default for the precision ({@link #refitByDefault}), true or false
     * to choose.
     */
    public Boolean refit;
    /** ONNX Runtime threads for calibration; {@code <= 0}: all cores. */
    public int threads;

    /**
     * INT8 refits by default: plain PTQ with the float-fitted head lost 2.8-16.4 points image AUROC
     * on MobileNetV2 (docs/quantization.md) and calibration needs the training images anyway; FP16
     * keeps the head (its feature error is ~1e-3). STFPM has no fitted head, so no refit.
     */
    public static boolean refitByDefault(Precision precision, String method) {
        return precision == Precision.INT8 && !"stfpm".equals(method);
    }
}
