package org.anomalyj.fiji.commands;

import ij.measure.ResultsTable;
import java.io.File;
import org.anomalyj.api.EvaluationResult;
import org.anomalyj.fiji.EvaluateAction;
import org.anomalyj.fiji.IJProgress;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Evaluate Anomaly Model on a category's test split. No menu path (see the package comment). */
@Plugin(type = Command.class, name = "anomalyj.evaluate", label = "Evaluate Anomaly Model")
public class EvaluateAnomalyModelCommand implements Command {
    @Parameter(label = "Model bundle (.zip)", style = "file")
    public File model;

    @Parameter(label = "Category (MVTec layout)", style = "directory")
    public File data;

    @Parameter(label = "Report folder (plots, montage)", style = "directory", required = false)
    public File report;

    @Parameter(type = ItemIO.OUTPUT, label = "Anomaly Evaluation")
    public ResultsTable table;

    @Parameter(type = ItemIO.OUTPUT)
    public double imageAuroc;

    @Override
    public void run() {
        IJProgress progress = new IJProgress("Evaluate Anomaly Model");
        try {
            EvaluationResult r = EvaluateAction.evaluate(model.toPath(), data.toPath(),
                    report == null ? null : report.toPath(), 0, progress);
            table = new ResultsTable();
            EvaluateAction.addRow(table, r);
            imageAuroc = r.imageAuroc;
        } finally {
            progress.done("Evaluate Anomaly Model: done");
        }
    }
}
