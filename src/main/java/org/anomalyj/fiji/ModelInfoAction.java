package org.anomalyj.fiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.anomalyj.AnomalyJException;
import org.anomalyj.api.ModelBundle;

/** Anomaly Model Info without any UI: a short text description of a bundle. */
public final class ModelInfoAction {
    private ModelInfoAction() {
    }

    public static String describe(Path model) {
        if (model == null || !Files.exists(model)) {
            throw new AnomalyJException("The model " + model + " does not exist; choose a model bundle (.zip).");
        }
        ModelBundle b = ModelBundle.load(model);
        StringBuilder s = new StringBuilder();
        s.append("model: ").append(model).append('\n');
        s.append("method: ").append(b.method()).append(' ').append(b.model().parameters()).append('\n');
        s.append("backbone: ").append(b.backbone().name()).append(", layers ").append(b.layers())
                .append(b.backbone().sha256() == null ? " (built-in)" : ", sha256 " + b.backbone().sha256()).append('\n');
        s.append(String.format(Locale.ROOT, "input: %s, blur sigma %.1f%n", b.geometryText(), b.blurSigma()));
        s.append("tiling: ").append(b.tiling()).append(b.models().size() > 1 ? " (" + b.models().size() + " tile models)" : "").append('\n');
        s.append(String.format(Locale.ROOT, "calibration: image threshold %.6g, pixel threshold %.6g (%s, %d images)%n",
                b.calibration().imageThreshold(), b.calibration().pixelThreshold(), b.calibration().rule(),
                b.calibration().images()));
        s.append("training: ").append(b.training()).append('\n');
        return s.toString();
    }
}
