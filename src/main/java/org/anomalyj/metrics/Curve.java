package org.anomalyj.metrics;

/**
 * A polyline for plotting and integration: points {@code (x[i], y[i])} in the order they were
 * produced (for ROC and PRO curves: x = false positive rate, ascending; y = true positive rate or
 * per-region overlap). A coordinate is NaN where it is undefined (for example the true positive
 * rate when there is no anomalous sample). The arrays are shared, not copied: treat them as
 * read-only.
 */
public final class Curve {
    private final double[] x;
    private final double[] y;

    public Curve(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " points but y has " + y.length);
        }
        this.x = x;
        this.y = y;
    }

    /** The x coordinates (false positive rate for ROC and PRO curves). */
    public double[] x() {
        return x;
    }

    /** The y coordinates (true positive rate for ROC, mean region overlap for PRO). */
    public double[] y() {
        return y;
    }

    /** The number of points. */
    public int size() {
        return x.length;
    }

    /**
     * The trapezoidal area under the polyline for x in {@code [0, xMax]}, interpolating linearly at
     * {@code xMax}; assumes x is non-decreasing. NaN if any point used is NaN.
     */
    public double area(double xMax) {
        double area = 0;
        for (int i = 1; i < x.length; i++) {
            double x0 = x[i - 1];
            double x1 = x[i];
            if (x0 >= xMax) {
                break;
            }
            double y0 = y[i - 1];
            double y1 = y[i];
            if (x1 > xMax) {
                y1 = y0 + (y1 - y0) * (xMax - x0) / (x1 - x0);
                x1 = xMax;
            }
            area += (x1 - x0) * (y0 + y1) * 0.5;
        }
        return area;
    }
}
