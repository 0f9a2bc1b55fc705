package org.anomalyj.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import java.awt.Rectangle;
import java.awt.event.KeyEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.anomalyj.Progress;
import org.anomalyj.api.TrainOptions;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Esc cancels training and batch detection through {@link IJProgress} (ImageJ's
 * {@code IJ.escapePressed()}, set here as ImageJ's key handler does) and leaves no half-written
 * file: no bundle, no temporary files, and in a batch only the images finished before the Esc.
 */
public class EscapeCancelTest {
    private static final Path GRAIN = Paths.get("sample-data/grain");
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    @ClassRule
    public static TemporaryFolder shared = new TemporaryFolder();
    private static Path model;

    @BeforeClass
    public static void train() {
        Assume.assumeTrue(Files.isDirectory(GRAIN));
        model = shared.getRoot().toPath().resolve("m.zip");
        TrainOptions t = new TrainOptions();
        t.size = 64;
        TrainAction.train(GRAIN, model, t, null, 1, Progress.NONE);
    }

    private static DetectOptions options() {
        DetectOptions o = new DetectOptions();
        o.model = model;
        o.threads = 1;
        return o;
    }

    /** The plugin's progress, with Esc "pressed" when the given number of updates has been reported. */
    private static Progress escAfter(String title, int updates) {
        IJProgress ij = new IJProgress(title);
        return new Progress() {
            private int seen;

            @Override
            public void update(String step, long done, long total) {
                ij.update(step, done, total);
                if (++seen == updates) {
                    IJ.setKeyDown(KeyEvent.VK_ESCAPE);
                }
            }

            @Override
            public boolean isCancelled() {
                return ij.isCancelled();
            }
        };
    }

    private static List<String> names(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return java.util.Collections.emptyList();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Before
    @After
    public void releaseEsc() {
        IJ.resetEscape();
    }

    @Test
    public void escDuringTrainingLeavesNoBundleAndNoTemporaryFile() throws Exception {
        Path outDir = tmp.newFolder("models").toPath();
        Path bundle = outDir.resolve("grain.zip");
        TrainOptions o = new TrainOptions();
        o.size = 64;
        try {
            TrainAction.train(GRAIN, bundle, o, null, 1, escAfter("Train", 2));
            fail("Esc should cancel the training");
        } catch (Progress.CancelledException e) {
            assertEquals("nothing written, not even a temporary file", 0, names(outDir).size());
        }
        // a new run starts with Esc released (IJProgress resets it), so the same call now succeeds
        TrainAction.train(GRAIN, bundle, o, null, 1, new IJProgress("Train"));
        assertEquals(1, names(outDir).size());
        assertTrue(Files.size(bundle) > 0);
    }

    @Test
    public void escDuringABatchKeepsFinishedImagesAndWritesNothingElse() throws Exception {
        Path in = tmp.newFolder("in").toPath();
        Files.copy(GRAIN.resolve("test/scratch/001.png"), in.resolve("a.png"));
        Files.copy(GRAIN.resolve("test/good/000.png"), in.resolve("b.png"));
        Files.copy(GRAIN.resolve("test/good/001.png"), in.resolve("c.png"));
        Path out = tmp.getRoot().toPath().resolve("out");
        ResultsTable rt = new ResultsTable();
        try {
            new DetectAction(options()).runFolder(in, out, rt, escAfter("Detect", 1));
            fail("Esc should cancel the batch");
        } catch (Progress.CancelledException e) {
            List<String> written = names(out);
            assertEquals("only image a, complete: " + written, 4, written.size());
            for (String name : written) {
                assertTrue(name, name.startsWith("a_"));
            }
            ImagePlus detected = IJ.openImage(out.resolve("a_detected.tif").toString());
            assertNotNull("the finished image is a readable TIFF", detected);
            assertNotNull(detected.getOverlay());
            assertFalse(written.contains("results.csv"));
            assertEquals(1, rt.size());
            assertEquals("inputs untouched", 3, names(in).size());
        }
    }

    @Test
    public void escHalfwayThroughAStackLeavesTheImageAndTableAsTheyWere() {
        ImagePlus good = IJ.openImage(GRAIN.resolve("test/good/000.png").toString());
        ImageStack st = new ImageStack(good.getWidth(), good.getHeight());
        for (int i = 0; i < 3; i++) {
            st.addSlice(good.getProcessor().duplicate());
        }
        ImagePlus imp = new ImagePlus("three", st);
        Overlay mine = new Overlay(new Roi(1, 2, 3, 4));
        imp.setOverlay(mine);
        ResultsTable rt = new ResultsTable();
        rt.incrementCounter();
        rt.addValue("earlier", 1);
        try {
            new DetectAction(options()).run(imp, rt, escAfter("Detect", 1));
            fail("Esc should cancel the stack");
        } catch (Progress.CancelledException e) {
            assertEquals("the user's own overlay only", 1, imp.getOverlay().size());
            assertEquals(new Rectangle(1, 2, 3, 4), imp.getOverlay().get(0).getBounds());
            assertEquals("the earlier row only", 1, rt.size());
        }
        IJ.resetEscape();
        new DetectAction(options()).run(imp, rt, new IJProgress("Detect"));
        assertEquals(4, rt.size());
        assertTrue(imp.getOverlay().size() >= 1 + 3);
    }
}
