package org.anomalyj.fiji;

import ij.IJ;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import java.nio.file.Path;
import org.anomalyj.api.EvaluationResult;

/**
 * Plugins &gt; Anomaly Detection &gt; Evaluate Anomaly Model... (ImageJ 1.x entry point). Macro:
 * <pre>run("Evaluate Anomaly Model...", "model=[/path/model.zip] data=[/path/grain] report=[/path/report]");</pre>
 * Metrics go to the "Anomaly Evaluation" table and the Log; the ROC and PRO plots are written to
 * the report folder (in the GUI, to a temporary one when none is given) and, in the GUI, shown as
 * ImageJ plot windows ({@link CurvePlots}); headless nothing opens.
 */
public class Evaluate_Anomaly_Model implements PlugIn {
    static final String TITLE = "Evaluate Anomaly Model";
    public static final String TABLE = "Anomaly Evaluation";

    @Override
    public void run(String arg) {
        UserErrors.run(TITLE, this::runWithDialog);
    }

    private void runWithDialog() {
        PluginDialog gd = new PluginDialog(TITLE);
        gd.addFile("Model", Dialogs.remembered("model", ""));
        gd.addFolder("Data", Dialogs.remembered("data", ""));
        gd.addMessage("an MVTec-layout category: test/good, test/<defect>, ground_truth/<defect>");
        gd.addFolder("Report", "");
        gd.addMessage("optional: folder for ROC/PRO plots and a montage");
        if (!gd.show()) {
            return;
        }
        Path model = Dialogs.path(gd.nextString());
        Path data = Dialogs.path(gd.nextString());
        Path report = Dialogs.path(gd.nextString());
        if (report == null && !UserErrors.noWindows()) {
            // the GUI always shows the ROC/PRO plots, whose curves come with a report: without a
            // folder the report goes to a temporary one
            try {
                report = java.nio.file.Files.createTempDirectory("anomalyj-report");
            } catch (java.io.IOException e) {
                throw new org.anomalyj.AnomalyJException("Cannot create a temporary folder for the plots (" + e.getMessage() + "); give a report folder.", e);
            }
        }
        IJProgress progress = new IJProgress(TITLE);
        try {
            EvaluationResult r = EvaluateAction.evaluate(model, data, report, 0, progress);
            ResultsTable rt = ResultsTable.getResultsTable(TABLE);
            if (rt == null) {
                rt = new ResultsTable();
            }
            EvaluateAction.addRow(rt, r);
            rt.show(TABLE);
            IJ.log(TITLE + ": " + r.toJson());
            CurvePlots.show(r); // ROC and PRO as ImageJ plot windows (GUI only)
        } finally {
            progress.done(TITLE + ": done");
        }
    }
}
