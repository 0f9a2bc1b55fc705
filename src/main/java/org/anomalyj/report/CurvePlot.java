package org.anomalyj.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.anomalyj.metrics.Curve;

/**
 * A 640x480 line plot of ROC / PRO curves: axes from 0 to xMax and 0 to 1, ticks, grid, title
 * and a legend. Pure Java2D on a BufferedImage, so it works headless.
 */
public final class CurvePlot {
    /** Image size in pixels. */
    public static final int WIDTH = 640;
    public static final int HEIGHT = 480;

    /** Distinct colours for up to six curves (colour-blind friendly, Okabe-Ito), then repeated. */
    static final Color[] PALETTE = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233),
    };

    private static final int LEFT = 70;
    private static final int RIGHT = 24;
    private static final int TOP = 44;
    private static final int BOTTOM = 58;
    private static final Color GRID = new Color(225, 225, 225);
    private static final Color INK = new Color(40, 40, 40);

    private CurvePlot() {
    }

    /**
     * Renders the plot and writes it as a PNG (parent folders are created; the write is atomic).
     *
     * @param xMax the right end of the x axis (1 for ROC curves, the FPR limit such as 0.3 for PRO)
     * @throws org.anomalyj.AnomalyJException when the file cannot be written
     */
    public static void write(Path png, String title, String xLabel, String yLabel, List<NamedCurve> curves,
            double xMax) {
        PngFiles.write(render(title, xLabel, yLabel, curves, xMax), png);
    }

    /** Renders the plot into a new RGB image (see {@link #write}). */
    public static BufferedImage render(String title, String xLabel, String yLabel, List<NamedCurve> curves,
            double xMax) {
        if (!(xMax > 0) || Double.isInfinite(xMax)) {
            throw new IllegalArgumentException("xMax must be positive and finite, got " + xMax);
        }
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            Frame frame = new Frame(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM, xMax);
            drawGridAndTicks(g, frame);
            drawTitles(g, frame, title, xLabel, yLabel);
            drawCurves(g, frame, curves);
            drawLegend(g, frame, curves);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The plot area in pixels and the data-to-pixel mapping. */
    private static final class Frame {
        final int x;
        final int y;
        final int w;
        final int h;
        final double xMax;

        Frame(int x, int y, int w, int h, double xMax) {
            this.x = x;
            this.y = y;
            this.w = w;
            this.h = h;
            this.xMax = xMax;
        }

        double px(double dataX) {
            return x + dataX / xMax * w;
        }

        double py(double dataY) {
            return y + h - dataY * h;
        }
    }

    private static void drawGridAndTicks(Graphics2D g, Frame f) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        double xStep = niceStep(f.xMax / 5);
        for (int i = 0; i * xStep <= f.xMax * (1 + 1e-9); i++) {
            double v = i * xStep;
            int px = (int) Math.round(f.px(v));
            g.setColor(GRID);
            g.drawLine(px, f.y, px, f.y + f.h);
            g.setColor(INK);
            g.drawLine(px, f.y + f.h, px, f.y + f.h + 5);
            String label = tickLabel(v, xStep);
            g.drawString(label, px - fm.stringWidth(label) / 2, f.y + f.h + 7 + fm.getAscent());
        }
        for (int i = 0; i <= 10; i++) {
            double v = i / 10.0;
            int py = (int) Math.round(f.py(v));
            g.setColor(GRID);
            g.drawLine(f.x, py, f.x + f.w, py);
            g.setColor(INK);
            g.drawLine(f.x - 5, py, f.x, py);
            if (i % 2 == 0) {
                String label = tickLabel(v, 0.1);
                g.drawString(label, f.x - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
            }
        }
        g.setColor(INK);
        g.drawRect(f.x, f.y, f.w, f.h);
    }

    private static void drawTitles(Graphics2D g, Frame f, String title, String xLabel, String yLabel) {
        g.setColor(INK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        FontMetrics tm = g.getFontMetrics();
        if (title != null) {
            g.drawString(title, f.x + (f.w - tm.stringWidth(title)) / 2, f.y - 14);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics lm = g.getFontMetrics();
        if (xLabel != null) {
            g.drawString(xLabel, f.x + (f.w - lm.stringWidth(xLabel)) / 2, HEIGHT - 14);
        }
        if (yLabel != null) {
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            // In rotated space x runs upwards (negated), y runs right.
            g.drawString(yLabel, -(f.y + (f.h + lm.stringWidth(yLabel)) / 2), 20);
            g.setTransform(saved);
        }
    }

    private static void drawCurves(Graphics2D g, Frame f, List<NamedCurve> curves) {
        java.awt.Shape savedClip = g.getClip();
        g.clipRect(f.x, f.y - 2, f.w + 2, f.h + 4); // a little slack so lines on y = 1 stay visible
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int c = 0; c < curves.size(); c++) {
            NamedCurve named = curves.get(c);
            g.setColor(colorOf(named, c));
            g.draw(polyline(f, named.curve()));
        }
        g.setClip(savedClip);
        g.setStroke(new BasicStroke(1f));
    }

    /** The curve as a path; NaN points break the line (undefined rates are not drawn). */
    private static Path2D polyline(Frame f, Curve curve) {
        Path2D.Double path = new Path2D.Double();
        boolean open = false;
        double[] xs = curve.x();
        double[] ys = curve.y();
        for (int i = 0; i < xs.length; i++) {
            if (Double.isNaN(xs[i]) || Double.isNaN(ys[i])) {
                open = false;
                continue;
            }
            double px = f.px(xs[i]);
            double py = f.py(ys[i]);
            if (open) {
                path.lineTo(px, py);
            } else {
                path.moveTo(px, py);
                open = true;
            }
            if (xs[i] > f.xMax) {
                break; // the rest lies right of the axis
            }
        }
        return path;
    }

    private static void drawLegend(Graphics2D g, Frame f, List<NamedCurve> curves) {
        if (curves.isEmpty()) {
            return;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int line = fm.getHeight() + 2;
        int textWidth = 0;
        for (NamedCurve c : curves) {
            textWidth = Math.max(textWidth, fm.stringWidth(c.label()));
        }
        int w = 12 + 24 + 8 + textWidth + 12;
        int h = 10 + line * curves.size();
        int x = f.x + f.w - w - 10;
        int y = f.y + f.h - h - 10; // lower right: ROC and PRO curves of useful detectors stay high there
        g.setColor(new Color(255, 255, 255, 235));
        g.fillRect(x, y, w, h);
        g.setColor(new Color(170, 170, 170));
        g.drawRect(x, y, w, h);
        for (int c = 0; c < curves.size(); c++) {
            int baseline = y + 6 + line * c + fm.getAscent();
            int mid = baseline - fm.getAscent() / 2 + 1;
            g.setColor(colorOf(curves.get(c), c));
            g.setStroke(new BasicStroke(3f));
            g.drawLine(x + 12, mid, x + 36, mid);
            g.setStroke(new BasicStroke(1f));
            g.setColor(INK);
            g.drawString(curves.get(c).label(), x + 44, baseline);
        }
    }

    static Color colorOf(NamedCurve curve, int index) {
        return curve.color() != null ? curve.color() : PALETTE[index % PALETTE.length];
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double[] factors = {1, 2, 5, 10};
        for (double factor : factors) {
            if (factor * power >= rough * (1 - 1e-9)) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    /** Enough decimals to tell neighbouring ticks apart, no trailing noise. */
    static String tickLabel(double value, double step) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
