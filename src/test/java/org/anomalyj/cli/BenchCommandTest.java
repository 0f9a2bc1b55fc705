package org.anomalyj.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.anomalyj.bench.Stage;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** bench through the real command line on the committed sample data, built-in backbone, small model. */
public class BenchCommandTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static double num(JsonObject o, String key) {
        JsonElement e = o.get(key);
        assertTrue("missing " + key + " in " + o, e != null && !e.isJsonNull());
        return e.getAsDouble();
    }

    @Test
    public void trainsTimesAndWritesConsistentJson() throws Exception {
        Path json = tmp.getRoot().toPath().resolve("bench.json");
        CliRunner r = CliRunner.run("bench", "--data", Paths.get("sample-data", "grain").toString(), "--size", "128",
                "--max-train", "12", "--images", "10", "--warmup", "12", "--batch-sizes", "1,4", "--json", json.toString());
        assertEquals(r.err, 0, r.exit);
        assertTrue(r.out, r.out.contains("ratio end-to-end / backbone-only"));
        JsonObject o = JsonParser.parseString(new String(Files.readAllBytes(json), StandardCharsets.UTF_8))
                .getAsJsonObject();
        assertEquals(10, o.get("images").getAsInt());
        assertEquals("more warm-up detections than images cycle through them", 12, o.get("warmup_images").getAsInt());
        assertTrue(num(o, "first_image_ms") > 0);
        double e2e = num(o, "end_to_end_ms_p50");
        double backbone = num(o, "backbone_ms_p50");
        assertTrue(e2e > 0 && backbone > 0);
        assertTrue(num(o, "end_to_end_ms_p95") >= e2e);
        assertTrue(num(o, "backbone_ms_p95") >= backbone);
        // the ratio is the quotient of the two medians (both rounded to 1e-3 in the file)
        assertEquals(e2e / backbone, num(o, "ratio_end_to_end_vs_backbone"), 2e-3 * (1 + e2e / backbone));
        JsonObject stages = o.getAsJsonObject("stages");
        double sumOfMeans = 0;
        for (Stage s : Stage.values()) {
            JsonObject st = stages.getAsJsonObject(s.id());
            assertTrue(s.id(), num(st, "ms_p95") >= num(st, "ms_p50"));
            assertTrue(s.id(), num(st, "ms_p50") >= 0);
            sumOfMeans += num(st, "ms_mean");
        }
        // stages partition the end-to-end time: only the bits between timers are missing
        double total = num(o, "end_to_end_ms_mean");
        assertTrue(sumOfMeans + " vs " + total, sumOfMeans <= total + 1e-2 && sumOfMeans >= 0.95 * total - 0.05);
        assertTrue(num(o, "fit_seconds") > 0);
        assertTrue(num(o, "peak_heap_mb") > 0);
        assertTrue(num(o, "fit_peak_heap_mb") > 0);
        JsonArray tp = o.getAsJsonArray("throughput");
        assertEquals(2, tp.size());
        for (JsonElement e : tp) {
            assertFalse(e.toString(), e.getAsJsonObject().has("error"));
            assertTrue(num(e.getAsJsonObject(), "images_per_second") > 0);
        }
        int best = o.get("best_batch").getAsInt();
        assertTrue(best == 1 || best == 4);
        assertTrue(num(o, "throughput_gain_vs_batch1") >= 1.0);
        assertEquals("patchcore", o.getAsJsonObject("model").get("method").getAsString());
    }

    @Test
    public void unknownKnnSearchIsAUserError() {
        CliRunner r = CliRunner.run("bench", "--data", Paths.get("sample-data", "grain").toString(), "--knn", "approx");
        assertEquals(1, r.exit);
        assertTrue(r.err, r.err.contains("use exact, fast or brute"));
    }
}
