package org.anomalyj.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.anomalyj.export.CompiledModelSession;
import org.anomalyj.quant.TinyBackbones;
import org.junit.Assume;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** train (tiny ONNX backbone) -> export -> the .onnx opens as a compiled model; and export's user errors. */
public class ExportCommandTest {
    private static final Path GRAIN = Paths.get("sample-data/grain");

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void exportWritesOneGraphAndRefusesBadTargetsAndBuiltinModels() throws Exception {
        Assume.assumeTrue(Files.isDirectory(GRAIN));
        Path root = tmp.getRoot().toPath();
        Path onnx = TinyBackbones.write(root.resolve("backbones"), "tiny");
        Path model = root.resolve("m.zip");
        CliRunner r = CliRunner.run("train", "--data", GRAIN.toString(), "--backbone", onnx.toString(), "--size", "64",
                "--max-train", "10", "--coreset", "0.1", "--out", model.toString());
        assertEquals(r.err, 0, r.exit);

        Path out = root.resolve("m.onnx");
        r = CliRunner.run("export", "--model", model.toString(), "--out", out.toString());
        assertEquals(r.err, 0, r.exit);
        assertTrue(r.out, r.out.contains("wrote " + out));
        try (CompiledModelSession s = CompiledModelSession.open(out, 1)) {
            Map<String, String> meta = s.metadata();
            assertEquals("patchcore", meta.get("anomalyj.method"));
            assertEquals(64, s.size());
        }
        long before = Files.size(model);

        r = CliRunner.run("export", "--model", model.toString(), "--out", root.resolve("m2.zip").toString());
        assertEquals(1, r.exit);
        assertTrue(r.err, r.err.contains("must end in .onnx"));

        Path builtin = root.resolve("b.zip");
        r = CliRunner.run("train", "--data", GRAIN.toString(), "--size", "64", "--max-train", "6", "--out", builtin.toString());
        assertEquals(r.err, 0, r.exit);
        r = CliRunner.run("export", "--model", builtin.toString(), "--out", root.resolve("b.onnx").toString());
        assertEquals(1, r.exit);
        assertTrue(r.err, r.err.contains("built-in filter-bank backbone"));
        assertFalse(Files.exists(root.resolve("b.onnx")));
        assertEquals("the bundle is never written", before, Files.size(model));
    }
}
