package org.anomalyj.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.model.stfpm.StfpmModel;
import org.anomalyj.train.TinyTeacher;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * DCAM and unified STFPM/DCAM from the command line, with the tiny generated teacher at 32 px so
 * the whole training takes seconds (what is tested is the plumbing, not the accuracy).
 */
public class DcamCliTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void dcamTrainsABundleThatLoadsAndDetectsAsStfpm() throws Exception {
        Path teacher = TinyTeacher.write(tmp.getRoot().toPath(), 31);
        Path out = tmp.getRoot().toPath().resolve("dcam.zip");
        CliRunner r = CliRunner.run("train", "--method", "dcam", "--backbone", teacher.toString(), "--size", "32",
                "--epochs", "3", "--batch", "4", "--threads", "1", "--kl-weight", "0.5",
                "--data", "sample-data/grain", "--out", out.toString());
        assertEquals(r.err, 0, r.exit);
        assertTrue(r.err, r.err.contains("DCAM epoch 3 done"));
        ModelBundle b = ModelBundle.load(out);
        assertEquals("dcam", b.method());
        assertTrue(b.model() instanceof StfpmModel);
        assertEquals(4, b.layers().size()); // teacher/f1, student/f1, teacher/f2, student/f2: no attention output
        JsonObject settings = b.training().getAsJsonObject("options").getAsJsonObject("dcam");
        assertEquals(0.5, settings.get("kl_weight").getAsDouble(), 0);
        Path det = tmp.getRoot().toPath().resolve("det");
        CliRunner d = CliRunner.run("detect", "--model", out.toString(), "--input", "sample-data/grain/test/pit",
                "--out", det.toString(), "--threads", "1");
        assertEquals(d.err, 0, d.exit);
        assertTrue(Files.exists(det.resolve("results.csv")));
    }

    @Test
    public void unifiedStfpmTrainsOneStudentOnAllCategories() throws Exception {
        Path teacher = TinyTeacher.write(tmp.getRoot().toPath(), 32);
        Path out = tmp.getRoot().toPath().resolve("u.zip");
        CliRunner r = CliRunner.run("train", "--unified", "--method", "stfpm", "--backbone", teacher.toString(),
                "--size", "32", "--epochs", "2", "--batch", "8", "--threads", "1", "--data", "sample-data",
                "--out", out.toString());
        assertEquals(r.err, 0, r.exit);
        ModelBundle b = ModelBundle.load(out);
        assertEquals("stfpm", b.method());
        assertTrue(b.training().get("unified").getAsBoolean());
        assertEquals(2, b.training().getAsJsonArray("categories").size());
        // each of the two categories (30 good images) keeps 3 for calibration and 3 for validation: 2 x 24 train
        assertEquals(48, b.training().get("images_fit").getAsInt());
        assertEquals(6, b.training().get("images_validation").getAsInt());
    }

    @Test
    public void unifiedEvaluationOfDcamReportsBothSetups() throws Exception {
        Path teacher = TinyTeacher.write(tmp.getRoot().toPath(), 33);
        Path json = tmp.getRoot().toPath().resolve("u.json");
        CliRunner r = CliRunner.run("evaluate", "--unified", "--method", "dcam", "--backbone", teacher.toString(),
                "--size", "32", "--epochs", "2", "--batch", "8", "--threads", "1", "--data", "sample-data",
                "--json", json.toString());
        assertEquals(r.err, 0, r.exit);
        JsonObject o = JsonParser.parseString(new String(Files.readAllBytes(json), StandardCharsets.UTF_8)).getAsJsonObject();
        assertTrue(o.getAsJsonObject("mean_by_setup").has("unified"));
        assertTrue(o.getAsJsonObject("mean_by_setup").has("separate"));
        Set<String> seen = new HashSet<>();
        for (JsonElement e : o.getAsJsonArray("results")) {
            JsonObject res = e.getAsJsonObject();
            assertEquals("dcam", res.get("method").getAsString());
            seen.add(res.get("setup").getAsString() + "/" + res.get("category").getAsString());
        }
        assertEquals(new HashSet<>(java.util.Arrays.asList("unified/grain", "unified/weave", "separate/grain",
                "separate/weave")), seen);
        assertTrue(o.getAsJsonObject("fit_seconds_by_setup").get("separate").getAsDouble() > 0);
    }

    /**
     * STFPM with --tiling st: one student on every tile (64 px images cut into four 32 px tiles), so
     * an epoch has four times the steps of whole-image training; the bundle is a tiled one that
     * detects tile by tile. An ensemble (one student per location) is refused with a sentence.
     */
    @Test
    public void stfpmTrainsOneStudentOnAllTilesAndDetectsTileByTile() throws Exception {
        Path teacher = TinyTeacher.write(tmp.getRoot().toPath(), 33);
        Path whole = tmp.getRoot().toPath().resolve("whole.zip");
        Path tiled = tmp.getRoot().toPath().resolve("tiled.zip");
        CliRunner w = CliRunner.run("train", "--method", "stfpm", "--backbone", teacher.toString(), "--size", "32",
                "--epochs", "1", "--batch", "4", "--threads", "1", "--data", "sample-data/grain", "--out", whole.toString());
        assertEquals(w.err, 0, w.exit);
        CliRunner r = CliRunner.run("train", "--method", "stfpm", "--backbone", teacher.toString(), "--size", "64",
                "--tiling", "st", "--tile", "32", "--stride", "32", "--epochs", "1", "--batch", "4", "--threads", "1",
                "--data", "sample-data/grain", "--out", tiled.toString());
        assertEquals(r.err, 0, r.exit);
        ModelBundle b = ModelBundle.load(tiled);
        assertEquals("stfpm", b.method());
        assertTrue(b.tiling().tiled());
        assertEquals(4, b.tiling().grid(64, 64).count());
        long wholeSteps = steps(ModelBundle.load(whole));
        assertEquals("four tiles per image", 4 * wholeSteps, steps(b));
        Path det = tmp.getRoot().toPath().resolve("det");
        CliRunner d = CliRunner.run("detect", "--model", tiled.toString(), "--input", "sample-data/grain/test/pit",
                "--out", det.toString(), "--threads", "1");
        assertEquals(d.err, 0, d.exit);
        assertTrue(Files.exists(det.resolve("results.csv")));
        CliRunner ens = CliRunner.run("train", "--method", "dcam", "--backbone", teacher.toString(), "--size", "64",
                "--tiling", "ens", "--tile", "32", "--stride", "32", "--data", "sample-data/grain",
                "--out", tmp.getRoot() + "/ens.zip");
        CliErrorsTest.assertUserError(ens, "--tiling st");
    }

    /** SGD steps of the training, from the history the model keeps (model.json). */
    private static long steps(ModelBundle b) {
        return findSteps(b.model().parameters().toString());
    }

    private static long findSteps(String json) {
        int i = json.indexOf("\"steps\":");
        assertTrue(json, i >= 0);
        int j = i + 8;
        int k = j;
        while (k < json.length() && Character.isDigit(json.charAt(k))) {
            k++;
        }
        return Long.parseLong(json.substring(j, k));
    }
}
