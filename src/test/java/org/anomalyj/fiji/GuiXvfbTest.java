package org.anomalyj.fiji;

import static org.junit.Assert.assertEquals;
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
import java.util.concurrent.TimeUnit;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The GUI path (ROI Manager, image window, Evaluate's plot windows) in a separate JVM with a display: the one in DISPLAY,
 * or an Xvfb this test starts (skipped when neither exists; .ci/run installs xvfb). Leaves a
 * screenshot in target/fiji-detect-screenshot.png (the README's picture).
 */
public class GuiXvfbTest {
    private static final Path GRAIN = Paths.get("sample-data/grain");
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void detectFillsTheRoiManagerAndTheOverlay() throws Exception {
        Assume.assumeTrue(Files.isDirectory(GRAIN));
        String display = System.getenv("DISPLAY");
        Process xvfb = null;
        if (display == null || display.isEmpty()) {
            Assume.assumeTrue("no DISPLAY and no Xvfb", onPath("Xvfb"));
            display = ":" + (90 + (int) (ProcessHandle.current().pid() % 9));
            xvfb = new ProcessBuilder("Xvfb", display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
                    .redirectErrorStream(true).redirectOutput(tmp.newFile("xvfb.log")).start();
            Thread.sleep(1500);
            Assume.assumeTrue("Xvfb did not start", xvfb.isAlive());
        }
        Path shot = Paths.get("target/fiji-detect-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        try {
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.add("-Djava.awt.headless=false");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(GuiDemo.class.getName());
            cmd.add(GRAIN.toAbsolutePath().toString());
            cmd.add(GRAIN.resolve("test/scratch/001.png").toAbsolutePath().toString());
            cmd.add(tmp.getRoot().toString());
            cmd.add(shot.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("DISPLAY", display);
            File log = tmp.newFile("gui.log");
            pb.redirectOutput(log);
            Process p = pb.start();
            assertTrue("GUI demo finished in time", p.waitFor(120, TimeUnit.SECONDS));
            String out = new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8);
            System.out.println(out);
            assertEquals(out, 0, p.exitValue());
            Map<String, String> v = new HashMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).matches("[A-Z]+")) {
                    v.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
            assertEquals("a GUI run", "false", v.get("NOWINDOWS"));
            int boxes = Integer.parseInt(v.get("ROIMANAGER"));
            assertTrue("boxes in the ROI Manager: " + out, boxes >= 1);
            assertEquals("heatmap + the same boxes in the overlay", boxes + 1, Integer.parseInt(v.get("OVERLAY")));
            assertTrue("ROI Manager keeps the box names: " + v.get("FIRSTROI"), v.get("FIRSTROI").matches("anomaly 1 \\(\\d\\.\\d\\d\\)"));
            assertTrue(Files.size(shot) > 1000);
            assertEquals("Evaluate opens ROC and PRO plot windows: " + out, "2", v.get("PLOTS"));
        } finally {
            if (xvfb != null) {
                xvfb.destroy();
            }
        }
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, exe))) {
                return true;
            }
        }
        return false;
    }
}
