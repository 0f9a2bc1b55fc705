package org.anomalyj.fiji;

import ij.gui.Plot;
import java.awt.Color;
import java.util.List;
import org.anomalyj.api.EvaluationResult;
import org.anomalyj.api.Evaluator;
import org.anomalyj.metrics.Curve;
import org.anomalyj.report.NamedCurve;

/**
 * The ROC and PRO curves of an evaluation as ImageJ {@link Plot}s (live plot windows with the
 * usual List/Save/zoom tools), built without showing anything so that headless runs and tests
 * can use them too.
 */
public final class CurvePlots {
    /** Colour-blind-safe colours (Okabe-Ito), as in the report's PNG plots. */
    private static final Color[] PALETTE = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
    };

    private CurvePlots() {
    }

    /** ROC plot: image ROC and (with masks) pixel ROC, plus the chance diagonal; null without curves. */
    public static Plot roc(EvaluationResult r) {
        if (r.rocCurves.isEmpty()) {
            return null;
        }
        Plot p = plot(r.category + " " + r.method + ": ROC", "true positive rate", r.rocCurves, 1.0);
        p.setColor(Color.GRAY);
        p.drawDottedLine(0, 0, 1, 1, 2);
        return p;
    }

    /** PRO plot (per-region overlap up to the AUPRO false positive limit); null without masks. */
    public static Plot pro(EvaluationResult r) {
        if (r.proCurves.isEmpty()) {
            return null;
        }
        return plot(r.category + " " + r.method + ": per-region overlap", "per-region overlap", r.proCurves,
                Evaluator.PRO_MAX_FPR);
    }

    /** Shows both plots as windows; does nothing without a display (headless or batch macro). */
    public static void show(EvaluationResult r) {
        if (UserErrors.noWindows()) {
            return;
        }
        for (Plot p : new Plot[] {roc(r), pro(r)}) {
            if (p != null) {
                p.show();
            }
        }
    }

    static Plot plot(String title, String yLabel, List<NamedCurve> curves, double xMax) {
        Plot p = new Plot(title, "false positive rate", yLabel);
        p.setLimits(0, xMax, 0, 1);
        StringBuilder legend = new StringBuilder();
        for (int i = 0; i < curves.size(); i++) {
            NamedCurve c = curves.get(i);
            Curve k = c.curve();
            p.setColor(c.color() != null ? c.color() : PALETTE[i % PALETTE.length]);
            p.setLineWidth(2);
            p.add("line", k.x(), k.y());
            legend.append(c.label()).append('\n');
        }
        p.setLineWidth(1);
        p.setLegend(legend.toString(), Plot.AUTO_POSITION);
        return p;
    }
}
