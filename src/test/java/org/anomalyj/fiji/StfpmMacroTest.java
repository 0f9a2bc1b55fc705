package org.anomalyj.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.anomalyj.api.ModelBundle;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Train Anomaly Model... with method=stfpm from a real ImageJ 1.x macro (headless, the plugin and
 * its jars in their own class loader as in Fiji): the training engine starts there, the student
 * trains, a checkpoint is written, and Detect Anomalies runs on the bundle.
 */
public class StfpmMacroTest {
    private static final Path GRAIN = Paths.get("sample-data/grain");
    private static final Path TEACHER = Paths.get("../shared/backbones/mobilenetv2_imagenet_features_s8_s16.onnx");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void trainsAStudentFromAMacroAndDetectsWithIt() throws Exception {
        Assume.assumeTrue(Files.isDirectory(GRAIN) && Files.isRegularFile(TEACHER));
        Path model = tmp.getRoot().toPath().resolve("stfpm model.zip");
        Path checkpoint = tmp.getRoot().toPath().resolve("run.ckpt");
        Path image = GRAIN.resolve("test/pit/000.png").toAbsolutePath();
        Map<String, String> out = MacroEndToEndTest.runMacro(
                "run(\"Train Anomaly Model...\", \"data=[" + GRAIN.toAbsolutePath() + "] method=stfpm backbone=["
                + TEACHER.toAbsolutePath() + "] size=64 threads=1 epochs=2 batch=4 learning=0.2 patience=5 checkpoint=["
                + checkpoint + "] output=[" + model + "]\");\n"
                + "report(\"trained\", File.exists(\"" + model + "\"));\n"
                + "report(\"checkpoint\", File.exists(\"" + checkpoint + "\"));\n"
                + "open(\"" + image + "\");\n"
                + "run(\"Detect Anomalies\", \"model=[" + model + "] threshold=auto opacity=40 min_area=1\");\n"
                + "report(\"rows\", nResults);\n"
                + "report(\"score\", getResult(\"score\", 0));\n",
                tmp.getRoot().toPath());
        assertEquals(out.toString(), "1", out.get("trained"));
        assertEquals("1", out.get("checkpoint"));
        assertEquals("1", out.get("rows"));
        assertTrue(out.toString(), Double.parseDouble(out.get("score")) > 0);
        ModelBundle bundle = ModelBundle.load(model);
        assertEquals("stfpm", bundle.method());
        // the dialog's values reached the trainer
        String json = bundle.training().toString();
        assertTrue(json, json.contains("\"max_epochs\":2") && json.contains("\"batch_size\":4")
                && json.contains("\"learning_rate\":0.2") && json.contains("\"early_stopping_patience\":5"));
    }
}
