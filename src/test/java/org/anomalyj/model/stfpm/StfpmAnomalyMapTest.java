package org.anomalyj.model.stfpm;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.model.PatchScores;
import org.junit.Test;

public class StfpmAnomalyMapTest {

    /** Two channels, four positions (1 x 4), CHW. */
    private static FeatureMap map(String name, float[] c0, float[] c1) {
        float[] d = new float[8];
        System.arraycopy(c0, 0, d, 0, 4);
        System.arraycopy(c1, 0, d, 4, 4);
        return new FeatureMap(name, 8, 2, 1, 4, d);
    }

    @Test
    public void layerMapIsHalfTheSquaredDistanceOfUnitVectors() {
        // position 0: (3,4) vs (4,3) -> (0.6,0.8) vs (0.8,0.6): 0.5 * (0.04 + 0.04) = 0.04
        // position 1: same direction, other length -> 0
        // position 2: opposite directions -> 0.5 * |2u|^2 = 2
        // position 3: student all zero -> normalised to 0 -> 0.5 * |u|^2 = 0.5
        FeatureMap t = map("t", new float[] {3, 1, 1, 0}, new float[] {4, 2, 0, 5});
        FeatureMap s = map("s", new float[] {4, 10, -2, 0}, new float[] {3, 20, 0, 0});
        assertArrayEquals(new float[] {0.04f, 0f, 2f, 0.5f}, StfpmAnomalyMap.layerMap(t, s), 1e-6f);
    }

    @Test
    public void resizeUsesHalfPixelCentres() {
        // 1 x 2 -> 1 x 4 (align_corners=False): source x = (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 (clamped)
        float[] out = StfpmAnomalyMap.resize(new float[] {0, 4}, 1, 2, 1, 4);
        assertArrayEquals(new float[] {0, 1, 3, 4}, out, 1e-6f);
    }

    @Test
    public void modelSumsLayersOnTheFinestGrid() {
        FeatureMap t1 = new FeatureMap("teacher/a", 8, 1, 2, 2, new float[] {1, 1, 1, 1});
        FeatureMap s1 = new FeatureMap("student/a", 8, 1, 2, 2, new float[] {1, -1, 1, 1}); // 2 at (0,1)
        FeatureMap t2 = new FeatureMap("teacher/b", 16, 1, 1, 1, new float[] {2});
        FeatureMap s2 = new FeatureMap("student/b", 16, 1, 1, 1, new float[] {-3}); // 2 everywhere after resize
        List<FeatureMap> pairs = Arrays.asList(t1, s1, t2, s2);
        StfpmModel sum = new StfpmModel(Arrays.asList("a", "b"), StfpmAnomalyMap.SUM, new JsonObject());
        PatchScores p = sum.score(pairs);
        assertEquals(2, p.width());
        assertEquals(2, p.height());
        assertArrayEquals(new float[] {2, 4, 2, 2}, p.scores(), 1e-6f);
        assertFalse(p.imageScore().isPresent());
        StfpmModel product = new StfpmModel(Arrays.asList("a", "b"), StfpmAnomalyMap.PRODUCT, new JsonObject());
        assertArrayEquals(new float[] {0, 4, 0, 0}, product.score(pairs).scores(), 1e-6f);
        // parameters round-trip
        StfpmModel back = (StfpmModel) StfpmModel.read(sum.parameters(), null);
        assertEquals(Arrays.asList("a", "b"), back.layers());
        assertArrayEquals(p.scores(), back.score(pairs).scores(), 0f);
    }

    @Test(expected = org.anomalyj.AnomalyJException.class)
    public void refusesFeaturesOfAnotherGraph() {
        FeatureMap t = new FeatureMap("teacher/x", 8, 1, 1, 1, new float[] {1});
        FeatureMap s = new FeatureMap("student/x", 8, 1, 1, 1, new float[] {1});
        new StfpmModel(Arrays.asList("a"), StfpmAnomalyMap.SUM, null).score(Arrays.asList(t, s));
    }
}
