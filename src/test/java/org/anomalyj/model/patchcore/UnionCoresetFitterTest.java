package org.anomalyj.model.patchcore;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Random;
import org.anomalyj.Progress;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.model.SyntheticFeatures;
import org.junit.Test;

public class UnionCoresetFitterTest {
    @Test
    public void selectsTheSameBankAsTheInMemoryFitter() {
        // 40 images: more than one read-back batch, so batch boundaries are exercised
        PatchCoreConfig config = new PatchCoreConfig().withCoresetRatio(0.02).withSeed(11);
        PatchCoreFitter inMemory = new PatchCoreFitter(config);
        PatchCoreModel expected;
        PatchCoreModel actual;
        try (UnionCoresetFitter spilled = new UnionCoresetFitter(config)) {
            Random r = new Random(4);
            for (int i = 0; i < 40; i++) {
                List<FeatureMap> f = SyntheticFeatures.image(r, 12, 12, 6, 10, i % 7 == 0 ? 3 : -1, 5);
                inMemory.add(f);
                spilled.add(f);
            }
            assertEquals(40, spilled.count());
            expected = inMemory.fit(Progress.NONE);
            actual = spilled.fit(Progress.NONE);
        }
        assertEquals(expected.memoryBank().index().size(), actual.memoryBank().index().size());
        assertArrayEquals(expected.memoryBank().index().bank(), actual.memoryBank().index().bank(), 0f);
        assertEquals(expected.config().projectionDim(), actual.config().projectionDim());
    }
}
