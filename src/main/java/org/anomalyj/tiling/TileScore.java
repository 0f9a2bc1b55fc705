package org.anomalyj.tiling;

import java.util.Locale;
import org.anomalyj.AnomalyJException;

/** How tile scores become the image score. */
public enum TileScore {
    /** Mean of the tile scores, as in the tiled-ensemble paper. */
    MEAN,
    /** Largest tile score: a defect in one tile decides alone. */
    MAX;

    public static TileScore parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new AnomalyJException("Unknown tile score '" + s + "'; use mean or max.");
        }
    }

    public double combine(double[] scores) {
        double acc = this == MEAN ? 0 : Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            acc = this == MEAN ? acc + s : Math.max(acc, s);
        }
        return this == MEAN ? acc / scores.length : acc;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
