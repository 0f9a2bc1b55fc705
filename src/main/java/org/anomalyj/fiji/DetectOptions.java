package org.anomalyj.fiji;

import java.nio.file.Path;
import org.anomalyj.post.Heatmap;

/** What Detect Anomalies was asked to do; the fields mirror the dialog and macro keys. */
public final class DetectOptions {
    /** {@code model=}: the bundle (.zip or unpacked folder). */
    public Path model;
    /** {@code threshold=}: raw image-score threshold, NaN for the model's calibrated one. */
    public double threshold = Double.NaN;
    /** {@code opacity=}: heatmap opacity in 0..1 (the dialog asks in percent). */
    public double opacity = Heatmap.DEFAULT_OPACITY;
    /** {@code min_area=}: smallest region reported, in pixels. */
    public int minArea = 1;
    /** {@code anomaly_map}: also show the 32-bit anomaly map image. */
    public boolean showMap;
    /** {@code mask}: also show the binary (0/255) mask image. */
    public boolean showMask;
    /** ONNX Runtime intra-op threads, 0 = all cores. */
    public int threads;
}
