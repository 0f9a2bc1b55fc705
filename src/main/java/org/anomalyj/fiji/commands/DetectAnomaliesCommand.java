package org.anomalyj.fiji.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import org.anomalyj.api.Detection;
import org.anomalyj.fiji.DetectAction;
import org.anomalyj.fiji.DetectOptions;
import org.anomalyj.fiji.IJProgress;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Detect Anomalies on an image (every z-slice and frame of a stack or hyperstack; three channels
 * as one colour image, otherwise the current channel, see {@code ImagePlanes}): heatmap and
 * boxes in its overlay, boxes in the ROI Manager with a GUI, one row per inspected image in the
 * returned table. Outputs the first image's score, verdict and region count for convenience. No menu path (see the package comment).
 */
@Plugin(type = Command.class, name = "anomalyj.detect", label = "Detect Anomalies")
public class DetectAnomaliesCommand implements Command {
    @Parameter(label = "Image")
    public ImagePlus image;

    @Parameter(label = "Model bundle (.zip)", style = "file")
    public File model;

    @Parameter(label = "Image threshold (raw score; NaN = calibrated)", required = false)
    public double threshold = Double.NaN;

    @Parameter(label = "Heatmap opacity (%)", min = "0", max = "100", style = "slider")
    public double opacity = 40;

    @Parameter(label = "Smallest region (pixels)", min = "1")
    public int minArea = 1;

    @Parameter(type = ItemIO.OUTPUT, label = "Results")
    public ResultsTable table;

    @Parameter(type = ItemIO.OUTPUT)
    public double score;

    @Parameter(type = ItemIO.OUTPUT)
    public String verdict;

    @Parameter(type = ItemIO.OUTPUT)
    public int regions;

    @Override
    public void run() {
        DetectOptions o = new DetectOptions();
        o.model = model.toPath();
        o.threshold = threshold;
        o.opacity = opacity / 100.0;
        o.minArea = minArea;
        table = new ResultsTable();
        IJProgress progress = new IJProgress("Detect Anomalies");
        try {
            DetectAction.Result r = new DetectAction(o).run(image, table, progress);
            Detection first = r.detections.get(0);
            score = first.score();
            verdict = first.anomalous() ? "defective" : "normal";
            regions = first.regions().size();
        } finally {
            progress.done("Detect Anomalies: done");
        }
    }
}
