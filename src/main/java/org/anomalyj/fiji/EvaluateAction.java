package org.anomalyj.fiji;

import ij.measure.ResultsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.EvaluationResult;
import org.anomalyj.api.Evaluator;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.data.Category;

/** Evaluate Anomaly Model without any UI: metrics of a bundle on a category's test split. */
public final class EvaluateAction {
    private EvaluateAction() {
    }

    /** @param report folder for ROC/PRO plots and the montage, or null for none */
    public static EvaluationResult evaluate(Path model, Path data, Path report, int threads, Progress progress) {
        if (model == null || !Files.exists(model)) {
            throw new AnomalyJException("The model " + model + " does not exist; choose a model bundle (.zip) written by Train Anomaly Model.");
        }
        if (data == null || !Files.isDirectory(data)) {
            throw new AnomalyJException("The data folder " + data + " does not exist; choose an MVTec-layout category folder (with test/).");
        }
        ModelBundle bundle = ModelBundle.load(model);
        Category category = org.anomalyj.data.Datasets.openOne(data);
        return new Evaluator(threads).evaluate(bundle, category, report, progress);
    }

    /** One row of metrics; undefined metrics (no masks) are NaN. */
    public static void addRow(ResultsTable rt, EvaluationResult r) {
        rt.incrementCounter();
        rt.addValue("category", r.category);
        rt.addValue("method", r.method);
        rt.addValue("backbone", r.backbone);
        rt.addValue("input_size", r.inputSize);
        rt.addValue("image_auroc", r.imageAuroc);
        rt.addValue("pixel_auroc", r.pixelAuroc);
        rt.addValue("aupro", r.aupro);
        rt.addValue("image_f1_max", r.imageF1Max);
        rt.addValue("image_f1", r.imageF1);
        rt.addValue("infer_ms_per_image", r.inferMsPerImage);
        rt.addValue("n_test", r.nTest);
    }
}
