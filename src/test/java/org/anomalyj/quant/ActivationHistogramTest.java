package org.anomalyj.quant;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.Test;

public class ActivationHistogramTest {

    private static ActivationHistogram of(float[] v) {
        ActivationHistogram h = new ActivationHistogram();
        h.observe(v, 0, v.length);
        h.freeze();
        h.accumulate(v, 0, v.length);
        return h;
    }

    /** 9,999 values 0, 0.001, ..., 9.998 and one outlier at 1000: a skewed, non-negative distribution. */
    private static float[] skewed() {
        float[] v = new float[10000];
        for (int k = 0; k < 9999; k++) {
            v[k] = 0.001f * k;
        }
        v[9999] = 1000f;
        return v;
    }

    @Test
    public void minmaxIsTheObservedRange() {
        assertEquals(Arrays.toString(new float[] {0f, 1000f}), Arrays.toString(of(skewed()).range(CalibrationMethod.MINMAX)));
    }

    @Test
    public void percentileClipsTheOutlierAtTheUpperEdgeOfTheBinOfThe9999thValue() {
        // bins of width 1000/2048 from 0; 99.99% of 10,000 values = the 9,999 regular ones, largest 9.998,
        // in bin floor(9.998 / (1000/2048)) = 20, whose upper edge is 21 * 1000/2048 = 10.2539...
        float[] r = of(skewed()).range(CalibrationMethod.PERCENTILE);
        assertEquals(0f, r[0], 0f);
        assertEquals(21 * 1000.0 / 2048, r[1], 1e-4);
    }

    @Test
    public void entropyClipsTheOutlierButKeepsTheBulk() {
        float[] r = of(skewed()).range(CalibrationMethod.ENTROPY);
        // the KL search starts at 256 bins (256 uint8 levels), i.e. 125.0; all regular values (< 10) fit below it
        assertEquals(256 * 1000.0 / 2048, r[1], 1e-3);
        assertTrue(r[1] < of(skewed()).range(CalibrationMethod.MINMAX)[1]);
    }

    @Test
    public void signedGaussianRangesAreOrderedAndEntropyIsSymmetric() {
        Random random = new Random(3);
        float[] v = new float[200000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        ActivationHistogram h = of(v);
        float[] mm = h.range(CalibrationMethod.MINMAX);
        float[] pc = h.range(CalibrationMethod.PERCENTILE);
        float[] en = h.range(CalibrationMethod.ENTROPY);
        assertTrue(mm[0] < pc[0] && pc[1] < mm[1]);
        // 99.99% two-sided of a standard normal: |x| < 3.89 for the central 99.98%, the tails give ~3.7..4.0
        assertEquals(3.72, pc[1], 0.25);
        assertEquals(-3.72, pc[0], 0.25);
        assertEquals(-en[0], en[1], Math.max(1e-6, mm[1] - Math.min(-mm[0], mm[1])) + 1e-6);
        assertTrue(en[1] > 2.5 && en[1] <= mm[1]);
    }

    @Test
    public void entropyIgnoresTheZeroSpikeOfAReluOutput() {
        Random random = new Random(5);
        float[] v = new float[200000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.max(0, random.nextGaussian());
        }
        float[] en = of(v).range(CalibrationMethod.ENTROPY);
        // without leaving out the exact zeros (half the values) the KL search clipped at ~1.8 sigma
        assertTrue(Arrays.toString(en), en[1] > 3.0);
        assertEquals(0f, en[0], 0f);
    }

    @Test
    public void uint8ParametersAreHandComputed() {
        float[] p = QdqRewriter.uint8Params(-1f, 3f);
        assertEquals(4f / 255, p[0], 1e-9);
        assertEquals(64f, p[1], 0f); // round(1 / (4/255)) = round(63.75)
        float[] relu = QdqRewriter.uint8Params(0f, 6f);
        assertEquals(6f / 255, relu[0], 1e-9);
        assertEquals(0f, relu[1], 0f);
    }

    @Test
    public void weightsArePerChannelSymmetricInt8() {
        float[] w = {0.5f, -1f, 0.25f, 2f, 1f, -0.5f};
        long[] dims = {2, 3};
        float[] s = QdqRewriter.channelScales(w, dims, 0);
        assertEquals(1f / 127, s[0], 1e-9);
        assertEquals(2f / 127, s[1], 1e-9);
        byte[] q = QdqRewriter.quantizeWeights(w, dims, 0, s);
        assertEquals("[64, -127, 32, 127, 64, -32]", Arrays.toString(q)); // 0.5*127 = 63.5 rounds up
        float[] axis1 = QdqRewriter.channelScales(w, dims, 1);
        assertEquals(3, axis1.length);
        assertEquals(2f / 127, axis1[0], 1e-9);
    }
}
