package org.anomalyj.post;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.anomalyj.AnomalyJException;
import org.junit.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

public class ScoreNormalizationTest {

    private final ScoreNormalization n = new ScoreNormalization(5, 1, 9); // range 8

    @Test
    public void thresholdMapsToHalfAndRangeIsScaled() {
        assertEquals(0.5f, n.normalize(5), 0f);
        assertEquals(1.0f, n.normalize(9), 0f);   // (9-5)/8 + .5
        assertEquals(0.0f, n.normalize(1), 0f);   // (1-5)/8 + .5
        assertEquals(0.75f, n.normalize(7), 0f);
        assertEquals(0.375f, n.normalize(4), 0f);
        assertEquals(1.0f, n.normalize(100), 0f);
        assertEquals(0.0f, n.normalize(-100), 0f);
    }

    @Test
    public void arraysAndMapsMatchScalar() {
        float[] v = {5, 9, 1, 7, 4, 100, -100, 6.1f};
        float[] out = n.normalize(v);
        for (int i = 0; i < v.length; i++) {
            assertEquals(n.normalize(v[i]), out[i], 1e-6f);
        }
        AnomalyMap m = n.normalize(new AnomalyMap(4, 2, v));
        assertArrayEquals(out, m.values(), 0f);
    }

    @Test
    public void degenerateRangeIsAStepAtTheThreshold() {
        ScoreNormalization s = new ScoreNormalization(2, 3, 3);
        assertEquals(0f, s.normalize(1.9), 0f);
        assertEquals(0.5f, s.normalize(2), 0f);
        assertEquals(1f, s.normalize(2.1), 0f);
        assertArrayEquals(new float[] {0f, 0.5f, 1f}, s.normalize(new float[] {1.9f, 2f, 2.1f}), 0f);
    }

    @Test
    public void statisticsFromValuesIgnoreNonFinite() {
        ScoreNormalization s = ScoreNormalization.fromValues(0.5, new float[] {0.2f, Float.NaN, 3f, -1f, Float.POSITIVE_INFINITY});
        assertEquals(-1.0, s.min(), 0);
        assertEquals(3.0, s.max(), 0);
        assertEquals(0.5, s.threshold(), 0);
    }

    @Test
    public void jsonRoundTrip() {
        JsonObject o = n.toJson();
        String text = o.toString();
        ScoreNormalization back = ScoreNormalization.fromJson(JsonParser.parseString(text).getAsJsonObject());
        assertEquals(n, back);
        assertEquals(n.hashCode(), back.hashCode());
        ScoreNormalization precise = new ScoreNormalization(0.1234567890123, -1e-9, 12345.678);
        assertEquals(precise, ScoreNormalization.fromJson(JsonParser.parseString(precise.toJson().toString()).getAsJsonObject()));
    }

    @Test
    public void badJsonIsAUserError() {
        JsonObject o = n.toJson();
        o.remove("max");
        expect(o, "'max'");
        JsonObject s = n.toJson();
        s.addProperty("min", "zero");
        expect(s, "'min'");
        JsonObject inverted = new ScoreNormalization(0, 0, 1).toJson();
        inverted.addProperty("min", 2);
        expect(inverted, "invalid");
    }

    private static void expect(JsonObject o, String fragment) {
        try {
            ScoreNormalization.fromJson(o);
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(fragment));
        }
    }
}
