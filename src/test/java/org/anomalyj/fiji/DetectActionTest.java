package org.anomalyj.fiji;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.Detection;
import org.anomalyj.api.TrainOptions;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The Fiji actions in-process (headless JVM): stacks, map and mask images, batch folders, errors. */
public class DetectActionTest {
    private static final Path GRAIN = Paths.get("sample-data/grain");
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();
    private static Path model;

    @BeforeClass
    public static void train() {
        Assume.assumeTrue(Files.isDirectory(GRAIN));
        model = tmp.getRoot().toPath().resolve("grain.zip");
        TrainOptions o = new TrainOptions();
        o.size = 128;
        o.coresetRatio = 0.1;
        TrainAction.train(GRAIN, model, o, null, 2, Progress.NONE);
        assertTrue(Files.isRegularFile(model));
    }

    private static DetectOptions options() {
        DetectOptions o = new DetectOptions();
        o.model = model;
        o.threads = 2;
        return o;
    }

    private static ImagePlus open(String sub) {
        ImagePlus imp = IJ.openImage(GRAIN.resolve(sub).toString());
        assertNotNull(sub, imp);
        return imp;
    }

    @Test
    public void stackGetsOneRowAndOneHeatmapPerSliceAndItsPixelsStayUntouched() {
        ImagePlus good = open("test/good/000.png");
        ImagePlus bad = open("test/scratch/001.png");
        ImageStack st = new ImageStack(good.getWidth(), good.getHeight());
        st.addSlice("good", good.getProcessor().duplicate());
        st.addSlice("bad", bad.getProcessor().duplicate());
        ImagePlus imp = new ImagePlus("pair", st);
        byte[] before1 = ((byte[]) st.getPixels(1)).clone();
        byte[] before2 = ((byte[]) st.getPixels(2)).clone();

        DetectOptions o = options();
        o.showMap = true;
        o.showMask = true;
        o.opacity = 0.25;
        ResultsTable rt = new ResultsTable();
        DetectAction.Result r = new DetectAction(o).run(imp, rt, Progress.NONE);

        assertArrayEquals(before1, (byte[]) imp.getStack().getPixels(1));
        assertArrayEquals(before2, (byte[]) imp.getStack().getPixels(2));
        assertEquals(2, rt.size());
        assertEquals(1, (int) rt.getValue(DetectionTable.SLICE, 0));
        assertEquals(2, (int) rt.getValue(DetectionTable.SLICE, 1));
        assertEquals(r.detections.get(1).score(), rt.getValue(DetectionTable.SCORE, 1), 1e-9);
        assertTrue("the scratch scores above the good image",
                rt.getValue(DetectionTable.SCORE, 1) > rt.getValue(DetectionTable.SCORE, 0));
        assertEquals("defective", rt.getStringValue(DetectionTable.VERDICT, 1));

        Overlay ov = imp.getOverlay();
        for (int s = 1; s <= 2; s++) {
            Detection d = r.detections.get(s - 1);
            int heat = 0;
            int boxes = 0;
            for (Roi roi : ov) {
                if (roi.getPosition() != s) {
                    continue;
                }
                if (roi instanceof ImageRoi) {
                    heat++;
                    assertEquals(0.25, ((ImageRoi) roi).getOpacity(), 1e-3);
                } else {
                    boxes++;
                }
            }
            assertEquals(1, heat);
            assertEquals(d.regions().size(), boxes);
            assertEquals(d.regions().size(), (int) rt.getValue(DetectionTable.REGIONS, s - 1));
        }
        // map and mask: the detection's own values, and the mask is exactly the regions' pixels
        assertEquals(2, r.map.getStackSize());
        assertEquals(32, r.map.getBitDepth());
        for (int s = 1; s <= 2; s++) {
            Detection d = r.detections.get(s - 1);
            assertArrayEquals(d.map().values(), (float[]) r.map.getStack().getPixels(s), 0f);
            byte[] m = (byte[]) r.mask.getStack().getPixels(s);
            long on = 0;
            for (byte b : m) {
                on += b != 0 ? 1 : 0;
            }
            assertEquals(d.totalRegionArea(), on);
        }

        // running again replaces the anomaly elements instead of piling them up
        int size = ov.size();
        new DetectAction(options()).run(imp, new ResultsTable(), Progress.NONE);
        assertEquals(size, imp.getOverlay().size());
    }

    @Test
    public void folderBatchWritesOverlaidTiffsAndCsvAndLeavesInputsAlone() throws Exception {
        Path in = tmp.newFolder("in").toPath();
        Files.copy(GRAIN.resolve("test/pit/002.png"), in.resolve("a.png"));
        Files.copy(GRAIN.resolve("test/good/003.png"), in.resolve("b.png"));
        byte[] a = Files.readAllBytes(in.resolve("a.png"));
        Path out = tmp.getRoot().toPath().resolve("out");
        ResultsTable rt = new ResultsTable();
        new DetectAction(options()).runFolder(in, out, rt, Progress.NONE);
        assertEquals(2, rt.size());
        assertArrayEquals(a, Files.readAllBytes(in.resolve("a.png")));
        List<String> csv = Files.readAllLines(out.resolve("results.csv"), StandardCharsets.UTF_8);
        assertEquals(3, csv.size());
        ImagePlus detected = IJ.openImage(out.resolve("a_detected.tif").toString());
        assertNotNull(detected.getOverlay());
        assertTrue(detected.getOverlay().get(0) instanceof ImageRoi);
        assertEquals(1 + (int) rt.getValue(DetectionTable.REGIONS, 0), detected.getOverlay().size());
        assertTrue(Files.isRegularFile(out.resolve("a_anomaly.tif")));
        assertTrue(Files.isRegularFile(out.resolve("b_mask.png")));
    }

    @Test
    public void cancellingABatchLeavesNoResultsTable() throws Exception {
        Path in = tmp.newFolder("in2").toPath();
        Files.copy(GRAIN.resolve("test/pit/002.png"), in.resolve("a.png"));
        Files.copy(GRAIN.resolve("test/good/003.png"), in.resolve("b.png"));
        Path out = tmp.getRoot().toPath().resolve("out2");
        Progress cancelAfterFirst = new Progress() {
            private long done;

            @Override
            public void update(String step, long d, long total) {
                done = d;
            }

            @Override
            public boolean isCancelled() {
                return done >= 1;
            }
        };
        try {
            new DetectAction(options()).runFolder(in, out, new ResultsTable(), cancelAfterFirst);
            fail("expected a cancel");
        } catch (Progress.CancelledException e) {
            assertFalse(Files.exists(out.resolve("results.csv")));
            assertFalse(Files.exists(out.resolve("b_detected.tif")));
        }
    }

    @Test
    public void userErrorsAreOneClearSentence() throws Exception {
        assertMessage(() -> new DetectAction(options()).run(null, new ResultsTable(), Progress.NONE), "No image is open");
        Path notABundle = tmp.newFile("fake.zip").toPath();
        Files.write(notABundle, "hello".getBytes(StandardCharsets.UTF_8));
        DetectOptions o = options();
        o.model = notABundle;
        ImagePlus imp = open("test/good/000.png");
        assertMessage(() -> new DetectAction(o).run(imp, new ResultsTable(), Progress.NONE), notABundle.toString());
        assertEquals("a failed run leaves no overlay", null, imp.getOverlay());
        Path empty = tmp.newFolder("empty").toPath();
        assertMessage(() -> new DetectAction(options()).runFolder(empty, tmp.getRoot().toPath().resolve("o"),
                new ResultsTable(), Progress.NONE), "holds no images");
        assertMessage(() -> TrainAction.train(empty, tmp.getRoot().toPath().resolve("m.zip"), new TrainOptions(), null, 1,
                Progress.NONE), empty.toString());
        assertMessage(() -> TrainAction.train(GRAIN, tmp.getRoot().toPath().resolve("m.txt"), new TrainOptions(), null, 1,
                Progress.NONE), "must end in .zip");
    }

    private static void assertMessage(Runnable r, String expected) {
        try {
            r.run();
            fail("expected an AnomalyJException containing " + expected);
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
            assertFalse("one sentence, no stack trace: " + e.getMessage(), e.getMessage().contains("\n\tat "));
        }
    }

    @Test
    public void evaluateGivesMetricsAndATableRowAndWritesTheReport() throws Exception {
        Path report = tmp.newFolder("report").toPath();
        org.anomalyj.api.EvaluationResult r = EvaluateAction.evaluate(model, GRAIN, report, 2, Progress.NONE);
        long tests = Files.list(GRAIN.resolve("test")).mapToLong(d -> {
            try (java.util.stream.Stream<Path> files = Files.list(d)) {
                return files.count();
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        }).sum();
        assertEquals(tests, r.nTest);
        assertTrue("better than chance on the sample data: " + r.imageAuroc, r.imageAuroc > 0.5);
        assertTrue(Files.isRegularFile(report.resolve("grain_patchcore_roc.png")));
        // the evaluator hands its curves over for the plot windows: image + pixel ROC, and PRO
        assertEquals(2, r.rocCurves.size());
        assertEquals(1, r.proCurves.size());
        ij.gui.Plot roc = CurvePlots.roc(r);
        assertEquals(2, roc.getDataObjectDesignations().length);
        assertEquals(r.rocCurves.get(1).curve().size(), roc.getDataObjectArrays(1)[0].length);
        assertEquals(1, CurvePlots.pro(r).getDataObjectDesignations().length);
        ResultsTable rt = new ResultsTable();
        EvaluateAction.addRow(rt, r);
        assertEquals(r.imageAuroc, rt.getValue("image_auroc", 0), 1e-12);
        assertEquals("grain", rt.getStringValue("category", 0));
    }

    @Test
    public void cancellingTrainingWritesNoModel() {
        Path out = tmp.getRoot().toPath().resolve("cancelled.zip");
        Progress cancelSoon = new Progress() {
            private int updates;

            @Override
            public void update(String step, long done, long total) {
                updates++;
            }

            @Override
            public boolean isCancelled() {
                return updates >= 3;
            }
        };
        TrainOptions o = new TrainOptions();
        o.size = 64;
        try {
            TrainAction.train(GRAIN, out, o, null, 1, cancelSoon);
            fail("expected a cancel");
        } catch (Progress.CancelledException e) {
            assertFalse(Files.exists(out));
        }
    }

    @Test
    public void anRgbStackOnAGreyModelIsDetectedSliceBySlice() {
        ImagePlus rgb = IJ.openImage(Paths.get("sample-data/weave/test/good/000.png").toString());
        Assume.assumeTrue(rgb != null && rgb.getBitDepth() == 24);
        ImageStack st = new ImageStack(rgb.getWidth(), rgb.getHeight());
        st.addSlice(rgb.getProcessor().duplicate());
        st.addSlice(rgb.getProcessor().duplicate());
        ImagePlus imp = new ImagePlus("rgb stack", st);
        ResultsTable rt = new ResultsTable();
        DetectAction.Result r = new DetectAction(options()).run(imp, rt, Progress.NONE);
        assertEquals(2, rt.size());
        assertEquals("same slice, same score", r.detections.get(0).score(), r.detections.get(1).score(), 0);
        assertEquals(24, imp.getBitDepth());
    }

    private static double scoreOf(ImagePlus single) {
        return new DetectAction(options()).run(single, new ResultsTable(), Progress.NONE).detections.get(0).score();
    }

    @Test
    public void aHyperstackGetsOneDetectionPerSliceAndFrameAtItsOwnPosition() {
        ImagePlus good = open("test/good/000.png");
        ImagePlus bad = open("test/scratch/001.png");
        // ImageJ's order for one channel: z fastest, then t
        ImagePlus[] planes = {good, bad, bad, good}; // (z1,t1) (z2,t1) (z1,t2) (z2,t2)
        ImageStack st = new ImageStack(good.getWidth(), good.getHeight());
        for (ImagePlus p : planes) {
            st.addSlice(p.getProcessor().duplicate());
        }
        ImagePlus imp = new ImagePlus("zt", st);
        imp.setDimensions(1, 2, 2);
        imp.setOpenAsHyperStack(true);
        assertTrue(imp.isHyperStack());
        DetectOptions o = options();
        o.showMap = true;
        ResultsTable rt = new ResultsTable();
        DetectAction.Result r = new DetectAction(o).run(imp, rt, Progress.NONE);

        double goodScore = scoreOf(good);
        double badScore = scoreOf(bad);
        assertEquals(4, rt.size());
        int[] z = {1, 2, 1, 2};
        int[] t = {1, 1, 2, 2};
        for (int i = 0; i < 4; i++) {
            assertEquals(z[i], (int) rt.getValue(DetectionTable.SLICE, i));
            assertEquals(t[i], (int) rt.getValue(DetectionTable.FRAME, i));
            assertEquals("each (z, t) is scored like the plane on its own", planes[i] == bad ? badScore : goodScore,
                    r.detections.get(i).score(), 1e-9);
        }
        assertTrue(badScore > goodScore);
        // one heatmap per (z, t), shown on every channel of that position
        int heatmaps = 0;
        for (Roi roi : imp.getOverlay()) {
            if (roi instanceof ImageRoi) {
                heatmaps++;
                assertEquals(0, roi.getCPosition());
                assertTrue(roi.getZPosition() >= 1 && roi.getTPosition() >= 1);
            }
        }
        assertEquals(4, heatmaps);
        assertEquals(2, r.map.getNSlices());
        assertEquals(2, r.map.getNFrames());
        assertEquals(4, r.map.getStackSize());
        // running again replaces, not piles up
        int size = imp.getOverlay().size();
        new DetectAction(options()).run(imp, new ResultsTable(), Progress.NONE);
        assertEquals(size, imp.getOverlay().size());
    }

    @Test
    public void threeChannelsAreOneColourImageAndOtherChannelCountsUseTheCurrentChannel() {
        ImagePlus rgb = IJ.openImage(Paths.get("sample-data/weave/test/good/000.png").toString());
        Assume.assumeTrue(rgb != null && rgb.getBitDepth() == 24);
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        byte[][] channels = new byte[3][w * h];
        ((ij.process.ColorProcessor) rgb.getProcessor()).getRGB(channels[0], channels[1], channels[2]);
        ImageStack st = new ImageStack(w, h);
        for (byte[] c : channels) {
            st.addSlice(new ij.process.ByteProcessor(w, h, c));
        }
        ImagePlus three = new ImagePlus("three", st);
        three.setDimensions(3, 1, 1);
        ImagePlus composite = new ij.CompositeImage(three, ij.CompositeImage.COMPOSITE);
        ResultsTable rt = new ResultsTable();
        DetectAction.Result r = new DetectAction(options()).run(composite, rt, Progress.NONE);
        assertEquals(1, rt.size());
        assertNull(r.note);
        assertFalse(rt.columnExists(DetectionTable.CHANNEL));
        assertEquals("R, G, B channels score like the RGB image", scoreOf(rgb), r.detections.get(0).score(), 1e-9);

        ImagePlus good = open("test/good/000.png");
        ImagePlus bad = open("test/scratch/001.png");
        ImageStack two = new ImageStack(good.getWidth(), good.getHeight());
        two.addSlice(good.getProcessor().duplicate());
        two.addSlice(bad.getProcessor().duplicate());
        ImagePlus pair = new ImagePlus("pair", two);
        pair.setDimensions(2, 1, 1);
        ImagePlus c2 = new ij.CompositeImage(pair, ij.CompositeImage.COMPOSITE);
        c2.setC(2);
        ResultsTable rt2 = new ResultsTable();
        DetectAction.Result r2 = new DetectAction(options()).run(c2, rt2, Progress.NONE);
        assertEquals(1, rt2.size());
        assertEquals(2, (int) rt2.getValue(DetectionTable.CHANNEL, 0));
        assertTrue(r2.note, r2.note.contains("only channel 2"));
        assertEquals(scoreOf(bad), r2.detections.get(0).score(), 1e-9);
        c2.setC(1);
        assertEquals(scoreOf(good), new DetectAction(options()).run(c2, new ResultsTable(), Progress.NONE)
                .detections.get(0).score(), 1e-9);
    }

    @Test
    public void modelInfoDescribesTheBundle() {
        String text = ModelInfoAction.describe(model);
        assertTrue(text, text.contains("method: patchcore"));
        assertTrue(text, text.contains("input: 128 x 128"));
    }
}
