package org.anomalyj.fiji;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import ij.WindowManager;
import ij.gui.Plot;
import java.util.Arrays;
import org.anomalyj.api.EvaluationResult;
import org.anomalyj.api.Evaluator;
import org.anomalyj.metrics.Curve;
import org.anomalyj.report.NamedCurve;
import org.junit.Test;

/** The ROC/PRO plot windows of Evaluate, built headless (never shown). */
public class CurvePlotsTest {
    private static EvaluationResult result() {
        EvaluationResult r = new EvaluationResult();
        r.category = "grain";
        r.method = "patchcore";
        r.rocCurves = Arrays.asList(
                new NamedCurve("image ROC", new Curve(new double[] {0, 0, 0.5, 1}, new double[] {0, 0.5, 1, 1})),
                new NamedCurve("pixel ROC", new Curve(new double[] {0, 0.1, 1}, new double[] {0, 0.9, 1})));
        r.proCurves = Arrays.asList(
                new NamedCurve("PRO", new Curve(new double[] {0, 0.1, 0.3}, new double[] {0, 0.6, 0.8})));
        return r;
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Test
    public void rocPlotHoldsImageAndPixelCurvesAndProPlotItsOneCurve() {
        EvaluationResult r = result();
        Plot roc = CurvePlots.roc(r);
        assertEquals("grain patchcore: ROC", roc.getTitle());
        assertEquals("one data series per curve (the diagonal is a drawing, not data)", 2,
                roc.getDataObjectDesignations().length);
        for (int i = 0; i < 2; i++) {
            float[][] xy = roc.getDataObjectArrays(i);
            Curve c = r.rocCurves.get(i).curve();
            assertArrayEquals(floats(c.x()), xy[0], 0f);
            assertArrayEquals(floats(c.y()), xy[1], 0f);
        }
        assertArrayEquals(new double[] {0, 1, 0, 1}, Arrays.copyOf(roc.getLimits(), 4), 0);

        Plot pro = CurvePlots.pro(r);
        assertEquals(1, pro.getDataObjectDesignations().length);
        assertEquals(3, pro.getDataObjectArrays(0)[0].length);
        assertEquals("x axis up to the AUPRO limit", Evaluator.PRO_MAX_FPR, pro.getLimits()[1], 1e-12);
    }

    @Test
    public void withoutCurvesThereIsNoPlotAndHeadlessNothingOpens() {
        EvaluationResult r = new EvaluationResult();
        assertNull(CurvePlots.roc(r));
        assertNull(CurvePlots.pro(r));
        int before = WindowManager.getImageCount();
        CurvePlots.show(result());
        assertTrue(UserErrors.noWindows());
        assertEquals(before, WindowManager.getImageCount());
    }
}
