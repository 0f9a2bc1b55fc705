package org.anomalyj.metrics;

import java.util.Arrays;

/**
 * Collects curve points for plotting, dropping points that move less than a step from the last
 * kept point in both x and y, so a sweep over millions of thresholds yields a few thousand points
 * that are visually identical to the exact curve. Areas are never computed from these points.
 */
final class CurveBuilder {
    private final double xStep;
    private final double yStep;
    private double[] x = new double[256];
    private double[] y = new double[256];
    private int size;
    private boolean pendingSkipped;
    private double skippedX;
    private double skippedY;

    CurveBuilder(double xStep, double yStep) {
        this.xStep = xStep;
        this.yStep = yStep;
    }

    void add(double px, double py) {
        if (size > 0 && Math.abs(px - x[size - 1]) < xStep && Math.abs(py - y[size - 1]) < yStep) {
            pendingSkipped = true;
            skippedX = px;
            skippedY = py;
            return;
        }
        append(px, py);
    }

    /** The curve, always ending with the last point offered. */
    Curve build() {
        if (pendingSkipped) {
            append(skippedX, skippedY);
        }
        return new Curve(Arrays.copyOf(x, size), Arrays.copyOf(y, size));
    }

    private void append(double px, double py) {
        if (size == x.length) {
            x = Arrays.copyOf(x, size * 2);
            y = Arrays.copyOf(y, size * 2);
        }
        x[size] = px;
        y[size] = py;
        size++;
        pendingSkipped = false;
    }
}
