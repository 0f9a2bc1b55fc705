package org.anomalyj.model.patchcore;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.anomalyj.Progress;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.model.SyntheticFeatures;
import org.junit.Test;

public class CategoryCoresetFitterTest {
    private static final Progress QUIET = Progress.NONE;

    /** Two "categories" of images: different channel patterns, so their patches do not mix. */
    private static List<List<FeatureMap>> category(long seed, int images, int c1, int c2) {
        Random r = new Random(seed);
        List<List<FeatureMap>> out = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            List<FeatureMap> f = SyntheticFeatures.image(r, 12, 12, c1, c2, -1, -1);
            if (seed % 2 == 1) { // shift the second category far away from the first
                for (FeatureMap m : f) {
                    float[] d = m.data();
                    for (int k = 0; k < d.length; k++) {
                        d[k] += 5f;
                    }
                }
            }
            out.add(f);
        }
        return out;
    }

    @Test
    public void bankIsTheConcatenationOfThePerCategoryCoresets() {
        PatchCoreConfig config = new PatchCoreConfig().withCoresetRatio(0.05).withSeed(7);
        List<List<FeatureMap>> a = category(2, 5, 6, 10);
        List<List<FeatureMap>> b = category(3, 3, 6, 10);
        CategoryCoresetFitter unified = new CategoryCoresetFitter(config);
        a.forEach(unified::add);
        unified.endCategory(QUIET);
        b.forEach(unified::add);
        PatchCoreModel model = unified.fit(QUIET);

        PatchCoreFitter alone = new PatchCoreFitter(config);
        a.forEach(alone::add);
        MemoryBank memoryA = alone.fit(QUIET).memoryBank();
        float[] bankA = memoryA.index().bank();
        alone = new PatchCoreFitter(config);
        b.forEach(alone::add);
        MemoryBank memoryB = alone.fit(QUIET).memoryBank();
        float[] bankB = memoryB.index().bank();

        float[] expected = Arrays.copyOf(bankA, bankA.length + bankB.length);
        System.arraycopy(bankB, 0, expected, bankA.length, bankB.length);
        assertEquals(8, unified.count());
        // 5 images x 144 patches x 5% = 36, 3 x 144 x 5% = 22 (rounded)
        assertEquals(36 + 22, model.memoryBank().index().size());
        assertArrayEquals(expected, model.memoryBank().index().bank(), 0f);
        // the re-weighting neighbours are each category's own model's, offset into the joined bank
        int[] neighbours = model.memoryBank().neighbours();
        int[] ownA = memoryA.neighbours();
        int[] ownB = memoryB.neighbours();
        assertEquals(ownA.length + ownB.length, neighbours.length);
        for (int i = 0; i < ownA.length; i++) {
            assertEquals(ownA[i], neighbours[i]);
        }
        for (int i = 0; i < ownB.length; i++) {
            assertEquals(ownB[i] + 36, neighbours[ownA.length + i]);
        }
    }

    @Test
    public void aCategoryWithFewerEntriesThanNeighboursFallsBackToTheJoinedSearch() {
        PatchCoreConfig config = new PatchCoreConfig().withCoresetRatio(0.05).withSeed(7);
        CategoryCoresetFitter unified = new CategoryCoresetFitter(config);
        category(2, 5, 6, 10).forEach(unified::add);
        unified.endCategory(QUIET);
        category(3, 1, 6, 10).forEach(unified::add); // 144 patches x 5% = 7 entries < 9 neighbours
        MemoryBank bank = unified.fit(QUIET).memoryBank();
        int k = bank.k();
        int[] expected = MemoryBank.computeNeighbours(bank.index(), k);
        assertArrayEquals(expected, bank.neighbours());
    }

    @Test
    public void gatherFindsRowsAcrossChunksIncludingEmptyOnes() {
        List<float[]> chunks = Arrays.asList(new float[] {0, 1, 2, 3}, new float[0], new float[] {4, 5});
        float[] rows = GreedyCoreset.gather(chunks, 2, new int[] {2, 0, 1});
        assertArrayEquals(new float[] {4, 5, 0, 1, 2, 3}, rows, 0f);
    }

    @Test
    public void scoresBothCategoriesLowAndAnAnomalyHigh() {
        PatchCoreConfig config = new PatchCoreConfig().withCoresetRatio(0.5).withSeed(1);
        CategoryCoresetFitter fitter = new CategoryCoresetFitter(config);
        category(2, 4, 6, 10).forEach(fitter::add);
        fitter.endCategory(QUIET);
        category(3, 4, 6, 10).forEach(fitter::add);
        PatchCoreModel model = fitter.fit(QUIET);
        double goodA = model.score(category(12, 1, 6, 10).get(0)).imageScore().getAsDouble();
        double goodB = model.score(category(13, 1, 6, 10).get(0)).imageScore().getAsDouble();
        double bad = model.score(SyntheticFeatures.image(new Random(9), 12, 12, 6, 10, 5, 5)).imageScore().getAsDouble();
        assertTrue("anomaly " + bad + " vs good " + goodA + ", " + goodB, bad > 2 * Math.max(goodA, goodB));
    }
}
