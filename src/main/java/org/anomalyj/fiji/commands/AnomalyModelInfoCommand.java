package org.anomalyj.fiji.commands;

import java.io.File;
import org.anomalyj.fiji.ModelInfoAction;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Anomaly Model Info: the bundle's description as text. No menu path (see the package comment). */
@Plugin(type = Command.class, name = "anomalyj.info", label = "Anomaly Model Info")
public class AnomalyModelInfoCommand implements Command {
    @Parameter(label = "Model bundle (.zip)", style = "file")
    public File model;

    @Parameter(type = ItemIO.OUTPUT)
    public String info;

    @Override
    public void run() {
        info = ModelInfoAction.describe(model.toPath());
    }
}
