package org.anomalyj.model.patchcore;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.io.NpyArray;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.FeatureAggregator;
import org.anomalyj.model.MemoryArrayStore;
import org.anomalyj.model.Models;
import org.anomalyj.model.PatchScores;
import org.anomalyj.model.SyntheticFeatures;
import org.junit.Test;

public class PatchCoreModelTest {

    @Test
    public void reweightingMatchesHandComputedOneDimensionalCase() {
        // bank {0, 1, 3, 10}, k = 3; image patches 0.5 and 5 (one layer, one channel, no pooling)
        MemoryBank bank = new MemoryBank(new float[] {0, 1, 3, 10}, 4, 1, 3, null);
        assertArrayEquals(new int[] {2, 1, 0}, Arrays.copyOfRange(bank.neighbours(), 6, 9));
        FeatureMap f = new FeatureMap("l", 8, 1, 1, 2, new float[] {0.5f, 5f});
        PatchCoreModel model = new PatchCoreModel(new PatchCoreConfig().withNumNeighbours(3),
                new FeatureAggregator(false, FeatureAggregator.Upsampling.BILINEAR, 0),
                FeatureAggregator.describeLayers(Arrays.asList(f)), bank, 4);
        PatchScores s = model.score(Arrays.asList(f));
        assertArrayEquals(new float[] {0.5f, 2f}, s.scores(), 1e-6f);
        // max patch 5 -> nearest entry 3, whose neighbours are 3, 1, 0: distances 2, 4, 5
        double w = 1 - Math.exp(2) / (Math.exp(2) + Math.exp(4) + Math.exp(5));
        assertEquals(w * 2, s.imageScore().getAsDouble(), 1e-9);
        // k = 1: plain maximum
        PatchCoreModel plain = new PatchCoreModel(new PatchCoreConfig().withNumNeighbours(1),
                new FeatureAggregator(false, FeatureAggregator.Upsampling.BILINEAR, 0),
                FeatureAggregator.describeLayers(Arrays.asList(f)), new MemoryBank(new float[] {0, 1, 3, 10}, 4, 1, 1, null), 4);
        assertEquals(2.0, plain.score(Arrays.asList(f)).imageScore().getAsDouble(), 1e-9);
    }

    private static PatchCoreModel fitNormal(long seed, int images) {
        Random r = new Random(11);
        PatchCoreFitter fitter = new PatchCoreFitter(new PatchCoreConfig().withCoresetRatio(0.1).withSeed(seed)
                .withProjectionDim(16));
        for (int i = 0; i < images; i++) {
            fitter.add(SyntheticFeatures.image(r, 12, 12, 6, 10, -1, -1));
        }
        return fitter.fit(Progress.NONE);
    }

    /**
     * Scoring reuses one embedding buffer per thread; scoring many images at once from fork/join
     * workers (as a script's parallel stream would) must give exactly the one-at-a-time scores.
     */
    @Test
    public void concurrentScoringGivesTheSequentialScores() {
        PatchCoreModel model = fitNormal(42, 8);
        Random r = new Random(7);
        int n = 24;
        java.util.List<java.util.List<org.anomalyj.backbone.FeatureMap>> images = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(SyntheticFeatures.image(r, 12, 12, 6, 10, i % 3 == 0 ? 6 : -1, i % 3 == 0 ? 4 : -1));
        }
        float[][] sequential = new float[n][];
        for (int i = 0; i < n; i++) {
            sequential[i] = model.score(images.get(i)).scores();
        }
        for (int round = 0; round < 3; round++) {
            float[][] parallel = new float[n][];
            java.util.stream.IntStream.range(0, n).parallel().forEach(i -> parallel[i] = model.score(images.get(i)).scores());
            for (int i = 0; i < n; i++) {
                org.junit.Assert.assertArrayEquals("image " + i, sequential[i], parallel[i], 0f);
            }
        }
    }

    @Test
    public void outOfDistributionPatchScoresHigher() {
        PatchCoreModel model = fitNormal(42, 8);
        assertEquals(Math.round(0.1 * 8 * 144), model.memoryBank().size());
        assertEquals(16, model.memoryBank().dim());
        Random r = new Random(99);
        double worstNormal = 0;
        for (int i = 0; i < 4; i++) {
            worstNormal = Math.max(worstNormal,
                    model.score(SyntheticFeatures.image(r, 12, 12, 6, 10, -1, -1)).imageScore().getAsDouble());
        }
        PatchScores bad = model.score(SyntheticFeatures.image(r, 12, 12, 6, 10, 6, 4));
        assertTrue(bad.imageScore().getAsDouble() > 2 * worstNormal);
        int argmax = 0;
        for (int p = 1; p < bad.scores().length; p++) {
            if (bad.scores()[p] > bad.scores()[argmax]) {
                argmax = p;
            }
        }
        // pooling and the upsampled deeper layer spread the defect over neighbouring cells
        assertTrue("argmax " + argmax, Math.abs(argmax / 12 - 6) <= 1 && Math.abs(argmax % 12 - 4) <= 1);
    }

    @Test
    public void roundTripThroughArrayStoreGivesIdenticalScores() {
        PatchCoreModel model = fitNormal(42, 4);
        MemoryArrayStore store = new MemoryArrayStore();
        model.writeArrays(store);
        JsonObject params = model.parameters();
        AnomalyModel back = Models.read("patchcore", params, store);
        List<FeatureMap> img = SyntheticFeatures.image(new Random(5), 12, 12, 6, 10, 3, 3);
        PatchScores a = model.score(img);
        PatchScores b = back.score(img);
        assertArrayEquals(a.scores(), b.scores(), 0f);
        assertEquals(a.imageScore().getAsDouble(), b.imageScore().getAsDouble(), 0);
        // neighbour lists are optional in a bundle: recomputed when missing
        store.arrays.remove(PatchCoreModel.NEIGHBOURS);
        assertEquals(a.imageScore().getAsDouble(), PatchCoreModel.read(params, store).score(img).imageScore().getAsDouble(), 0);
    }

    @Test
    public void wrongArrayShapeIsAClearError() {
        PatchCoreModel model = fitNormal(42, 2);
        MemoryArrayStore store = new MemoryArrayStore();
        model.writeArrays(store);
        store.put(PatchCoreModel.BANK, NpyArray.ofFloats(new float[10 * 3], 10, 3));
        try {
            PatchCoreModel.read(model.parameters(), store);
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("memory_bank.npy"));
        }
    }

    @Test
    public void deterministicUnderTheSeed() {
        float[] a = fitNormal(7, 3).memoryBank().entries();
        float[] b = fitNormal(7, 3).memoryBank().entries();
        float[] c = fitNormal(8, 3).memoryBank().entries();
        assertArrayEquals(a, b, 0f);
        assertTrue(!Arrays.equals(a, c));
    }

    @Test
    public void unknownMethodAndEmptyFitAreUserErrors() {
        try {
            Models.fitter("knn", null);
            fail();
        } catch (AnomalyJException expected) {
            assertTrue(expected.getMessage().contains("knn"));
        }
        try {
            Models.fitter("PatchCore", new JsonObject()).fit(Progress.NONE);
            fail();
        } catch (AnomalyJException expected) {
            assertTrue(expected.getMessage().contains("no training images"));
        }
    }

    /**
     * A bank large enough for the ONNX Runtime neighbour search gets the same neighbours as the
     * Java kernel: each entry first, then neighbours at the same distances (a swap of two entries at
     * equal distance up to float rounding is allowed, a different distance is not).
     */
    @Test
    public void graphNeighboursMatchTheJavaKernel() {
        Random r = new Random(8);
        int size = 600;
        int dim = 512; // 307,200 values: above the graph search's threshold
        int k = 9;
        float[] entries = new float[size * dim];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = (float) r.nextGaussian();
        }
        System.arraycopy(entries, 0, entries, 5 * dim, dim); // a duplicate: entry 5 equals entry 0
        NearestNeighbours index = new NearestNeighbours(entries, size, dim);
        int[] graph = MemoryBank.computeNeighbours(index, k);
        int[] java = new int[size * k];
        index.kNearest(entries, size, k, java, new float[size * k]);
        for (int m = 0; m < size; m++) {
            assertEquals("entry " + m + " first", m, graph[m * k]);
            double[] g = new double[k];
            double[] j = new double[k];
            for (int i = 0; i < k; i++) {
                g[i] = index.distance(entries, m * dim, graph[m * k + i]);
                j[i] = index.distance(entries, m * dim, java[m * k + i]);
            }
            Arrays.sort(g);
            Arrays.sort(j);
            assertArrayEquals("entry " + m, j, g, 1e-4);
        }
        assertTrue(graph[5 * k + 1] == 0 && graph[0 * k + 1] == 5);
    }
}
