package org.anomalyj.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Tiling options of train/evaluate/info/detect, the setup comparison, and an 8192 x 8192 image in a 1 GB heap. */
public class CliTilingTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static final String GRAIN = Paths.get("sample-data/grain").toString();

    @Test
    public void setupComparisonReportsEverySetupWithMemoryAndBundleSize() throws IOException {
        Path json = tmp.getRoot().toPath().resolve("setups.json");
        Path md = tmp.getRoot().toPath().resolve("setups.md");
        CliRunner r = CliRunner.run("evaluate", "--data", GRAIN, "--setups", "SM256,ens:256:128:64", "--max-train", "8",
                "--json", json.toString(), "--markdown", md.toString());
        assertEquals(r.err, 0, r.exit);
        JsonObject o = JsonParser.parseString(new String(Files.readAllBytes(json), StandardCharsets.UTF_8)).getAsJsonObject();
        JsonArray results = o.getAsJsonArray("results");
        assertEquals(2, results.size());
        JsonObject sm = results.get(0).getAsJsonObject();
        JsonObject ens = results.get(1).getAsJsonObject();
        assertEquals("SM256", sm.get("tiling_setup").getAsString());
        assertEquals("ens:256:128:64", ens.get("tiling_setup").getAsString());
        assertEquals("ens tile 128 stride 64", ens.get("tiling").getAsString());
        assertEquals(8, ens.get("n_train").getAsInt());
        for (JsonObject x : new JsonObject[] {sm, ens}) {
            assertTrue(x.toString(), x.get("fit_peak_heap_mb").getAsDouble() > 0);
            assertTrue(x.toString(), x.get("peak_heap_mb").getAsDouble() > 0);
            assertTrue(x.toString(), x.get("bundle_bytes").getAsLong() > 0);
            assertTrue(x.toString(), x.get("image_auroc").getAsDouble() > 0.5);
        }
        // nine memory banks take more room than one
        assertTrue(ens.get("bundle_bytes").getAsLong() > sm.get("bundle_bytes").getAsLong());
        List<String> lines = Files.readAllLines(md);
        assertEquals(4, lines.size());
        assertTrue(lines.get(3), lines.get(3).contains("ens tile 128 stride 64"));
    }

    @Test
    public void ensembleTrainsDetectsAndDescribesItself() throws IOException {
        Path model = tmp.getRoot().toPath().resolve("ens.zip");
        CliRunner t = CliRunner.run("train", "--data", GRAIN, "--out", model.toString(), "--tiling", "ens", "--tile", "128",
                "--stride", "64", "--max-train", "8");
        assertEquals(t.err, 0, t.exit);
        CliRunner info = CliRunner.run("info", "--model", model.toString());
        assertTrue(info.out, info.out.contains("ens tile 128 stride 64 (9 tile models)"));
        assertTrue(info.out, info.out.contains("256 x 256"));
        Path out = tmp.getRoot().toPath().resolve("ens-out");
        CliRunner d = CliRunner.run("detect", "--model", model.toString(), "--input", GRAIN + "/test/scratch", "--out", out.toString());
        assertEquals(d.err, 0, d.exit);
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(rows.size() > 1);
        assertTrue(Files.exists(out.resolve("000_anomaly.tif")));
    }

    @Test
    public void tallGeometryKeepsItsAspectAndDetects() throws IOException {
        Path model = tmp.getRoot().toPath().resolve("tall.zip");
        CliRunner t = CliRunner.run("train", "--data", GRAIN, "--out", model.toString(), "--tiling", "ens", "--size", "128x256",
                "--tile", "128", "--stride", "64", "--max-train", "6");
        assertEquals(t.err, 0, t.exit);
        org.anomalyj.api.ModelBundle bundle = org.anomalyj.api.ModelBundle.load(model);
        assertEquals(128, bundle.inputWidth());
        assertEquals(256, bundle.inputHeight());
        // one column of three tile rows: 3 models
        CliRunner info = CliRunner.run("info", "--model", model.toString());
        assertTrue(info.out, info.out.contains("(3 tile models)"));
        Path out = tmp.getRoot().toPath().resolve("tall-out");
        CliRunner d = CliRunner.run("detect", "--model", model.toString(), "--input", GRAIN + "/test/scratch", "--out",
                out.toString(), "--csv-only");
        assertEquals(d.err, 0, d.exit);
        assertTrue(Files.readAllLines(out.resolve("results.csv")).size() > 1);
        // the setups of evaluate take the same form
        Path json = tmp.getRoot().toPath().resolve("tall.json");
        CliRunner e = CliRunner.run("evaluate", "--data", GRAIN, "--setups", "ens:128x256:128:128", "--max-train", "6",
                "--max-test", "4", "--json", json.toString());
        assertEquals(e.err, 0, e.exit);
        com.google.gson.JsonObject result = com.google.gson.JsonParser.parseString(Files.readString(json))
                .getAsJsonObject().getAsJsonArray("results").get(0).getAsJsonObject();
        assertEquals(128, result.get("input_size").getAsInt());
        assertEquals(256, result.get("input_height").getAsInt());
    }

    @Test
    public void badTilingGivesOneClearSentence() {
        Path model = tmp.getRoot().toPath().resolve("never.zip");
        CliErrorsTest.assertUserError(CliRunner.run("train", "--data", GRAIN, "--out", model.toString(), "--tiling", "ens",
                "--tile", "512"), "larger than the 256 x 256 image");
        CliErrorsTest.assertUserError(CliRunner.run("train", "--data", GRAIN, "--out", model.toString(), "--tiling", "st",
                "--tile", "128", "--stride", "0"), "stride");
        CliErrorsTest.assertUserError(CliRunner.run("train", "--data", GRAIN, "--out", model.toString(), "--tiling", "st",
                "--tile", "128", "--stride", "200"), "stride");
        CliErrorsTest.assertUserError(CliRunner.run("train", "--data", GRAIN, "--out", model.toString(), "--size", "native"),
                "--tiling");
        CliErrorsTest.assertUserError(CliRunner.run("train", "--data", GRAIN, "--out", model.toString(), "--tiling", "grid"),
                "Unknown tiling");
        CliErrorsTest.assertUserError(CliRunner.run("evaluate", "--data", GRAIN, "--setups", "ENS7"), "Unknown setup");
        CliErrorsTest.assertUserError(CliRunner.run("train", "--data", GRAIN, "--out", model.toString(), "--size", "256x512"),
                "non-square", "--tiling");
        CliErrorsTest.assertUserError(CliRunner.run("train", "--data", GRAIN, "--out", model.toString(), "--size", "256xabc"),
                "WIDTHxHEIGHT");
        assertTrue(!Files.exists(model));
    }

    @Test
    public void imageSmallerThanTheTilesOfANativeModelIsRefusedByName() throws IOException {
        Path model = tmp.getRoot().toPath().resolve("st-native-small.zip");
        CliRunner t = CliRunner.run("train", "--data", GRAIN, "--out", model.toString(), "--tiling", "st", "--size", "native",
                "--tile", "128", "--max-train", "4");
        assertEquals(t.err, 0, t.exit);
        Path small = tmp.getRoot().toPath().resolve("small.png");
        ImageIO.write(new BufferedImage(100, 80, BufferedImage.TYPE_BYTE_GRAY), "png", small.toFile());
        CliErrorsTest.assertUserError(CliRunner.run("detect", "--model", model.toString(), "--input", small.toString(),
                "--out", tmp.getRoot() + "/small-out"), small.toString(), "100 x 80", "128-pixel tiles");
    }

    /**
     * A model of stacked 256-pixel tiles at native size detects an 8-bit 8192 x 8192 image in a
     * separate JVM limited to 1 GB of heap, writing every output.
     */
    @Test(timeout = 600_000)
    public void stackedTileModelDetectsAn8kImageIn1GbOfHeap() throws Exception {
        Path model = tmp.getRoot().toPath().resolve("st-native.zip");
        CliRunner t = CliRunner.run("train", "--data", GRAIN, "--out", model.toString(), "--tiling", "st", "--size", "native",
                "--tile", "256", "--stride", "256", "--max-train", "8");
        assertEquals(t.err, 0, t.exit);
        Path big = tmp.getRoot().toPath().resolve("big8192.png");
        writeRepeated(Paths.get(GRAIN, "test/scratch/000.png"), 8192, big);
        Path out = tmp.getRoot().toPath().resolve("big-out");
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx1g");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("detect");
        cmd.add("--model");
        cmd.add(model.toString());
        cmd.add("--input");
        cmd.add(big.toString());
        cmd.add("--out");
        cmd.add(out.toString());
        Path log = tmp.getRoot().toPath().resolve("big.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue("detect did not finish in time", p.waitFor(540, TimeUnit.SECONDS));
        String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        assertEquals(text, 0, p.exitValue());
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(rows.get(1), rows.get(1).startsWith("big8192.png,8192,8192,"));
        assertEquals(8192, ImageIO.read(out.resolve("big8192_mask.png").toFile()).getWidth());
        assertTrue(Files.size(out.resolve("big8192_anomaly.tif")) >= 8192L * 8192 * 4);
    }

    /** An 8-bit grey {@code n x n} PNG made by repeating a smaller image. */
    static void writeRepeated(Path source, int n, Path dest) throws IOException {
        BufferedImage src = ImageIO.read(source.toFile());
        Raster s = src.getRaster();
        BufferedImage img = new BufferedImage(n, n, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        int sw = s.getWidth();
        int[] row = new int[sw];
        for (int y = 0; y < n; y++) {
            s.getSamples(0, y % s.getHeight(), sw, 1, 0, row);
            for (int x = 0; x < n; x += sw) {
                r.setSamples(x, y, Math.min(sw, n - x), 1, 0, row);
            }
        }
        ImageIO.write(img, "png", new File(dest.toString()));
    }
}
