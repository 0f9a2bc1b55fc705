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
    /** ONNX Runtime threads for calibration; {@code <= 0}: all cores. */
    public int threads;
}
