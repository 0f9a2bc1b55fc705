package org.anomalyj.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.quant.BundleQuantizer;
import org.anomalyj.quant.CalibrationMethod;
import org.anomalyj.quant.Precision;
import org.anomalyj.quant.QuantizeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Quantize a model's backbone (INT8 QDQ with calibrated activation ranges, or FP16) and write it as a"
                + " new model bundle; INT8 refits the head on the quantized features when they moved far from the float ones"
                + " (or with --refit; --no-refit never).")
final class QuantizeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model bundle with an ONNX backbone (.zip or unpacked folder).")
    Path model;

    @Option(names = "--out", required = true, description = "Quantized model bundle to write (.zip).")
    Path out;

    @Option(names = "--precision", defaultValue = "int8", description = "int8 or fp16 (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--calibration", defaultValue = "minmax",
            description = "INT8 activation ranges: minmax, percentile (99.99%%) or entropy (KL, TensorRT-style) (default: ${DEFAULT-VALUE}).")
    String calibration;

    @Option(names = "--calibration-images", defaultValue = "32", description = "Normal images used for calibration (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--data", description = "Folder of normal images (an MVTec category uses train/good); default: the model's training folder.")
    Path data;

    @Option(names = "--refit", negatable = true, description = "Re-extract the training images' features with the quantized"
            + " backbone and fit the head (memory bank / Gaussians) and thresholds again (as long as training). Default for"
            + " int8: refit when the quantized features moved more than 20% (relative, on 8 calibration images) from the float"
            + " ones the head was fitted on (MobileNetV2, whose plain PTQ lost up to 16 points image AUROC); off for fp16 and"
            + " STFPM/DCAM models. --no-refit keeps the float-fitted head (fast).")
    Boolean refit;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads, 0 = all cores.")
    int threads;

    @Override
    public Integer call() {
        ModelBundle.checkTarget(out);
        QuantizeOptions o = new QuantizeOptions();
        o.precision = Precision.parse(precision);
        o.calibration = CalibrationMethod.parse(calibration);
        o.calibrationImages = images;
        o.data = data;
        o.threads = threads;
        o.refit = refit;
        ModelBundle bundle = ModelBundle.load(model);
        ModelBundle q = BundleQuantizer.quantizeBundle(bundle, model, o, new StderrProgress(System.err),
                w -> System.err.println("warning: " + w));
        q.save(out);
        com.google.gson.JsonObject r = q.training().getAsJsonObject("quantization");
        System.out.printf("wrote %s (%s, calibration %s, head %s; backbone %d -> %d bytes; quantized %s; left in float %s)%n", out,
                o.precision.id(), r.get("calibration").getAsString(), r.get("refit").getAsBoolean() ? "refitted" : "kept",
                r.get("float_bytes").getAsLong(),
                r.get("bytes").getAsLong(), r.get("ops_quantized"), r.get("ops_left_float"));
        return 0;
    }
}
