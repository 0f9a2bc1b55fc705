package org.anomalyj.report;

import java.awt.Color;
import org.anomalyj.metrics.Curve;

/** A curve with its legend text (for example "image ROC (AUROC 0.953)") and an optional colour. */
public final class NamedCurve {
    private final String label;
    private final Curve curve;
    private final Color color;

    /** A curve drawn in the next colour of the plot's palette. */
    public NamedCurve(String label, Curve curve) {
        this(label, curve, null);
    }

    /** A curve drawn in {@code color} (null = next palette colour). */
    public NamedCurve(String label, Curve curve, Color color) {
        if (label == null || curve == null) {
            throw new IllegalArgumentException("a named curve needs a label and a curve");
        }
        this.label = label;
        this.curve = curve;
        this.color = color;
    }

    public String label() {
        return label;
    }

    public Curve curve() {
        return curve;
    }

    /** The requested colour, or null for the palette's. */
    public Color color() {
        return color;
    }
}
