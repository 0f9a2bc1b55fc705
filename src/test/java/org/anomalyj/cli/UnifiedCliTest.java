package org.anomalyj.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.model.patchcore.PatchCoreModel;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code train --unified} and {@code evaluate --unified} on the committed sample data: a root of
 * symbolic links to {@code grain} (8-bit grey) and {@code weave} (RGB), so grey and colour
 * categories are mixed in one model. Built-in backbone at 128 px to stay fast.
 */
public class UnifiedCliTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static Path root;
    static Path models;
    static JsonObject comparison;

    @BeforeClass
    public static void evaluateUnifiedOnce() throws Exception {
        root = tmp.getRoot().toPath().resolve("root");
        Files.createDirectories(root);
        try {
            for (String c : new String[] {"grain", "weave"}) {
                Files.createSymbolicLink(root.resolve(c), Paths.get("sample-data", c).toAbsolutePath());
            }
        } catch (UnsupportedOperationException | IOException e) {
            Assume.assumeNoException("symbolic links not supported here", e);
        }
        models = tmp.getRoot().toPath().resolve("models");
        Path json = tmp.getRoot().toPath().resolve("unified.json");
        CliRunner r = CliRunner.run("evaluate", "--data", root.toString(), "--unified", "--size", "128",
                "--json", json.toString(), "--save-models", models.toString());
        assertEquals(r.err, 0, r.exit);
        comparison = read(json);
    }

    static JsonObject read(Path json) throws IOException {
        return JsonParser.parseString(new String(Files.readAllBytes(json), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    /** image AUROC per category of the results with {@code setup} (any setup when null). */
    static Map<String, Double> auroc(JsonObject o, String setup) {
        Map<String, Double> m = new HashMap<>();
        for (JsonElement e : o.getAsJsonArray("results")) {
            JsonObject r = e.getAsJsonObject();
            if (setup == null || setup.equals(r.get("setup").getAsString())) {
                m.put(r.get("category").getAsString(), r.get("image_auroc").getAsDouble());
            }
        }
        return m;
    }

    @Test
    public void comparisonHasBothSetupsPerCategoryWithMeansSizesAndTimes() throws IOException {
        JsonArray results = comparison.getAsJsonArray("results");
        assertEquals(4, results.size());
        Set<String> pairs = new HashSet<>();
        double separateFit = 0;
        double unifiedSum = 0;
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            pairs.add(r.get("setup").getAsString() + "/" + r.get("category").getAsString());
            if (r.get("setup").getAsString().equals("separate")) {
                separateFit += r.get("fit_seconds").getAsDouble();
            } else {
                unifiedSum += r.get("image_auroc").getAsDouble();
                assertTrue(r.toString(), r.get("image_auroc").getAsDouble() > 0.8);
            }
        }
        assertEquals(Set.of("unified/grain", "unified/weave", "separate/grain", "separate/weave"), pairs);
        JsonObject means = comparison.getAsJsonObject("mean_by_setup");
        assertEquals(unifiedSum / 2, means.getAsJsonObject("unified").get("image_auroc").getAsDouble(), 1e-6);
        assertTrue(means.getAsJsonObject("separate").has("aupro"));
        JsonObject bytes = comparison.getAsJsonObject("bundle_bytes_by_setup");
        assertEquals(Files.size(models.resolve("unified_patchcore.zip")), bytes.get("unified").getAsLong());
        assertEquals(Files.size(models.resolve("grain_patchcore.zip")) + Files.size(models.resolve("weave_patchcore.zip")),
                bytes.get("separate").getAsLong());
        assertEquals(separateFit, comparison.getAsJsonObject("fit_seconds_by_setup").get("separate").getAsDouble(), 2e-3);
        assertTrue(comparison.getAsJsonObject("infer_ms_per_image_by_setup").get("unified").getAsDouble() > 0);
        JsonObject cpu = comparison.getAsJsonObject("fit_cpu_seconds_by_setup");
        assertTrue(cpu.toString(), cpu.get("unified").getAsDouble() > 0 && cpu.get("separate").getAsDouble() > 0);
    }

    @Test
    public void trainUnifiedWritesOneBundleThatScoresEveryCategory() throws IOException {
        Path model = tmp.getRoot().toPath().resolve("unified.zip");
        CliRunner r = CliRunner.run("train", "--data", root.toString(), "--unified", "--size", "128", "--out", model.toString());
        assertEquals(r.err, 0, r.exit);
        JsonObject training = ModelBundle.load(model).training();
        assertTrue(training.get("unified").getAsBoolean());
        assertEquals("[\"grain\",\"weave\"]", training.getAsJsonArray("categories").toString());
        // the same bundle, with no category label, scores both categories; training is deterministic,
        // so it scores them exactly as the unified model of the comparison did
        Path json = tmp.getRoot().toPath().resolve("by-model.json");
        r = CliRunner.run("evaluate", "--model", model.toString(), "--data", root.toString(), "--json", json.toString());
        assertEquals(r.err, 0, r.exit);
        Map<String, Double> byModel = auroc(read(json), null);
        assertEquals(auroc(comparison, "unified"), byModel);
    }

    @Test
    public void defaultPerCategoryCoresetBankIsTheSeparateBanksTogether() {
        Path model = tmp.getRoot().toPath().resolve("per-category.zip");
        CliRunner r = CliRunner.run("train", "--data", root.toString(), "--unified", "--size", "128",
                "--out", model.toString());
        assertEquals(r.err, 0, r.exit);
        int unified = bank(model);
        int separate = bank(models.resolve("grain_patchcore.zip")) + bank(models.resolve("weave_patchcore.zip"));
        assertEquals(separate, unified);
        assertEquals("per-category",
                ModelBundle.load(model).training().getAsJsonObject("options").get("unified_coreset").getAsString());
    }

    @Test
    public void unionCoresetKeepsTheRequestedShareOfAllPatches() {
        Path model = tmp.getRoot().toPath().resolve("union.zip");
        CliRunner r = CliRunner.run("train", "--data", root.toString(), "--unified", "--unified-coreset", "union",
                "--size", "128", "--out", model.toString());
        assertEquals(r.err, 0, r.exit);
        assertEquals("union",
                ModelBundle.load(model).training().getAsJsonObject("options").get("unified_coreset").getAsString());
        // one selection over the union keeps about the separate models' total, not necessarily their entries
        int separate = bank(models.resolve("grain_patchcore.zip")) + bank(models.resolve("weave_patchcore.zip"));
        assertEquals(separate, bank(model), 2);
    }

    @Test
    public void unifiedCoresetRatioSizesOnlyTheUnifiedBank() {
        Path model = tmp.getRoot().toPath().resolve("half.zip");
        CliRunner r = CliRunner.run("train", "--data", root.toString(), "--unified", "--unified-coreset-ratio", "0.005",
                "--size", "128", "--out", model.toString());
        assertEquals(r.err, 0, r.exit);
        JsonObject options = ModelBundle.load(model).training().getAsJsonObject("options");
        assertEquals(0.005, options.get("coreset_ratio").getAsDouble(), 0);
        // half the default ratio: about half the separate models' entries (rounding per category)
        int separate = bank(models.resolve("grain_patchcore.zip")) + bank(models.resolve("weave_patchcore.zip"));
        assertEquals(separate / 2.0, bank(model), 2);
        CliErrorsTest.assertUserError(CliRunner.run("train", "--data", root.toString(), "--unified",
                "--unified-coreset-ratio", "2", "--out", tmp.getRoot() + "/never.zip"), "Unified coreset ratio");
    }

    private static int bank(Path bundle) {
        return ((PatchCoreModel) ModelBundle.load(bundle).model()).memoryBank().index().size();
    }

    @Test
    public void aCategoryFolderIsNotARoot() {
        Path grain = root.resolve("grain");
        CliRunner r = CliRunner.run("train", "--data", grain.toString(), "--unified", "--out",
                tmp.getRoot().toPath().resolve("x.zip").toString());
        CliErrorsTest.assertUserError(r, grain.toString(), "is one category", "drop --unified");
    }

    @Test
    public void aRootWithoutCategoriesIsRefused() throws IOException {
        Path empty = tmp.newFolder("no-categories").toPath();
        CliRunner r = CliRunner.run("evaluate", "--data", empty.toString(), "--unified");
        CliErrorsTest.assertUserError(r, empty.toString(), "holds no categories");
    }

    @Test
    public void aCategoryWithoutGoodImagesIsNamed() throws IOException {
        Path bad = tmp.newFolder("bad-root").toPath();
        Files.createSymbolicLink(bad.resolve("grain"), Paths.get("sample-data", "grain").toAbsolutePath());
        Files.createDirectories(bad.resolve("empty/train/good"));
        CliRunner r = CliRunner.run("evaluate", "--data", bad.toString(), "--unified");
        CliErrorsTest.assertUserError(r, bad.resolve("empty").resolve("train").resolve("good").toString(), "no images");
    }

    @Test
    public void unifiedWithAGivenModelIsRefused() {
        CliRunner r = CliRunner.run("evaluate", "--data", root.toString(), "--unified", "--model", "m.zip");
        CliErrorsTest.assertUserError(r, "drop --model");
    }
}
