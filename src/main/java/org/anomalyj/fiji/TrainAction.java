package org.anomalyj.fiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.api.Trainer;
import org.anomalyj.api.ValidationCalibrator;
import org.anomalyj.data.Category;
import org.anomalyj.data.Datasets;

/**
 * Train Anomaly Model without any UI: fits on the good images of one category (MVTec layout's
 * train/good, or a plain folder of good images), optionally re-calibrates on a validation
 * category, and saves the bundle atomically (a cancel or a crash leaves no file behind).
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
        checkOutput(output);
        Category category = single(Datasets.open(data), data);
        ModelBundle bundle = new Trainer(options).train(category.trainGood(), data.toString(), progress);
        if (validation != null) {
            bundle = ValidationCalibrator.calibrate(bundle, single(Datasets.open(validation), validation), threads, progress);
        }
        progress.checkCancelled();
        bundle.save(output);
        return bundle;
    }

    static void checkOutput(Path output) {
        if (output == null || output.getFileName() == null) {
            throw new AnomalyJException("No output file given; choose where to save the model (a .zip file).");
        }
        if (!output.getFileName().toString().toLowerCase().endsWith(".zip")) {
            throw new AnomalyJException("The model file " + output + " must end in .zip.");
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new AnomalyJException("The folder " + parent + " for the model does not exist; create it or choose another output file.");
        }
    }

    static Category single(List<Category> categories, Path dir) {
        if (categories.size() != 1) {
            StringBuilder names = new StringBuilder();
            for (Category c : categories) {
                names.append(names.length() == 0 ? "" : ", ").append(c.name());
            }
            throw new AnomalyJException(dir + " holds " + categories.size() + " categories (" + names
                    + "); choose one category folder, e.g. " + dir.resolve(categories.get(0).name()) + ".");
        }
        return categories.get(0);
    }
}
