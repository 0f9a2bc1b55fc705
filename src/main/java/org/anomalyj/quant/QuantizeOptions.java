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
     * features: {@code null} = the default ({@link #refitByDefault}), true or false
     * to choose.
     */
    public Boolean refit;
    /** ONNX Runtime threads for calibration; {@code <= 0}: all cores. */
    public int threads;

    /**
     * Relative feature error (see {@link FeatureError}) above which INT8 refits the head when
     * neither --refit nor --no-refit is given. Measured (docs/quantization.md): MobileNetV2, whose
     * PTQ head lost 2.8-16.4 points image AUROC and whose refit recovered them, moves its features by
     * far more than ResNet50v2, whose PTQ head stayed within a point while a refit (a new coreset)
     * cost up to 1.3. The threshold sits between the two.
     */
    public static final double REFIT_FEATURE_ERROR = 0.2;

    /**
     * The default: INT8 refits when its features moved more than {@link #REFIT_FEATURE_ERROR} from
     * the float ones the head was fitted on (NaN, unknown: refit); FP16 keeps the head (its feature
     * error is ~1e-3). STFPM/DCAM have no fitted head, so no refit.
     */
    public static boolean refitByDefault(Precision precision, String method, double featureError) {
        if (precision != Precision.INT8 || org.anomalyj.model.stfpm.StfpmModel.isDistillation(method)) {
            return false;
        }
        return Double.isNaN(featureError) || featureError > REFIT_FEATURE_ERROR;
    }
}
