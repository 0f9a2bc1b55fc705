package org.anomalyj.fiji;

import ij.measure.ResultsTable;
import java.util.Locale;
import org.anomalyj.api.Detection;
import org.anomalyj.post.Region;

/**
 * One row per image or slice in a {@link ResultsTable}: image, slice, score, normalized_score,
 * verdict, regions, total_area, boxes (the same fields as the command line's results.csv, boxes as
 * "x y w h peak" separated by ';'). Column names have no spaces so that macros can read them with
 * {@code getResult("score", row)} and {@code getResultString("verdict", row)}.
 */
public final class DetectionTable {
    public static final String IMAGE = "image";
    public static final String SLICE = "slice";
    public static final String SCORE = "score";
    public static final String NORMALIZED = "normalized_score";
    public static final String VERDICT = "verdict";
    public static final String REGIONS = "regions";
    public static final String AREA = "total_area";
    public static final String BOXES = "boxes";
    /** Time frame (1-based), only for images with several frames. */
    public static final String FRAME = "frame";
    /** The one channel inspected, only for images with 2 or more than 3 channels. */
    public static final String CHANNEL = "channel";

    private DetectionTable() {
    }

    /** Appends the row for {@code d} (slice 1-based; 1 for a single image). */
    public static void addRow(ResultsTable rt, String image, int slice, Detection d) {
        rt.incrementCounter();
        rt.addValue(IMAGE, image);
        rt.addValue(SLICE, slice);
        rt.addValue(SCORE, d.score());
        rt.addValue(NORMALIZED, d.normalizedScore());
        rt.addValue(VERDICT, d.anomalous() ? "defective" : "normal");
        rt.addValue(REGIONS, d.regions().size());
        rt.addValue(AREA, d.totalRegionArea());
        rt.addValue(BOXES, boxes(d));
    }

    static String boxes(Detection d) {
        StringBuilder b = new StringBuilder();
        for (Region r : d.regions()) {
            if (b.length() > 0) {
                b.append(';');
            }
            b.append(String.format(Locale.ROOT, "%d %d %d %d %.4g", r.x(), r.y(), r.width(), r.height(), r.maxScore()));
        }
        return b.toString();
    }
}
