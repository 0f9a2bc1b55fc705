package org.anomalyj.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.anomalyj.Progress;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.api.Trainer;
import org.anomalyj.api.ValidationCalibrator;
import org.anomalyj.data.Category;
import org.anomalyj.data.Datasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Learn what normal looks like from good images and write a model bundle (.zip).")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true,
            description = "An MVTec-layout category folder (uses train/good) or a plain folder of good images.")
    Path data;

    @Option(names = "--out", required = true, description = "Model bundle to write (.zip); written atomically.")
    Path out;

    @Option(names = "--validation", description = "Optional MVTec-layout category whose test/ images (with defects) "
            + "set F1-optimal image and pixel thresholds instead of the three-sigma rule.")
    Path validation;

    @Mixin
    TrainingOptionsMixin training;

    @Override
    public Integer call() {
        TrainOptions options = training.toOptions();
        ModelBundle.checkTarget(out);
        Category category = Datasets.openOne(data);
        Progress progress = new StderrProgress(System.err);
        System.err.printf("training %s on %d good images of '%s' (backbone %s, size %s, tiling %s)%n", options.method,
                category.trainGood().size(), category.name(), options.backbone,
                options.size == 0 ? "native" : String.valueOf(options.size), options.tiling);
        ModelBundle bundle = new Trainer(options).train(category.trainGood(), data.toString(), progress);
        if (validation != null) {
            bundle = ValidationCalibrator.calibrate(bundle, Datasets.openOne(validation),
                    options.threads, progress);
        }
        bundle.save(out);
        System.out.printf("wrote %s (%s, %s, %.1f s; image threshold %.4g, pixel threshold %.4g)%n", out,
                bundle.method(), bundle.backbone().name(), bundle.training().get("seconds").getAsDouble(),
                bundle.calibration().imageThreshold(), bundle.calibration().pixelThreshold());
        return 0;
    }
}
