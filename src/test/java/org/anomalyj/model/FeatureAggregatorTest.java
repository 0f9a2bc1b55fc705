package org.anomalyj.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.fail;

import java.util.Arrays;
import java.util.Random;
import org.anomalyj.AnomalyJException;
import org.anomalyj.backbone.FeatureMap;
import org.junit.Test;

public class FeatureAggregatorTest {

    @Test
    public void shapesAndChannelCap() {
        Random r = new Random(1);
        PatchEmbedding e = FeatureAggregator.patchCore(0).aggregate(SyntheticFeatures.image(r, 8, 6, 5, 7, -1, -1));
        assertEquals(8, e.height());
        assertEquals(6, e.width());
        assertEquals(12, e.dim());
        PatchEmbedding capped = FeatureAggregator.patchCore(4).aggregate(SyntheticFeatures.image(r, 8, 6, 5, 7, -1, -1));
        assertEquals(8, capped.dim());
        assertEquals(8, FeatureAggregator.patchCore(4).outputDim(5, 7));
    }

    @Test
    public void averagePoolingCountsZeroPadding() {
        // 3x3 map 1..9: corner mean (1+2+4+5)/9, centre 45/9, edge (1+2+3+4+5+6)/9
        float[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        FeatureMap f = new FeatureMap("a", 8, 1, 3, 3, v);
        PatchEmbedding e = new FeatureAggregator(true, FeatureAggregator.Upsampling.BILINEAR, 0)
                .aggregate(Arrays.asList(f));
        assertEquals(12f / 9f, e.get(0, 0), 1e-6);
        assertEquals(5f, e.get(4, 0), 1e-6);
        assertEquals(21f / 9f, e.get(1, 0), 1e-6);
    }

    @Test
    public void bilinearAlignCornersFalseAndNearest() {
        // first layer 4x4 (zeros); second 2x2 [[0,4],[8,12]] upsampled to 4x4
        FeatureMap a = new FeatureMap("a", 8, 1, 4, 4, new float[16]);
        FeatureMap b = new FeatureMap("b", 16, 1, 2, 2, new float[] {0, 4, 8, 12});
        PatchEmbedding bil = new FeatureAggregator(false, FeatureAggregator.Upsampling.BILINEAR, 0)
                .aggregate(Arrays.asList(a, b));
        // source coords for 2 -> 4: 0 (clamped), 0.25, 0.75, 1 (clamped): row 0 = 0, 1, 3, 4
        float[] row0 = {bil.get(0, 1), bil.get(1, 1), bil.get(2, 1), bil.get(3, 1)};
        assertArrayEquals(new float[] {0, 1, 3, 4}, row0, 1e-6f);
        // row 1 (y source 0.25): 0.75 * row0 + 0.25 * (8, 9, 11, 12)
        assertEquals(0.75f * 1 + 0.25f * 9, bil.get(5, 1), 1e-6);
        PatchEmbedding near = FeatureAggregator.padim().aggregate(Arrays.asList(a, b));
        float[] nearRow1 = {near.get(4, 1), near.get(5, 1), near.get(6, 1), near.get(7, 1)};
        assertArrayEquals(new float[] {0, 0, 4, 4}, nearRow1, 0f);
        assertEquals(12f, near.get(15, 1), 0f);
    }

    @Test
    public void channelPoolingIsAdaptiveAverage() {
        // 5 channels -> 2: torch bins [0,3) and [2,5)
        float[] v = {1, 2, 3, 4, 5};
        FeatureMap f = new FeatureMap("a", 8, 5, 1, 1, v);
        PatchEmbedding e = new FeatureAggregator(false, FeatureAggregator.Upsampling.NEAREST, 2)
                .aggregate(Arrays.asList(f));
        assertArrayEquals(new float[] {2f, 4f}, e.data(), 1e-6f);
    }

    @Test
    public void parametersRoundTrip() {
        FeatureAggregator a = new FeatureAggregator(true, FeatureAggregator.Upsampling.NEAREST, 64);
        FeatureAggregator b = FeatureAggregator.fromParameters(a.parameters());
        assertEquals(a.averagePool(), b.averagePool());
        assertEquals(a.upsampling(), b.upsampling());
        assertEquals(a.maxChannelsPerLayer(), b.maxChannelsPerLayer());
    }

    @Test
    public void layerMismatchIsAUserError() {
        Random r = new Random(2);
        try {
            FeatureAggregator.checkLayers(FeatureAggregator.describeLayers(SyntheticFeatures.image(r, 4, 4, 3, 3, -1, -1)),
                    SyntheticFeatures.image(r, 4, 4, 3, 5, -1, -1), "patchcore");
            fail();
        } catch (AnomalyJException expected) {
            assertEquals(true, expected.getMessage().contains("layers"));
        }
    }
}
