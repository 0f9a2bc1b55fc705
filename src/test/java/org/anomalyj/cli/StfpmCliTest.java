package org.anomalyj.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** STFPM from the command line: a trained bundle, and the user errors it can meet. */
public class StfpmCliTest {
    static final String TEACHER = "../shared/backbones/mobilenetv2_imagenet_features_s8_s16.onnx";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void builtinTeacherIsAUserError() {
        Path out = tmp.getRoot().toPath().resolve("m.zip");
        CliRunner r = CliRunner.run("train", "--method", "stfpm", "--data", "sample-data/grain", "--out", out.toString());
        CliErrorsTest.assertUserError(r, "--backbone FILE.onnx");
        assertFalse(Files.exists(out));
    }

    @Test
    public void tiledStfpmIsAUserError() {
        CliRunner r = CliRunner.run("train", "--method", "stfpm", "--backbone", "builtin", "--tiling", "ens", "--size", "512",
                "--data", "sample-data/grain", "--out", tmp.getRoot() + "/m.zip");
        CliErrorsTest.assertUserError(r, "--tiling");
    }

    @Test
    public void badLearningRateIsAUserError() {
        CliRunner r = CliRunner.run("train", "--method", "stfpm", "--lr", "-1", "--backbone", TEACHER,
                "--data", "sample-data/grain", "--out", tmp.getRoot() + "/m.zip");
        CliErrorsTest.assertUserError(r, "--lr");
    }

    @Test
    public void trainsWritesACheckpointAndTheBundleDetects() {
        Assume.assumeTrue(Files.isRegularFile(java.nio.file.Paths.get(TEACHER)));
        Path out = tmp.getRoot().toPath().resolve("m.zip");
        Path ckpt = tmp.getRoot().toPath().resolve("m.ckpt");
        CliRunner r = CliRunner.run("train", "--method", "stfpm", "--backbone", TEACHER, "--size", "64", "--epochs", "2",
                "--threads", "1", "--checkpoint", ckpt.toString(), "--data", "sample-data/grain", "--out", out.toString());
        assertEquals(r.err, 0, r.exit);
        assertTrue(r.err, r.err.contains("STFPM epoch 2 done"));
        assertTrue(Files.exists(out));
        assertTrue(Files.exists(ckpt));
        Path det = tmp.getRoot().toPath().resolve("det");
        CliRunner d = CliRunner.run("detect", "--model", out.toString(), "--input", "sample-data/grain/test/pit",
                "--out", det.toString(), "--threads", "1");
        assertEquals(d.err, 0, d.exit);
        assertTrue(Files.exists(det.resolve("results.csv")));
    }
}
