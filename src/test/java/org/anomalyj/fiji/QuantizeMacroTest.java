package org.anomalyj.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.anomalyj.Progress;
import org.anomalyj.api.Detection;
import org.anomalyj.api.Detector;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.api.Trainer;
import org.anomalyj.data.Datasets;
import org.anomalyj.data.ImageReader;
import org.anomalyj.quant.TinyBackbones;
import org.junit.Assume;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Quantize Anomaly Model... run as a real ImageJ 1.x macro, headless (ij1-patcher, plugin found
 * through plugins.config as in a plugins folder, its dependency jars as in Fiji's jars/): a small
 * float bundle (tiny ONNX backbone, sample-data/grain) is quantized to INT8 by the macro, which
 * then runs Detect Anomalies with the quantized bundle; the score the macro saw must be the one
 * the Java API computes with that bundle. A bad output file stops the macro with a Log line.
 */
public class QuantizeMacroTest {
    private static final Path GRAIN = Paths.get("sample-data/grain");

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void macroQuantizesABundleAndDetectsWithIt() throws Exception {
        Assume.assumeTrue(Files.isDirectory(GRAIN));
        Path root = tmp.getRoot().toPath();
        TrainOptions o = new TrainOptions();
        o.backbone = TinyBackbones.write(root.resolve("backbones"), "tiny").toString();
        o.size = 64;
        o.coresetRatio = 0.1;
        o.maxTrainImages = 12;
        o.threads = 1;
        Path model = root.resolve("float model.zip");
        new Trainer(o).train(Datasets.openOne(GRAIN).trainGood(), GRAIN.toAbsolutePath().toString(), Progress.NONE).save(model);
        Path int8 = root.resolve("int8 model.zip");
        Path image = GRAIN.resolve("test/scratch/000.png").toAbsolutePath();

        Map<String, String> out = runMacro(
                "run(\"Quantize Anomaly Model...\", \"model=[" + model + "] output=[" + int8 + "] precision=int8 "
                + "calibration=minmax calibration_images=4 data=[" + GRAIN.toAbsolutePath() + "]\");\n"
                + "report(\"quantized\", File.exists(\"" + int8 + "\"));\n"
                + "open(\"" + image + "\");\n"
                + "run(\"Detect Anomalies\", \"model=[" + int8 + "] threshold=auto opacity=40 min_area=1\");\n"
                + "report(\"rows\", nResults);\n"
                + "report(\"score\", d2s(getResult(\"score\", 0), 9));\n"
                + "report(\"verdict\", getResultString(\"verdict\", 0));\n");
        assertEquals("1", out.get("quantized"));
        assertEquals("1", out.get("rows"));

        ModelBundle q = ModelBundle.load(int8);
        JsonObject r = q.training().getAsJsonObject("quantization");
        assertEquals("int8", r.get("precision").getAsString());
        assertEquals("minmax", r.get("calibration").getAsString());
        assertEquals(4, r.get("images").getAsInt());
        try (Detector d = new Detector(q, Double.NaN, 1)) {
            Detection expected = d.detect(ImageReader.read(image), "000");
            assertEquals(expected.score(), Double.parseDouble(out.get("score")), 1e-6 * Math.abs(expected.score()));
            assertEquals(expected.anomalous() ? "defective" : "normal", out.get("verdict"));
        }

        // a user error ends the macro (nothing after it runs) and writes nothing
        Path bad = root.resolve("int8.txt");
        out = runMacro("run(\"Quantize Anomaly Model...\", \"model=[" + model + "] output=[" + bad + "] precision=fp16\");\n"
                + "report(\"after\", 1);\n");
        assertNull("the macro stopped at the error", out.get("after"));
        assertFalse(Files.exists(bad));
    }

    private Map<String, String> runMacro(String body) throws Exception {
        return MacroEndToEndTest.runMacro(body, tmp.getRoot().toPath());
    }
}
