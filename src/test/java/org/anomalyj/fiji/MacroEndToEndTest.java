package org.anomalyj.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.imagej.patcher.LegacyEnvironment;
import org.anomalyj.data.ImageReader;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Runs real ImageJ 1.x macros headless (ij1-patcher's LegacyEnvironment, ImageJ in its own class
 * loader with the plugin found through plugins.config in target/classes, as in a plugins folder):
 * train on sample-data/grain, detect on a defective test image, and read back what the macro
 * saw: the Overlay, the box ROIs and the Results table.
 */
public class MacroEndToEndTest {
    private static final Path GRAIN = Paths.get("sample-data/grain");
    private static final String DEFECT = "pit";
    private static final String IMAGE = "000";

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();
    private static Path model;

    @BeforeClass
    public static void train() throws Exception {
        Assume.assumeTrue(Files.isDirectory(GRAIN));
        model = tmp.getRoot().toPath().resolve("grain model.zip"); // a space: paths go in [brackets]
        Map<String, String> out = runMacro(
                "run(\"Train Anomaly Model...\", \"data=[" + GRAIN.toAbsolutePath() + "] method=patchcore "
                + "backbone=builtin size=128 coreset=0.1 seed=42 threads=2 output=[" + model + "]\");\n"
                + "report(\"trained\", File.exists(\"" + model + "\"));\n");
        assertEquals("1", out.get("trained"));
    }

    /** Runs {@code body} in a fresh headless ImageJ; the macro's report(key, value) lines come back. */
    static Map<String, String> runMacro(String body) throws Exception {
        return runMacro(body, tmp.getRoot().toPath());
    }

    /** As {@link #runMacro(String)}, with the report file in {@code folder}. */
    static Map<String, String> runMacro(String body, Path folder) throws Exception {
        Path report = Files.createTempFile(folder, "report", ".txt");
        String macro = "var reportText = \"\";\n"
                + "function report(key, value) { reportText = reportText + key + \"=\" + value + \"\\n\"; "
                + "File.saveString(reportText, \"" + report + "\"); }\n"
                + "setBatchMode(true);\n" + body;
        runInFreshImageJ(macro, "");
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.merge(line.substring(0, eq), line.substring(eq + 1), (a, b) -> a + "\n" + b);
            }
        }
        return values;
    }

    /** A new headless ImageJ 1.x (patched, own class loader) runs {@code macro} with {@code arg}. */
    static void runInFreshImageJ(String macro, String arg) throws Exception {
        LegacyEnvironment ij1 = new LegacyEnvironment(null, true);
        ij1.disableIJ1PluginDirs();
        ij1.addPluginClasspath(pluginClasspath());
        Thread t = Thread.currentThread();
        String name = t.getName();
        ClassLoader loader = t.getContextClassLoader();
        try {
            ij1.runMacro(macro, arg);
        } finally {
            t.setName(name);
            t.setContextClassLoader(loader);
        }
    }

    /** scripts/fiji/train_and_detect.ijm, the README's macro example, works headless as shipped. */
    @Test
    public void exampleMacroRunsHeadless() throws Exception {
        Path script = Paths.get("scripts/fiji/train_and_detect.ijm");
        Path out = tmp.newFolder("example out").toPath();
        runInFreshImageJ(new String(Files.readAllBytes(script), StandardCharsets.UTF_8),
                Paths.get("").toAbsolutePath() + "|" + out);
        ij.ImagePlus detected = ij.IJ.openImage(out.resolve("scratch_001_detected.tif").toString());
        assertTrue("saved TIFF with heatmap and at least one box", detected.getOverlay().size() >= 2);
        // (ImageJ does not store the name of an image ROI in TIFFs; the box names survive.)
        assertTrue(detected.getOverlay().get(0) instanceof ij.gui.ImageRoi);
        assertTrue(detected.getOverlay().get(1).getName().startsWith("anomaly 1 ("));
        List<String> csv = Files.readAllLines(out.resolve("pit/results.csv"), StandardCharsets.UTF_8);
        assertEquals("header + the 6 pit images", 7, csv.size());
        assertTrue(Files.isRegularFile(out.resolve("pit/000_detected.tif")));
    }

    /**
     * The plugin (target/classes with plugins.config) and its dependency jars, as Fiji has them in
     * plugins/ and jars/; not ImageJ itself (the environment brings its own, patched) nor test jars.
     */
    static File[] pluginClasspath() {
        List<File> files = new ArrayList<>();
        files.add(new File("target/classes"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            // protobuf-java and tribuo-util-onnx: what Quantize needs (Fiji: jars/, see scripts/fiji/make_imagej.sh)
            // DJL, libtorch and what DJL uses: the training engine for STFPM (Fiji: the lib/ jars in jars/)
            boolean engine = entry.contains(File.separator + "djl" + File.separator) || name.startsWith("jna-")
                    || name.startsWith("commons-compress") || name.startsWith("commons-io") || name.startsWith("slf4j-api");
            if (name.startsWith("gson") || name.startsWith("onnxruntime") || name.startsWith("picocli")
                    || name.startsWith("protobuf-java") || name.startsWith("tribuo") || engine) {
                files.add(new File(entry));
            }
        }
        return files.toArray(new File[0]);
    }

    @Test
    public void detectDrawsHeatmapAndBoxesOverTheDefectAndFillsTheResultsTable() throws Exception {
        Path image = GRAIN.resolve("test").resolve(DEFECT).resolve(IMAGE + ".png").toAbsolutePath();
        Path saved = tmp.getRoot().toPath().resolve("detected.tif");
        Map<String, String> out = runMacro(
                "open(\"" + image + "\");\n"
                + "run(\"Detect Anomalies\", \"model=[" + model + "] threshold=auto opacity=40 min_area=1\");\n"
                + "report(\"overlay\", Overlay.size);\n"
                + "for (i = 0; i < Overlay.size; i++) {\n"
                + "  Overlay.activateSelection(i);\n"
                + "  getSelectionBounds(x, y, w, h);\n"
                + "  report(\"roi\", \"\" + Roi.getName + \";\" + x + \";\" + y + \";\" + w + \";\" + h);\n"
                + "}\n"
                + "report(\"rows\", nResults);\n"
                + "report(\"image\", getResultString(\"image\", 0));\n"
                + "report(\"score\", getResult(\"score\", 0));\n"
                + "report(\"normalized\", getResult(\"normalized_score\", 0));\n"
                + "report(\"verdict\", getResultString(\"verdict\", 0));\n"
                + "report(\"regions\", getResult(\"regions\", 0));\n"
                + "run(\"Select None\");\n"
                + "saveAs(\"Tiff\", \"" + saved + "\");\n"
                + "close();\n"
                + "open(\"" + saved + "\");\n"
                + "report(\"reopened\", Overlay.size);\n");
        System.out.println("macro saw: " + out);
        int overlay = Integer.parseInt(out.get("overlay"));
        List<String[]> rois = new ArrayList<>();
        for (String line : out.get("roi").split("\n")) {
            rois.add(line.split(";"));
        }
        assertEquals(overlay, rois.size());
        assertEquals(OverlayPainter.HEATMAP_NAME, rois.get(0)[0]);
        assertEquals("heatmap covers the image", "0;0;256;256", String.join(";", rois.get(0)[1], rois.get(0)[2], rois.get(0)[3], rois.get(0)[4]));
        assertTrue("at least one box besides the heatmap: " + out, overlay >= 2);
        boolean[] mask = ImageReader.readMask(GRAIN.resolve("ground_truth").resolve(DEFECT).resolve(IMAGE + "_mask.png"), 256, 256);
        boolean hit = false;
        for (String[] r : rois.subList(1, rois.size())) {
            assertTrue("box name " + r[0], r[0].matches("anomaly \\d+ \\(\\d\\.\\d\\d\\)"));
            hit |= overlaps(mask, 256, Integer.parseInt(r[1]), Integer.parseInt(r[2]), Integer.parseInt(r[3]), Integer.parseInt(r[4]));
        }
        assertTrue("a box overlaps the true defect: " + rois, hit);
        assertEquals("1", out.get("rows"));
        assertEquals(IMAGE + ".png", out.get("image"));
        assertTrue(Double.parseDouble(out.get("score")) > 0);
        assertEquals("defective", out.get("verdict"));
        assertEquals(rois.size() - 1, (int) Double.parseDouble(out.get("regions")));
        assertEquals("the TIFF keeps the overlay", overlay, Integer.parseInt(out.get("reopened")));
    }

    @Test
    public void userErrorsAreLoggedAndStopTheMacro() throws Exception {
        Path missing = tmp.getRoot().toPath().resolve("no such model.zip");
        String log = capturedOutput(() -> {
            Map<String, String> out = runMacro("newImage(\"x\", \"8-bit ramp\", 64, 64, 1);\n"
                    + "run(\"Detect Anomalies\", \"model=[" + missing + "]\");\n"
                    + "report(\"after\", 1);\n");
            assertEquals("the macro stopped at the failed command", null, out.get("after"));
        });
        assertTrue(log, log.contains("Detect Anomalies failed: The model " + missing + " does not exist"));
        assertFalse("no stack trace: " + log, log.contains("\tat org.anomalyj"));

        log = capturedOutput(() -> runMacro("run(\"Detect Anomalies\", \"model=[" + model + "]\");\n"
                + "report(\"after\", 1);\n"));
        assertTrue(log, log.contains("Detect Anomalies failed: No image is open"));
    }

    @Test
    public void infoAndEvaluateFromAMacro() throws Exception {
        String log = capturedOutput(() -> runMacro(
                "run(\"Anomaly Model Info\", \"model=[" + model + "]\");\n"
                + "run(\"Evaluate Anomaly Model...\", \"model=[" + model + "] data=[" + GRAIN.toAbsolutePath() + "]\");\n"));
        assertTrue(log, log.contains("method: patchcore"));
        assertTrue(log, log.contains("input: 128 x 128"));
        assertTrue(log, log.matches("(?s).*Evaluate Anomaly Model: \\{.*\"image_auroc\":0\\.\\d+.*"));
    }

    /**
     * The tiled ensemble from a macro: train with tiling options (a non-square 256 x 128 input: one row of
     * three tiles), detect, info reports the tiles.
     */
    @Test
    public void tiledEnsembleFromAMacro() throws Exception {
        String log = trainDescribeAndDetect("ens model.zip", "method=patchcore backbone=builtin size=256 height=128 "
                + "tiling=ens tile=128 stride=64 coreset=0.1");
        assertTrue(log, log.contains("tiling: ens tile 128 stride 64 (3 tile models)"));
    }

    /** PaDiM with low-rank covariances from the dialog's "Covariance rank" key: trained, described, detecting. */
    @Test
    public void lowRankPadimFromAMacro() throws Exception {
        String log = trainDescribeAndDetect("padim model.zip", "method=padim backbone=builtin size=128 covariance=8");
        assertTrue(log, log.contains("\"covariance_rank\":8"));
    }

    /**
     * Trains a model with these Train Anomaly Model options (plus seed and threads), runs Anomaly
     * Model Info on it and detects the test defect: a heatmap and at least one box, verdict
     * defective. Returns what ImageJ logged.
     */
    private static String trainDescribeAndDetect(String modelName, String trainOptions) throws Exception {
        Path model = tmp.getRoot().toPath().resolve(modelName);
        Path image = GRAIN.resolve("test").resolve(DEFECT).resolve(IMAGE + ".png").toAbsolutePath();
        return capturedOutput(() -> {
            Map<String, String> out = runMacro(
                    "run(\"Train Anomaly Model...\", \"data=[" + GRAIN.toAbsolutePath() + "] " + trainOptions
                    + " seed=42 threads=2 output=[" + model + "]\");\n"
                    + "run(\"Anomaly Model Info\", \"model=[" + model + "]\");\n"
                    + "open(\"" + image + "\");\n"
                    + "run(\"Detect Anomalies\", \"model=[" + model + "] threshold=auto opacity=40 min_area=1\");\n"
                    + "report(\"overlay\", Overlay.size);\n"
                    + "report(\"verdict\", getResultString(\"verdict\", 0));\n");
            assertTrue("heatmap and at least one box: " + out, Integer.parseInt(out.get("overlay")) >= 2);
            assertEquals("defective", out.get("verdict"));
        });
    }

    interface MacroRun {
        void run() throws Exception;
    }

    /** What ImageJ wrote to stdout (headless, the Log goes there) while {@code r} ran. */
    static String capturedOutput(MacroRun r) throws Exception {
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true, "UTF-8"));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        String text = buf.toString("UTF-8");
        old.print(text);
        return text;
    }

    private static boolean overlaps(boolean[] mask, int width, int x, int y, int w, int h) {
        for (int yy = y; yy < y + h; yy++) {
            for (int xx = x; xx < x + w; xx++) {
                if (mask[yy * width + xx]) {
                    return true;
                }
            }
        }
        return false;
    }
}
