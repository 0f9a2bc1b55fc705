package org.anomalyj.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.anomalyj.Progress;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.api.Trainer;
import org.anomalyj.api.UnifiedTrainer;
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
            description = "An MVTec-layout category folder (uses train/good) or a plain folder of good images; "
                    + "with --unified, a root holding categories.")
    Path data;

    @Option(names = "--out", required = true, description = "Model bundle to write (.zip); written atomically.")
    Path out;

    @Option(names = "--validation", description = "Optional MVTec-layout category whose test/ images (with defects) "
            + "set F1-optimal image and pixel thresholds instead of the three-sigma rule.")
    Path validation;

    @Option(names = "--unified", description = "Train ONE model on the good images of every category under --data "
            + "(a root of MVTec-layout categories, symbolic links allowed); detection needs no category label.")
    boolean unified;

    @Mixin
    TrainingOptionsMixin training;

    @Override
    public Integer call() {
        TrainOptions options = training.toOptions();
        ModelBundle.checkTarget(out);
        Progress progress = new StderrProgress(System.err);
        ModelBundle bundle;
        if (unified) {
            options.unified = true;
            List<Category> categories = Datasets.openRoot(data);
            System.err.printf("training one %s model on %d categories of %s (backbone %s, size %d)%n", options.method,
                    categories.size(), data, options.backbone, options.size);
            bundle = new UnifiedTrainer(options).train(categories, data.toString(), progress);
        } else {
            Category category = Datasets.openOne(data);
            System.err.printf("training %s on %d good images of '%s' (backbone %s, size %s, tiling %s)%n", options.method,
                    category.trainGood().size(), category.name(), options.backbone,
                    options.size == 0 ? "native" : String.valueOf(options.size), options.tiling);
            bundle = new Trainer(options).train(category.trainGood(), data.toString(), progress);
        }
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
