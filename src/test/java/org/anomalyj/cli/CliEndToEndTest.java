package org.anomalyj.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.anomalyj.data.SampleDataGenerator;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** train -> detect -> evaluate -> info through the real command line, on generated sample data. */
public class CliEndToEndTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static Path data;
    static Path category;
    static Path model;

    @BeforeClass
    public static void trainOnce() throws Exception {
        data = tmp.getRoot().toPath().resolve("data");
        SampleDataGenerator.generate(data, 1);
        try (Stream<Path> s = Files.list(data)) {
            category = s.filter(Files::isDirectory).sorted().findFirst().get();
        }
        model = tmp.getRoot().toPath().resolve("model.zip");
        CliRunner r = CliRunner.run("train", "--data", category.toString(), "--out", model.toString());
        assertEquals(r.err, 0, r.exit);
        assertTrue(Files.isRegularFile(model));
    }

    @Test
    public void detectWritesMapsOverlaysMasksAndCsv() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("detect");
        Path defects = firstDefectFolder();
        CliRunner r = CliRunner.run("detect", "--model", model.toString(), "--input", defects.toString(), "--out", out.toString());
        assertEquals(r.err, 0, r.exit);
        List<String> lines = Files.readAllLines(out.resolve("results.csv"), StandardCharsets.UTF_8);
        long images;
        try (Stream<Path> s = Files.list(defects)) {
            images = s.count();
        }
        assertEquals(images + 1, lines.size());
        assertTrue(lines.get(0).startsWith("file,width,height,score,normalized_score,label"));
        long flagged = lines.stream().skip(1).filter(l -> l.contains(",defective,")).count();
        assertTrue("most synthetic defects should be flagged: " + lines, flagged * 2 >= images);
        String first = lines.get(1).split(",")[0];
        String stem = first.substring(0, first.lastIndexOf('.'));
        assertTrue(Files.size(out.resolve(stem + "_anomaly.tif")) > 0);
        assertTrue(Files.size(out.resolve(stem + "_overlay.png")) > 0);
        assertTrue(Files.size(out.resolve(stem + "_mask.png")) > 0);
    }

    @Test
    public void evaluateOnTheSampleCategoryIsFarAboveChance() throws Exception {
        Path json = tmp.getRoot().toPath().resolve("eval.json");
        Path report = tmp.getRoot().toPath().resolve("report");
        CliRunner r = CliRunner.run("evaluate", "--data", category.toString(), "--json", json.toString(),
                "--report", report.toString());
        assertEquals(r.err, 0, r.exit);
        JsonObject o = JsonParser.parseString(new String(Files.readAllBytes(json), StandardCharsets.UTF_8)).getAsJsonObject();
        JsonObject res = o.getAsJsonArray("results").get(0).getAsJsonObject();
        for (String k : new String[] {"category", "method", "backbone", "image_auroc", "pixel_auroc", "aupro",
                "image_f1_max", "fit_seconds", "infer_ms_per_image", "n_train", "n_test"}) {
            assertTrue("missing " + k, res.has(k));
        }
        assertTrue(res.toString(), res.get("image_auroc").getAsDouble() > 0.85);
        assertTrue(res.toString(), res.get("pixel_auroc").getAsDouble() > 0.85);
        assertTrue(o.getAsJsonObject("mean").has("image_auroc"));
        try (Stream<Path> s = Files.list(report)) {
            List<String> names = s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
            assertTrue(names.toString(), names.stream().anyMatch(n -> n.endsWith("roc.png")));
            assertTrue(names.toString(), names.stream().anyMatch(n -> n.endsWith("pro.png")));
            assertTrue(names.toString(), names.stream().anyMatch(n -> n.endsWith("montage.png")));
        }
    }

    @Test
    public void evaluateAnExistingModelGivesTheSameImageAuroc() throws Exception {
        Path json = tmp.getRoot().toPath().resolve("eval-model.json");
        CliRunner r = CliRunner.run("evaluate", "--model", model.toString(), "--data", category.toString(),
                "--json", json.toString());
        assertEquals(r.err, 0, r.exit);
        JsonObject res = JsonParser.parseString(new String(Files.readAllBytes(json), StandardCharsets.UTF_8))
                .getAsJsonObject().getAsJsonArray("results").get(0).getAsJsonObject();
        assertTrue(res.toString(), res.get("image_auroc").getAsDouble() > 0.85);
    }

    @Test
    public void infoDescribesTheBundle() {
        CliRunner r = CliRunner.run("info", "--model", model.toString());
        assertEquals(r.err, 0, r.exit);
        assertTrue(r.out, r.out.contains("patchcore"));
        assertTrue(r.out, r.out.contains("image threshold"));
        CliRunner j = CliRunner.run("info", "--model", model.toString(), "--json");
        assertEquals(0, j.exit);
        assertTrue(JsonParser.parseString(j.out).getAsJsonObject().has("calibration"));
    }

    @Test
    public void padimTrainsAndDetects() throws Exception {
        Path padim = tmp.getRoot().toPath().resolve("padim.zip");
        CliRunner r = CliRunner.run("train", "--data", category.toString(), "--method", "padim", "--out", padim.toString());
        assertEquals(r.err, 0, r.exit);
        Path out = tmp.getRoot().toPath().resolve("detect-padim");
        r = CliRunner.run("detect", "--model", padim.toString(), "--input", firstDefectFolder().toString(),
                "--out", out.toString(), "--csv-only");
        assertEquals(r.err, 0, r.exit);
        assertTrue(Files.exists(out.resolve("results.csv")));
    }

    @Test
    public void blurSigmaIsStoredAndChangesTheMap() throws Exception {
        Path sharp = tmp.getRoot().toPath().resolve("sharp.zip");
        CliRunner r = CliRunner.run("train", "--data", category.toString(), "--blur-sigma", "0", "--out", sharp.toString());
        assertEquals(r.err, 0, r.exit);
        org.anomalyj.api.ModelBundle unblurred = org.anomalyj.api.ModelBundle.load(sharp);
        org.anomalyj.api.ModelBundle blurred = org.anomalyj.api.ModelBundle.load(model);
        assertEquals(0.0, unblurred.blurSigma(), 0);
        assertEquals(4.0, blurred.blurSigma(), 0);
        // same training otherwise: the blur lowers the peak and removes the upsampled grid's kinks
        Path image = Files.list(firstDefectFolder()).filter(p -> p.toString().endsWith(".png")).sorted().findFirst().get();
        float[] sharpMap = map(unblurred, image);
        float[] smoothMap = map(blurred, image);
        assertTrue(max(smoothMap) < max(sharpMap));
        int w = (int) Math.round(Math.sqrt(sharpMap.length));
        assertTrue(curvature(sharpMap, w) > 2 * curvature(smoothMap, w));
    }

    private static float[] map(org.anomalyj.api.ModelBundle bundle, Path image) {
        try (org.anomalyj.api.Detector d = new org.anomalyj.api.Detector(bundle, Double.NaN, 1)) {
            return d.pipeline().predict(org.anomalyj.data.ImageReader.read(image)).map().values();
        }
    }

    private static double max(float[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (float x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    /** Sum of squared second differences along rows. */
    private static double curvature(float[] v, int w) {
        double sum = 0;
        for (int i = 1; i + 1 < v.length; i++) {
            if (i % w != 0 && (i + 1) % w != 0) {
                double d = v[i + 1] - 2 * v[i] + v[i - 1];
                sum += d * d;
            }
        }
        return sum;
    }

    @Test
    public void validationSetWithDefectsGivesF1OptimalThresholds() throws Exception {
        Path calibrated = tmp.getRoot().toPath().resolve("validated.zip");
        CliRunner r = CliRunner.run("train", "--data", category.toString(), "--validation", category.toString(),
                "--out", calibrated.toString());
        assertEquals(r.err, 0, r.exit);
        CliRunner info = CliRunner.run("info", "--model", calibrated.toString(), "--json");
        JsonObject cal = JsonParser.parseString(info.out).getAsJsonObject().getAsJsonObject("calibration");
        assertTrue(cal.toString(), cal.get("rule").getAsString().contains("image: F1-optimal"));
        assertTrue(cal.toString(), cal.get("rule").getAsString().contains("pixel: F1-optimal"));
        // the F1-optimal threshold on the very set we evaluate cannot do worse than the three-sigma one
        Path a = tmp.getRoot().toPath().resolve("a.json");
        Path b = tmp.getRoot().toPath().resolve("b.json");
        assertEquals(0, CliRunner.run("evaluate", "--model", model.toString(), "--data", category.toString(), "--json", a.toString()).exit);
        assertEquals(0, CliRunner.run("evaluate", "--model", calibrated.toString(), "--data", category.toString(), "--json", b.toString()).exit);
        double f1Default = firstResult(a).get("image_f1").getAsDouble();
        double f1Validated = firstResult(b).get("image_f1").getAsDouble();
        double f1Max = firstResult(b).get("image_f1_max").getAsDouble();
        assertEquals(f1Max, f1Validated, 1e-9);
        assertTrue(f1Validated + " vs " + f1Default, f1Validated >= f1Default);
    }

    static JsonObject firstResult(Path json) throws Exception {
        return JsonParser.parseString(new String(Files.readAllBytes(json), StandardCharsets.UTF_8)).getAsJsonObject()
                .getAsJsonArray("results").get(0).getAsJsonObject();
    }

    static Path firstDefectFolder() throws Exception {
        try (Stream<Path> s = Files.list(category.resolve("test"))) {
            return s.filter(p -> !p.getFileName().toString().equals("good")).sorted().findFirst().get();
        }
    }
}
