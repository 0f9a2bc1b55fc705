package org.anomalyj.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.data.SampleDataGenerator;
import org.anomalyj.quant.BackboneQuantizer;
import org.anomalyj.quant.BundleQuantizer;
import org.anomalyj.quant.TinyBackbones;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** train (tiny ONNX backbone) -> quantize -> info / detect / evaluate, and the user errors of quantize. */
public class QuantizeCommandTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static Path root;
    static Path category;
    static Path model;
    static Path int8;

    @BeforeClass
    public static void trainAndQuantizeOnce() throws Exception {
        root = tmp.getRoot().toPath();
        Path data = root.resolve("data");
        SampleDataGenerator.generate(data, 1);
        try (Stream<Path> s = Files.list(data)) {
            category = s.filter(Files::isDirectory).sorted().findFirst().get();
        }
        Path onnx = TinyBackbones.write(root.resolve("backbones"), "tiny");
        model = root.resolve("float.zip");
        CliRunner r = CliRunner.run("train", "--data", category.toString(), "--backbone", onnx.toString(), "--size", "64",
                "--out", model.toString());
        assertEquals(r.err, 0, r.exit);
        int8 = root.resolve("int8.zip");
        r = CliRunner.run("quantize", "--model", model.toString(), "--precision", "int8", "--calibration", "percentile",
                "--calibration-images", "8", "--no-refit", "--out", int8.toString());
        assertEquals(r.err, 0, r.exit);
        assertTrue(r.out, r.out.contains("int8"));
    }

    @Test
    public void theQuantizedBundleRecordsWhatWasDoneAndLoadsEverywhere() throws Exception {
        CliRunner info = CliRunner.run("info", "--model", int8.toString(), "--json");
        assertEquals(info.err, 0, info.exit);
        JsonObject m = JsonParser.parseString(info.out).getAsJsonObject();
        JsonObject q = m.getAsJsonObject("training").getAsJsonObject("quantization");
        assertEquals("int8", q.get("precision").getAsString());
        assertEquals("percentile", q.get("calibration").getAsString());
        assertEquals(8, q.get("images").getAsInt());
        assertEquals(false, q.get("refit").getAsBoolean());
        assertEquals(3, q.getAsJsonObject("ops_quantized").get("Conv").getAsInt());
        ModelBundle a = ModelBundle.load(model);
        ModelBundle b = ModelBundle.load(int8);
        assertTrue(!a.backbone().sha256().equals(b.backbone().sha256()));
        assertEquals(a.calibration().imageThreshold(), b.calibration().imageThreshold(), 0);

        Path out = root.resolve("detect-int8");
        Path defects = firstDefectFolder();
        CliRunner d = CliRunner.run("detect", "--model", int8.toString(), "--input", defects.toString(), "--out", out.toString());
        assertEquals(d.err, 0, d.exit);
        List<String> lines = Files.readAllLines(out.resolve("results.csv"), StandardCharsets.UTF_8);
        assertTrue(lines.size() > 1);

        Path json = root.resolve("eval-int8.json");
        CliRunner e = CliRunner.run("evaluate", "--data", category.toString(), "--model", int8.toString(), "--json", json.toString());
        assertEquals(e.err, 0, e.exit);
        JsonObject res = JsonParser.parseString(new String(Files.readAllBytes(json), StandardCharsets.UTF_8))
                .getAsJsonObject().getAsJsonArray("results").get(0).getAsJsonObject();
        assertTrue(res.toString(), res.get("image_auroc").getAsDouble() > 0.5);
    }

    @Test
    public void fp16BundleDetects() throws Exception {
        Path fp16 = root.resolve("fp16.zip");
        CliRunner r = CliRunner.run("quantize", "--model", model.toString(), "--precision", "fp16", "--out", fp16.toString());
        assertEquals(r.err, 0, r.exit);
        // FP16 keeps the float-fitted head by default
        assertEquals(false, ModelBundle.load(fp16).training().getAsJsonObject("quantization").get("refit").getAsBoolean());
        assertEquals(arrays(model), arrays(fp16));
        CliRunner d = CliRunner.run("detect", "--model", fp16.toString(), "--input", firstDefectFolder().toString(),
                "--out", root.resolve("detect-fp16").toString());
        assertEquals(d.err, 0, d.exit);
    }

    /**
     * Without --refit/--no-refit, INT8 measures how far the quantized features moved (recorded as
     * feature_error) and refits exactly when that exceeds the threshold.
     */
    @Test
    public void int8ByDefaultRefitsWhenItsFeaturesMovedFar() throws Exception {
        Path auto = root.resolve("auto.zip");
        CliRunner r = CliRunner.run("quantize", "--model", model.toString(), "--calibration", "minmax",
                "--out", auto.toString());
        assertEquals(r.err, 0, r.exit);
        JsonObject q = ModelBundle.load(auto).training().getAsJsonObject("quantization");
        double error = q.get("feature_error").getAsDouble();
        assertTrue(q.toString(), error > 0 && error < 1);
        assertEquals(q.toString(), error > org.anomalyj.quant.QuantizeOptions.REFIT_FEATURE_ERROR,
                q.get("refit").getAsBoolean());
        // the float features against themselves: no error; a tiny one or a large one decides the default
        assertEquals(false, org.anomalyj.quant.QuantizeOptions.refitByDefault(org.anomalyj.quant.Precision.INT8, "patchcore", 0.01));
        assertEquals(true, org.anomalyj.quant.QuantizeOptions.refitByDefault(org.anomalyj.quant.Precision.INT8, "padim", 0.5));
        assertEquals(false, org.anomalyj.quant.QuantizeOptions.refitByDefault(org.anomalyj.quant.Precision.INT8, "dcam", 0.5));
        assertEquals(false, org.anomalyj.quant.QuantizeOptions.refitByDefault(org.anomalyj.quant.Precision.FP16, "patchcore", 0.5));
    }

    @Test
    public void refitFitsTheHeadAgainAndNoRefitKeepsTheFloatOne() throws Exception {
        Path refit = root.resolve("refit.zip");
        CliRunner r = CliRunner.run("quantize", "--model", model.toString(), "--calibration", "minmax", "--refit",
                "--out", refit.toString());
        assertEquals(r.err, 0, r.exit);
        assertTrue(r.out, r.out.contains("head refitted"));
        ModelBundle b = ModelBundle.load(refit);
        ModelBundle ptq = ModelBundle.load(int8);
        JsonObject q = b.training().getAsJsonObject("quantization");
        assertTrue(q.toString(), q.get("head").getAsString().startsWith("refit"));
        assertEquals(true, q.get("refit").getAsBoolean());
        // the memory bank (every stored array) was fitted again on INT8 features: not the float model's
        Map<String, String> floatArrays = arrays(model);
        Map<String, String> refitArrays = arrays(refit);
        assertEquals(floatArrays.keySet(), refitArrays.keySet());
        assertTrue(floatArrays.keySet().toString(), !floatArrays.isEmpty());
        int banks = 0;
        for (String name : floatArrays.keySet()) {
            if (name.contains("memory_bank")) {
                assertTrue(name, !floatArrays.get(name).equals(refitArrays.get(name)));
                banks++;
            }
        }
        assertEquals(floatArrays.keySet().toString(), 1, banks);
        assertTrue(!floatArrays.equals(refitArrays));
        // --no-refit (the setup's bundle) keeps every array byte for byte
        assertEquals(floatArrays, arrays(int8));
        assertEquals("int8", BackboneQuantizer.existingQuantization(b.backboneOnnx(), "refit"));
        // a new fit on other features gives other thresholds than the float model's
        assertTrue(b.calibration().imageThreshold() != ModelBundle.load(model).calibration().imageThreshold());
        assertEquals(ptq.layers(), b.layers());
        CliRunner d = CliRunner.run("detect", "--model", refit.toString(), "--input", firstDefectFolder().toString(),
                "--out", root.resolve("detect-refit").toString());
        assertEquals(d.err, 0, d.exit);
    }

    @Test
    public void aTiledEnsembleIsRefittedTileByTileWithItsGeometry() throws Exception {
        Path onnx = root.resolve("backbones").resolve("tiny.onnx");
        Path tiled = root.resolve("tiled.zip");
        CliRunner t = CliRunner.run("train", "--data", category.toString(), "--backbone", onnx.toString(), "--size", "64x32",
                "--tiling", "ens", "--tile", "32", "--stride", "32", "--max-train", "6", "--out", tiled.toString());
        assertEquals(t.err, 0, t.exit);
        Path q = root.resolve("tiled-int8.zip");
        CliRunner r = CliRunner.run("quantize", "--model", tiled.toString(), "--calibration-images", "4", "--refit",
                "--out", q.toString());
        assertEquals(r.err, 0, r.exit);
        ModelBundle a = ModelBundle.load(tiled);
        ModelBundle b = ModelBundle.load(q);
        assertEquals(true, b.training().getAsJsonObject("quantization").get("refit").getAsBoolean());
        assertEquals(a.tiling().mode(), b.tiling().mode());
        assertEquals(a.models().size(), b.models().size());
        assertEquals(2, b.models().size());
        assertEquals(a.inputWidth(), b.inputWidth());
        assertEquals(a.inputHeight(), b.inputHeight());
        // the same 6 seeded training images (--max-train), fitted again
        assertEquals(a.training().get("images_fit").getAsInt(), b.training().get("images_fit").getAsInt());
        assertTrue(!arrays(tiled).equals(arrays(q)));
        CliRunner d = CliRunner.run("detect", "--model", q.toString(), "--input", firstDefectFolder().toString(),
                "--out", root.resolve("detect-tiled").toString());
        assertEquals(d.err, 0, d.exit);
    }

    @Test
    public void anStfpmModelIsNotRefittedByDefaultAndAnExplicitRefitIsRefused() {
        ModelBundle f = ModelBundle.load(model);
        // the tiny model's backbone with an STFPM head: what matters here is only the method
        ModelBundle stfpm = new ModelBundle(new org.anomalyj.model.stfpm.StfpmModel(f.layers(),
                org.anomalyj.model.stfpm.StfpmAnomalyMap.SUM, null), f.backbone(), f.backboneOnnx(), f.layers(),
                f.inputSize(), f.blurSigma(), f.calibration(), f.training());
        assertEquals("stfpm", stfpm.method());
        org.anomalyj.quant.QuantizeOptions o = new org.anomalyj.quant.QuantizeOptions();
        o.calibrationImages = 2;
        o.refit = Boolean.TRUE;
        try {
            BundleQuantizer.quantizeBundle(stfpm, model, o, org.anomalyj.Progress.NONE, w -> { });
            org.junit.Assert.fail("an STFPM refit must be refused");
        } catch (org.anomalyj.AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("STFPM") && e.getMessage().contains(model.toString()));
        }
        // the INT8 default: quantized, head (and thresholds) kept
        o.refit = null;
        ModelBundle q = BundleQuantizer.quantizeBundle(stfpm, model, o, org.anomalyj.Progress.NONE, w -> { });
        assertEquals(false, q.training().getAsJsonObject("quantization").get("refit").getAsBoolean());
        assertEquals(f.calibration().imageThreshold(), q.calibration().imageThreshold(), 0);
    }

    @Test
    public void quantizingAQuantizedModelSaysSo() {
        CliRunner r = CliRunner.run("quantize", "--model", int8.toString(), "--out", root.resolve("again.zip").toString());
        assertEquals(1, r.exit);
        assertTrue(r.err, r.err.contains("already quantized"));
    }

    @Test
    public void anEmptyCalibrationFolderIsAUserError() throws Exception {
        Path empty = Files.createDirectories(root.resolve("empty"));
        CliRunner r = CliRunner.run("quantize", "--model", model.toString(), "--data", empty.toString(),
                "--out", root.resolve("x.zip").toString());
        assertEquals(1, r.exit);
        assertTrue(r.err, r.err.contains(empty.toString()));
    }

    @Test
    public void calibrationImagesOfAnotherTypeAreAUserError() throws Exception {
        // the sample data are grey; a colour image folder is not what the model was trained on
        Path colour = Files.createDirectories(root.resolve("colour"));
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(40, 40, java.awt.image.BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 3, 0xff0000);
        javax.imageio.ImageIO.write(img, "png", colour.resolve("a.png").toFile());
        CliRunner r = CliRunner.run("quantize", "--model", model.toString(), "--data", colour.toString(),
                "--out", root.resolve("y.zip").toString());
        assertEquals(r.err, 1, r.exit);
        assertTrue(r.err, r.err.contains("pass --data with normal images like the training ones"));
    }

    @Test
    public void aBuiltinModelHasNothingToQuantize() throws Exception {
        Path builtin = root.resolve("builtin.zip");
        CliRunner t = CliRunner.run("train", "--data", category.toString(), "--size", "64", "--out", builtin.toString());
        assertEquals(t.err, 0, t.exit);
        CliRunner r = CliRunner.run("quantize", "--model", builtin.toString(), "--out", root.resolve("z.zip").toString());
        assertEquals(1, r.exit);
        assertTrue(r.err, r.err.contains("built-in backbone"));
    }

    @Test
    public void aQuantizedOnnxFileTrainsLikeAFloatOne() throws Exception {
        Path dir = Files.createDirectories(root.resolve("qbackbone"));
        Files.write(dir.resolve("tiny-int8.onnx"), ModelBundle.load(int8).backboneOnnx());
        Files.write(dir.resolve("tiny-int8.json"), TinyBackbones.descriptorJson().getBytes(StandardCharsets.UTF_8));
        Path out = root.resolve("trained-on-int8.zip");
        CliRunner t = CliRunner.run("train", "--data", category.toString(), "--backbone", dir.resolve("tiny-int8.onnx").toString(),
                "--size", "64", "--out", out.toString());
        assertEquals(t.err, 0, t.exit);
        CliRunner r = CliRunner.run("quantize", "--model", out.toString(), "--out", root.resolve("w.zip").toString());
        assertEquals(1, r.exit);
        assertTrue(r.err, r.err.contains("already quantized"));
    }

    /** The bundle's stored arrays (memory bank, Gaussians, statistics): entry name to the sha256 of its bytes. */
    private static Map<String, String> arrays(Path bundle) throws Exception {
        Map<String, String> m = new java.util.TreeMap<>();
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(bundle.toFile())) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(z.entries())) {
                if (e.getName().endsWith(".npy")) {
                    m.put(e.getName(), org.anomalyj.backbone.Hashes.sha256(z.getInputStream(e).readAllBytes()));
                }
            }
        }
        return m;
    }

    private static Path firstDefectFolder() throws Exception {
        try (Stream<Path> s = Files.list(category.resolve("test"))) {
            return s.filter(p -> !p.getFileName().toString().equals("good")).sorted().findFirst().get();
        }
    }
}
