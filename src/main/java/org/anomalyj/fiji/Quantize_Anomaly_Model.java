package org.anomalyj.fiji;

import com.google.gson.JsonObject;
import ij.IJ;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.quant.CalibrationMethod;
import org.anomalyj.quant.Precision;
import org.anomalyj.quant.QuantizeOptions;

/**
 * Plugins &gt; Anomaly Detection &gt; Quantize Anomaly Model... (ImageJ 1.x entry point). Macro:
 * <pre>run("Quantize Anomaly Model...", "model=[/path/model.zip] output=[/path/model-int8.zip] precision=int8 calibration=minmax calibration_images=32 data=[/path/grain] refit=auto");</pre>
 * {@code data} is optional (default: the model's training folder); {@code refit=auto|yes|no}
 * (default auto, as {@code anomalyj quantize}: INT8 refits the head when its features moved far
 * from the float ones; yes = {@code --refit}, no = {@code --no-refit}).
 * The result and any warning go to the Log. Needs tribuo-util-onnx and protobuf-java on the class
 * path (Fiji's jars/); the quantized bundle then loads in every command like any other.
 */
public class Quantize_Anomaly_Model implements PlugIn {
    static final String TITLE = "Quantize Anomaly Model";
    private static final String[] PRECISIONS = {"int8", "fp16"};
    private static final String[] CALIBRATIONS = {"minmax", "percentile", "entropy"};

    @Override
    public void run(String arg) {
        UserErrors.run(TITLE, this::runWithDialog);
    }

    private static final String[] REFITS = {"auto", "yes", "no"};

    private void runWithDialog() {
        QuantizeOptions defaults = new QuantizeOptions();
        PluginDialog gd = new PluginDialog(TITLE);
        gd.addFile("Model", Dialogs.remembered("model", ""));
        gd.addFile("Output", "");
        gd.addMessage("the quantized model (.zip), a new file");
        gd.addChoice("Precision", PRECISIONS, defaults.precision.id());
        gd.addChoice("Calibration", CALIBRATIONS, defaults.calibration.id());
        gd.addMessage("int8 activation ranges: minmax (best measured), percentile (99.99%) or entropy (KL)");
        gd.addNumber("Calibration_images", defaults.calibrationImages, 0, "normal images");
        gd.addFolder("Data", "");
        gd.addMessage("optional: folder of normal images (an MVTec category uses train/good); empty = the training folder");
        gd.addChoice("Refit", REFITS, "auto");
        gd.addMessage("refit: fit the memory bank / Gaussians and thresholds again on the quantized features (as long as"
                + " training); auto: int8 refits when its features moved more than "
                + (int) Math.round(100 * QuantizeOptions.REFIT_FEATURE_ERROR) + "% from the float ones; never for fp16 or STFPM/DCAM");
        if (!gd.show()) {
            return;
        }
        Path model = Dialogs.path(gd.nextString());
        Path output = Dialogs.path(gd.nextString());
        QuantizeOptions o = new QuantizeOptions();
        o.precision = Precision.parse(gd.nextChoice());
        o.calibration = CalibrationMethod.parse(gd.nextChoice());
        o.calibrationImages = (int) gd.nextNumber();
        o.data = Dialogs.path(gd.nextString());
        String refitChoice = gd.nextChoice();
        Boolean refit = "yes".equals(refitChoice) ? Boolean.TRUE : "no".equals(refitChoice) ? Boolean.FALSE : null;
        if (o.calibrationImages < 1) {
            throw new org.anomalyj.AnomalyJException(TITLE + ": calibration_images must be at least 1, not "
                    + o.calibrationImages + ".");
        }
        IJProgress progress = new IJProgress(TITLE);
        try {
            ModelBundle q = QuantizeAction.quantize(model, output, o, refit, progress, w -> IJ.log(TITLE + ": warning: " + w));
            Dialogs.remember("model", output.toString());
            JsonObject r = q.training().getAsJsonObject("quantization");
            IJ.log(TITLE + ": wrote " + output + " (" + o.precision.id()
                    + (o.precision == Precision.INT8 ? ", calibration " + o.calibration.id() : "")
                    + (r.has("refit") && r.get("refit").getAsBoolean() ? ", head refitted" : "")
                    + (r.has("feature_error") ? String.format(java.util.Locale.ROOT, ", feature error %.3f",
                            r.get("feature_error").getAsDouble()) : "") + "; backbone " + r.get("float_bytes").getAsLong() + " -> "
                    + r.get("bytes").getAsLong() + " bytes; quantized " + r.get("ops_quantized") + "; left in float "
                    + r.get("ops_left_float") + ")");
        } finally {
            progress.done(TITLE + ": done");
        }
    }
}
