package org.anomalyj.model.padim;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.io.NpyArray;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.MemoryArrayStore;
import org.anomalyj.model.Models;
import org.anomalyj.model.PatchScores;
import org.anomalyj.model.SyntheticFeatures;
import org.junit.Test;

public class PadimModelTest {

    @Test
    public void choleskyInverseTimesMatrixIsIdentity() {
        Random r = new Random(1);
        int d = 7;
        double[] a = new double[d * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        double[] s = new double[d * d]; // A A^T + 0.1 I: symmetric positive definite
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    s[i * d + j] += a[i * d + k] * a[j * d + k];
                }
            }
            s[i * d + i] += 0.1;
        }
        double[] inv = Mahalanobis.invert(s, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double v = 0;
                for (int k = 0; k < d; k++) {
                    v += s[i * d + k] * inv[k * d + j];
                }
                assertEquals(i == j ? 1 : 0, v, 1e-9);
            }
        }
    }

    @Test
    public void meanCovarianceAndInverseMatchDirectComputation() {
        // one layer, 3 channels, 2x1 positions, 5 images; all channels kept (d >= channels)
        Random r = new Random(2);
        int n = 5;
        int c = 3;
        int p = 2;
        List<float[]> samples = new ArrayList<>();
        PadimFitter fitter = new PadimFitter(new PadimConfig(10, 42, 0.01));
        for (int i = 0; i < n; i++) {
            float[] chw = new float[c * p];
            for (int k = 0; k < chw.length; k++) {
                chw[k] = (float) (r.nextGaussian() + 100); // large offset: tests the shifted accumulation
            }
            samples.add(chw);
            fitter.add(Arrays.asList(new FeatureMap("l", 8, c, 1, p, chw)));
        }
        PadimModel model = fitter.fit(Progress.NONE);
        assertArrayEquals(new int[] {0, 1, 2}, model.channels());
        for (int pos = 0; pos < p; pos++) {
            double[] mean = new double[c];
            for (float[] s : samples) {
                for (int k = 0; k < c; k++) {
                    mean[k] += s[k * p + pos] / (double) n;
                }
            }
            double[] cov = new double[c * c];
            for (float[] s : samples) {
                for (int i = 0; i < c; i++) {
                    for (int j = 0; j < c; j++) {
                        cov[i * c + j] += (s[i * p + pos] - mean[i]) * (s[j * p + pos] - mean[j]) / (n - 1);
                    }
                }
            }
            for (int i = 0; i < c; i++) {
                cov[i * c + i] += 0.01;
                assertEquals(mean[i], model.mean()[pos * c + i], 1e-4);
            }
            // S * S^-1 = I with the stored float inverse
            for (int i = 0; i < c; i++) {
                for (int j = 0; j < c; j++) {
                    double v = 0;
                    for (int k = 0; k < c; k++) {
                        v += cov[i * c + k] * model.inverseCovariance()[pos * c * c + k * c + j];
                    }
                    assertEquals(i == j ? 1 : 0, v, 1e-3);
                }
            }
        }
    }

    @Test
    public void selectedLayersGiveTheSelectedChannelsOfTheWholeEmbedding() {
        Random r = new Random(8);
        List<FeatureMap> layers = new ArrayList<>();
        int[][] shapes = {{6, 8, 6}, {10, 4, 3}, {7, 2, 2}};
        for (int[] s : shapes) {
            float[] v = new float[s[0] * s[1] * s[2]];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            layers.add(new FeatureMap("l" + layers.size(), 8 << layers.size(), s[0], s[1], s[2], v));
        }
        org.anomalyj.model.PatchEmbedding all = org.anomalyj.model.FeatureAggregator.padim().aggregate(layers);
        int[][] selections = {
            {0, 3, 5, 6, 9, 15, 16, 22}, // sorted, from every layer (cut-down layers)
            {2, 7, 8},                   // none from the last layer
            {6, 7, 20, 22},              // none from the first layer (the whole embedding, then selected)
            {9, 1, 17},                  // not sorted (the same)
            PadimFitter.selectChannels(23, 23, 1),
        };
        for (int[] channels : selections) {
            org.anomalyj.model.PatchEmbedding e = PadimModel.embed(layers, channels);
            assertEquals(all.height(), e.height());
            assertEquals(all.width(), e.width());
            assertEquals(channels.length, e.dim());
            assertArrayEquals(Arrays.toString(channels), PadimModel.select(all, channels), e.data(), 0f);
        }
    }

    @Test
    public void channelSelectionIsSeededSortedAndDistinct() {
        int[] a = PadimFitter.selectChannels(448, 100, 42);
        assertArrayEquals(a, PadimFitter.selectChannels(448, 100, 42));
        assertFalse(Arrays.equals(a, PadimFitter.selectChannels(448, 100, 43)));
        assertEquals(100, a.length);
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] > a[i - 1]);
        }
        assertTrue(a[0] >= 0 && a[99] < 448);
    }

    private static PadimModel fitNormal(int images) {
        Random r = new Random(21);
        PadimFitter fitter = new PadimFitter(new PadimConfig(8, 42, 0.01));
        for (int i = 0; i < images; i++) {
            fitter.add(SyntheticFeatures.image(r, 8, 8, 6, 10, -1, -1));
        }
        return fitter.fit(Progress.NONE);
    }

    @Test
    public void outOfDistributionPatchScoresHigher() {
        PadimModel model = fitNormal(30);
        Random r = new Random(7);
        float worstNormal = 0;
        for (int i = 0; i < 4; i++) {
            PatchScores s = model.score(SyntheticFeatures.image(r, 8, 8, 6, 10, -1, -1));
            assertFalse(s.imageScore().isPresent());
            for (float v : s.scores()) {
                worstNormal = Math.max(worstNormal, v);
            }
        }
        PatchScores bad = model.score(SyntheticFeatures.image(r, 8, 8, 6, 10, 4, 4));
        float max = 0;
        int argmax = 0;
        for (int p = 0; p < bad.scores().length; p++) {
            if (bad.scores()[p] > max) {
                max = bad.scores()[p];
                argmax = p;
            }
        }
        assertTrue(max + " vs " + worstNormal, max > 2 * worstNormal);
        assertEquals(4 * 8 + 4, argmax);
    }

    @Test
    public void roundTripThroughArrayStoreGivesIdenticalScores() {
        PadimModel model = fitNormal(5);
        MemoryArrayStore store = new MemoryArrayStore();
        model.writeArrays(store);
        assertArrayEquals(new int[] {64, 8, 8}, store.get("inv_covariance").shape());
        AnomalyModel back = Models.read("padim", model.parameters(), store);
        List<FeatureMap> img = SyntheticFeatures.image(new Random(5), 8, 8, 6, 10, 2, 2);
        assertArrayEquals(model.score(img).scores(), back.score(img).scores(), 0f);
        store.put("mean", NpyArray.ofFloats(new float[64 * 7], 64, 7));
        try {
            Models.read("padim", model.parameters(), store);
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("mean.npy"));
        }
    }

    @Test
    public void deterministicAndNeedsTwoImages() {
        assertArrayEquals(fitNormal(4).inverseCovariance(), fitNormal(4).inverseCovariance(), 0f);
        try {
            fitNormal(1);
            fail();
        } catch (AnomalyJException expected) {
            assertTrue(expected.getMessage().contains("at least 2"));
        }
    }

    private static PadimModel fitNormal(int images, int rank) {
        return fitNormal(images, rank, 0.01);
    }

    private static PadimModel fitNormal(int images, int rank, double epsilon) {
        Random r = new Random(21);
        PadimFitter fitter = new PadimFitter(new PadimConfig(8, 42, epsilon, rank));
        for (int i = 0; i < images; i++) {
            fitter.add(SyntheticFeatures.image(r, 8, 8, 6, 10, -1, -1));
        }
        return fitter.fit(Progress.NONE);
    }

    /**
     * With every direction kept, the low-rank model is the full Gaussian with its regularisation
     * once more on the diagonal (the residual's floor): the full model at twice epsilon.
     */
    @Test
    public void lowRankWithEveryAxisScoresAsTheFullCovarianceAtTwiceEpsilon() {
        PadimModel full = fitNormal(30, 0, 0.02);
        PadimModel low = fitNormal(30, 8, 0.01);
        assertEquals(0, full.covarianceRank());
        assertEquals(8, low.covarianceRank());
        List<FeatureMap> img = SyntheticFeatures.image(new Random(8), 8, 8, 6, 10, 3, 5);
        float[] a = full.score(img).scores();
        float[] b = low.score(img).scores();
        for (int p = 0; p < a.length; p++) {
            assertEquals(a[p], b[p], 1e-4 * a[p]);
        }
    }

    /** Fewer axes than channels: an approximation that still finds the defect, and saves and loads. */
    @Test
    public void lowRankModelFindsTheDefectAndRoundTrips() {
        PadimModel low = fitNormal(30, 3);
        List<FeatureMap> bad = SyntheticFeatures.image(new Random(7), 8, 8, 6, 10, 4, 4);
        float[] s = low.score(bad).scores();
        int argmax = 0;
        for (int p = 0; p < s.length; p++) {
            argmax = s[p] > s[argmax] ? p : argmax;
        }
        assertEquals(4 * 8 + 4, argmax);
        MemoryArrayStore store = new MemoryArrayStore();
        low.writeArrays(store);
        assertArrayEquals(new int[] {64, 8}, store.get("precision_diagonal").shape());
        assertArrayEquals(new int[] {64, 8, 3}, store.get("precision_axes").shape());
        assertArrayEquals(new int[] {64, 3}, store.get("precision_weights").shape());
        assertFalse(store.contains("inv_covariance"));
        assertEquals(3, low.parameters().get("covariance_rank").getAsInt());
        AnomalyModel back = Models.read("padim", low.parameters(), store);
        assertArrayEquals(s, back.score(bad).scores(), 0f);
        store.put("precision_axes", NpyArray.ofFloats(new float[64 * 8 * 2], 64, 8, 2));
        try {
            Models.read("padim", low.parameters(), store);
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("precision_axes.npy"));
        }
    }
}
