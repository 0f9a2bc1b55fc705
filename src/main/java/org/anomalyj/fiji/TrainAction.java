package org.anomalyj.fiji;

import java.nio.file.Files;
import java.nio.file.Path;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.api.Trainer;
import org.anomalyj.api.UnifiedTrainer;
import org.anomalyj.api.ValidationCalibrator;
import org.anomalyj.data.Category;
import org.anomalyj.data.Datasets;

/**
 * Train Anomaly Model without any UI: fits on the good images of one category (MVTec layout's
 * train/good, or a plain folder of good images), optionally re-calibrates on a validation
 * category, and saves the bundle atomically. With {@code options.unified}, {@code data} is a root of
 * categories and one model is trained on all of them ({@link UnifiedTrainer}); the bundle is saved atomically (a cancel or a crash leaves no file behind).
 */
public final class TrainAction {
    private TrainAction() {
    }

    /**
     * @param validation an MVTec-layout category with defects for F1-optimal thresholds, or null
     */
    public static ModelBundle train(Path data, Path output, TrainOptions options, Path validation, int threads,
            Progress progress) {
        if (data == null || !Files.isDirectory(data)) {
            throw new AnomalyJException("The data folder " + data + " does not exist; choose a category folder (with train/good) or a folder of good images.");
        }
        ModelBundle.checkTarget(output);
        ModelBundle bundle;
        if (options.unified) {
            bundle = new UnifiedTrainer(options).train(Datasets.openRoot(data), data.toString(), progress);
        } else {
            Category category = Datasets.openOne(data);
            bundle = new Trainer(options).train(category.trainGood(), data.toString(), progress);
        }
        if (validation != null) {
            bundle = ValidationCalibrator.calibrate(bundle, Datasets.openOne(validation), threads, progress);
        }
        progress.checkCancelled();
        bundle.save(output);
        return bundle;
    }
}
