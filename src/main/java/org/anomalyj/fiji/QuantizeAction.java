package org.anomalyj.fiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.quant.BundleQuantizer;
import org.anomalyj.quant.QuantizeOptions;

/**
 * Quantize Anomaly Model without any UI: post-training quantization of a bundle's ONNX backbone
 * (INT8 with a calibration method, or FP16), optionally with the head fitted again on the
 * quantized features, saved atomically as a new bundle (as {@code anomalyj quantize} does). The
 * input bundle is never written; a cancel leaves nothing behind.
 */
public final class QuantizeAction {
    private QuantizeAction() {
    }

    /**
     * @param model    the float bundle (.zip or unpacked folder)
     * @param output   the quantized bundle to write (.zip, not the input)
     * @param options  precision, calibration method and images, data folder (null: the training folder) and threads
     * @param refit    fit the head again on the quantized backbone's features: true, false, or null for the
     *                 default (INT8: when the features moved far from the float ones, see QuantizeOptions#refitByDefault)
     * @param warnings receives one line per warning (e.g. operators left in float)
     * @return the quantized bundle as saved
     */
    public static ModelBundle quantize(Path model, Path output, QuantizeOptions options, Boolean refit, Progress progress,
            Consumer<String> warnings) {
        if (model == null || !Files.exists(model)) {
            throw new AnomalyJException("The model " + model + " does not exist; choose a model bundle (.zip).");
        }
        ModelBundle.checkTarget(output);
        if (output.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
            throw new AnomalyJException("The output " + output + " is the model itself; choose another file for the quantized model.");
        }
        if (options.data != null && !Files.isDirectory(options.data)) {
            throw new AnomalyJException("The data folder " + options.data + " does not exist; choose a folder of normal images"
                    + " (an MVTec category or a plain folder) or leave it empty to use the model's training folder.");
        }
        progress.update("loading " + model.getFileName(), 0, 0);
        options.refit = refit;
        ModelBundle q = BundleQuantizer.quantizeBundle(ModelBundle.load(model), model, options, progress, warnings);
        progress.checkCancelled();
        q.save(output);
        return q;
    }
}
