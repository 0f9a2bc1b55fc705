package org.anomalyj.fiji;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.anomalyj.api.Calibration;
import org.anomalyj.api.Detection;
import org.anomalyj.post.AnomalyMap;
import org.anomalyj.post.Heatmap;
import org.anomalyj.post.Region;

/**
 * Draws a detection on the inspected image without touching its pixels: the heatmap (inferno
 * colours of the pixel-normalised map, threshold at the middle of the scale) as an
 * {@link ImageRoi} at the chosen opacity, and one rectangle per region named
 * "anomaly N (score)" with the region's normalised peak score. Everything goes into the image's
 * {@link Overlay} (kept when the image is saved as TIFF); the boxes also go to the ROI Manager
 * when a GUI is present. (ImageJ keeps the box names in a saved TIFF but not the heatmap's name.)
 */
public final class OverlayPainter {
    /** Name of the heatmap element in the overlay. */
    public static final String HEATMAP_NAME = "anomaly heatmap";
    /** Prefix of every element this class adds, so a new run replaces the old ones. */
    public static final String PREFIX = "anomaly";
    private static final Color BOX_COLOUR = Color.CYAN;

    private OverlayPainter() {
    }

    /**
     * Adds heatmap and boxes of {@code d} for stack position {@code slice} (1-based; 0 for a
     * single image) to {@code imp}'s overlay, replacing earlier anomaly elements at that position.
     *
     * @return the box ROIs added (for the ROI Manager)
     */
    public static List<Roi> paint(ImagePlus imp, int slice, Detection d, Calibration calibration, double opacity) {
        return paint(imp, r -> r.setPosition(slice), d, calibration, opacity);
    }

    /**
     * Adds heatmap and boxes of {@code d} to {@code imp}'s overlay at the place {@code place}
     * gives them (a stack slice, or a hyperstack's z and t on all channels), replacing earlier
     * anomaly elements at that place.
     *
     * @return the box ROIs added (for the ROI Manager)
     */
    public static List<Roi> paint(ImagePlus imp, Consumer<Roi> place, Detection d, Calibration calibration,
            double opacity) {
        Overlay overlay = imp.getOverlay();
        if (overlay == null) {
            overlay = new Overlay();
        }
        Roi here = new Roi(0, 0, 1, 1);
        place.accept(here);
        removePrevious(overlay, here);
        ImageRoi heat = heatmap(d.map(), calibration, opacity);
        place.accept(heat);
        overlay.add(heat);
        List<Roi> boxes = boxes(d, calibration);
        for (Roi r : boxes) {
            place.accept(r);
            overlay.add(r);
        }
        imp.setOverlay(overlay);
        return boxes;
    }

    /** The coloured map as an image ROI covering the whole image. */
    public static ImageRoi heatmap(AnomalyMap map, Calibration calibration, double opacity) {
        AnomalyMap normalised = calibration.pixel().normalize(map);
        ImageRoi roi = new ImageRoi(0, 0, Heatmap.colourised(normalised));
        roi.setOpacity(Math.max(0, Math.min(1, opacity)));
        roi.setName(HEATMAP_NAME);
        return roi;
    }

    /** One rectangle per region, named "anomaly N (normalised peak score)". */
    public static List<Roi> boxes(Detection d, Calibration calibration) {
        List<Roi> out = new ArrayList<>();
        int n = 0;
        for (Region r : d.regions()) {
            Roi box = new Roi(r.x(), r.y(), r.width(), r.height());
            box.setName(boxName(++n, calibration.pixel().normalize(r.maxScore())));
            box.setStrokeColor(BOX_COLOUR);
            out.add(box);
        }
        return out;
    }

    static String boxName(int index, double normalisedScore) {
        return String.format(Locale.ROOT, "%s %d (%.2f)", PREFIX, index, normalisedScore);
    }

    private static void removePrevious(Overlay overlay, Roi here) {
        for (int i = overlay.size() - 1; i >= 0; i--) {
            Roi r = overlay.get(i);
            if (r.getName() != null && r.getName().startsWith(PREFIX) && samePlace(r, here)) {
                overlay.remove(i);
            }
        }
    }

    private static boolean samePlace(Roi a, Roi b) {
        return a.getPosition() == b.getPosition() && a.getCPosition() == b.getCPosition()
                && a.getZPosition() == b.getZPosition() && a.getTPosition() == b.getTPosition();
    }

    /** Adds the boxes to the ROI Manager (opening it if needed); does nothing without a GUI. */
    public static void addToRoiManager(ImagePlus imp, int slice, List<Roi> boxes) {
        addToRoiManager(imp, r -> r.setPosition(slice), boxes);
    }

    /** As above, each box placed by {@code place} (a copy goes to the manager). */
    public static void addToRoiManager(ImagePlus imp, Consumer<Roi> place, List<Roi> boxes) {
        if (UserErrors.noWindows() || boxes.isEmpty()) {
            return;
        }
        RoiManager rm = RoiManager.getRoiManager();
        for (Roi r : boxes) {
            Roi copy = (Roi) r.clone();
            place.accept(copy);
            rm.add(imp, copy, -1); // -1: keep the ROI's own name (no "N-" prefix)
        }
    }
}
