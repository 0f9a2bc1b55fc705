package org.anomalyj.tiling;

import java.util.Locale;
import org.anomalyj.AnomalyJException;

/** How an image is split for a model (names as in the tiled-ensemble paper). */
public enum TilingMode {
    /** Single model on the whole image resized to the input size. */
    SM,
    /** Single model trained on the tiles of every location stacked together (position is lost). */
    ST,
    /** Tiled ensemble: one independent model per tile location. */
    ENS;

    public static TilingMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new AnomalyJException("Unknown tiling '" + s + "'; use sm (single model), st (single model on tiles) or ens (tiled ensemble).");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
