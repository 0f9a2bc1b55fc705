package org.anomalyj.fiji;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.gui.ImageWindow;
import ij.plugin.frame.RoiManager;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Paths;
import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;
import org.anomalyj.Progress;
import org.anomalyj.api.TrainOptions;

/**
 * Runs the GUI path in a JVM with a display (started by {@link GuiXvfbTest} under Xvfb): ImageJ
 * window, an image window, Detect Anomalies with the ROI Manager, then a screenshot of the screen
 * area holding the image and the ROI Manager; then Evaluate Anomaly Model, whose ROC and PRO
 * curves open as plot windows. Prints KEY=value lines for the test to check.
 *
 * <p>Arguments: sample category folder, test image, work folder, screenshot PNG.
 */
public final class GuiDemo {
    private GuiDemo() {
    }

    public static void main(String[] args) throws Exception {
        File work = new File(args[2]);
        File model = new File(work, "model.zip");
        TrainOptions o = new TrainOptions();
        o.size = 128;
        o.coresetRatio = 0.1;
        TrainAction.train(Paths.get(args[0]), model.toPath(), o, null, 2, Progress.NONE);

        new ImageJ(ImageJ.NO_SHOW);
        ImagePlus imp = IJ.openImage(args[1]);
        imp.show();
        IJ.wait(500);
        // The real GenericDialog path, filled from macro options as when a macro calls
        // run("Detect Anomalies", ...) (ImageJ hands options only to threads named "Run$_...").
        Thread.currentThread().setName("Run$_gui-demo");
        ij.Macro.setOptions("model=[" + model + "] threshold=auto opacity=40 min_area=1");
        new Detect_Anomalies().run("");
        ij.Macro.setOptions(null);
        RoiManager rm = RoiManager.getInstance();
        System.out.println("NOWINDOWS=" + UserErrors.noWindows());
        System.out.println("ROIMANAGER=" + (rm == null ? 0 : rm.getCount()));
        System.out.println("OVERLAY=" + (imp.getOverlay() == null ? 0 : imp.getOverlay().size()));
        if (rm != null && rm.getCount() > 0) {
            System.out.println("FIRSTROI=" + rm.getName(0)); // the label the list shows
        }
        ImageWindow win = imp.getWindow();
        win.setLocation(20, 20);
        if (rm != null) {
            rm.setLocation(win.getX() + win.getWidth() + 10, 20);
        }
        IJ.wait(1000);
        SwingUtilities.invokeAndWait(() -> { });
        Rectangle area = win.getBounds();
        if (rm != null) {
            area = area.union(rm.getBounds());
        }
        BufferedImage shot = new Robot().createScreenCapture(area);
        ImageIO.write(shot, "png", new File(args[3]));
        System.out.println("SCREENSHOT=" + args[3]);

        // Evaluate Anomaly Model in the GUI: the ROC and PRO curves open as ImageJ plot windows
        ij.Macro.setOptions("model=[" + model + "] data=[" + args[0] + "]");
        new Evaluate_Anomaly_Model().run("");
        ij.Macro.setOptions(null);
        IJ.wait(500);
        int plots = 0;
        for (int id : ij.WindowManager.getIDList()) {
            ImagePlus w = ij.WindowManager.getImage(id);
            if (w.getWindow() instanceof ij.gui.PlotWindow) {
                plots++;
                System.out.println("PLOT=" + w.getTitle());
            }
        }
        System.out.println("PLOTS=" + plots);
        System.exit(0);
    }
}
