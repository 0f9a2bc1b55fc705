package org.anomalyj.fiji;

import ij.IJ;
import ij.plugin.PlugIn;

/**
 * Plugins &gt; Anomaly Detection &gt; Anomaly Model Info (ImageJ 1.x entry point); writes the
 * description to the Log. Macro: <pre>run("Anomaly Model Info", "model=[/path/model.zip]");</pre>
 */
public class Anomaly_Model_Info implements PlugIn {
    static final String TITLE = "Anomaly Model Info";

    @Override
    public void run(String arg) {
        UserErrors.run(TITLE, () -> {
            PluginDialog gd = new PluginDialog(TITLE);
            gd.addFile("Model", Dialogs.remembered("model", ""));
            if (!gd.show()) {
                return;
            }
            String text = ModelInfoAction.describe(Dialogs.path(gd.nextString()));
            for (String line : text.split("\n")) {
                IJ.log(line);
            }
        });
    }
}
