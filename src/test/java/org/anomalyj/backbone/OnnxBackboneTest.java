package org.anomalyj.backbone;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.anomalyj.AnomalyJException;
import org.anomalyj.img.FloatImage;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Runs on the real backbones in ../shared/backbones; skipped where they are absent. */
public class OnnxBackboneTest {

    private static final Path DIR = Paths.get("../shared/backbones");
    private static final Path MOBILENET = DIR.resolve("mobilenetv2_imagenet_features_s8_s16.onnx");
    private static final Path RESNET = DIR.resolve("resnet50v2_imagenet_stage1to3.onnx");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static void assumeFile(Path p) {
        Assume.assumeTrue("needs " + p, Files.isRegularFile(p));
    }

    private static BackboneDescriptor sidecar(Path onnx) {
        return Backbones.readDescriptor(Backbones.sidecarOf(onnx), Backbones.baseName(onnx));
    }

    /** The sidecar's JSON with one change, parsed again. */
    private static BackboneDescriptor edited(Path onnx, java.util.function.Consumer<JsonObject> edit) {
        JsonObject o = sidecar(onnx).toJson();
        edit.accept(o);
        return BackboneDescriptor.fromJson(o, "edited " + onnx.getFileName(), "edited");
    }

    static FloatImage randomImage(int w, int h, long seed) {
        Random r = new Random(seed);
        FloatImage img = new FloatImage(w, h, 3);
        float[] d = img.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextInt(256);
        }
        return img;
    }

    private static void assertMessage(AnomalyJException e, String... parts) {
        for (String p : parts) {
            assertTrue("'" + p + "' missing in: " + e.getMessage(), e.getMessage().contains(p));
        }
    }

    @Test
    public void mobileNetShapesForA256Input() {
        assumeFile(MOBILENET);
        try (OnnxBackbone b = OnnxBackbone.open(MOBILENET, sidecar(MOBILENET), null, 2)) {
            assertEquals(Arrays.asList("feat_s8", "feat_s16"), b.layers());
            List<FeatureMap> maps = b.extract(randomImage(256, 256, 1));
            assertEquals(2, maps.size());
            assertShape(maps.get(0), "feat_s8", 8, 32, 32, 32);
            assertShape(maps.get(1), "feat_s16", 16, 96, 16, 16);
            // non-square input: the axes are dynamic
            List<FeatureMap> wide = b.extract(randomImage(320, 192, 2));
            assertShape(wide.get(1), "feat_s16", 16, 96, 12, 20);
        }
    }

    @Test
    public void resNetShapesAndLayerOrder() {
        assumeFile(RESNET);
        // requested deepest first: returned shallowest first, and only those two are fetched
        try (OnnxBackbone b = OnnxBackbone.open(RESNET, sidecar(RESNET), Arrays.asList("stage3", "stage2"), 2)) {
            assertEquals(Arrays.asList("stage2", "stage3"), b.layers());
            List<FeatureMap> maps = b.extract(randomImage(256, 256, 3));
            assertShape(maps.get(0), "stage2", 8, 512, 32, 32);
            assertShape(maps.get(1), "stage3", 16, 1024, 16, 16);
        }
    }

    private static void assertShape(FeatureMap m, String name, int stride, int c, int h, int w) {
        assertEquals(name, m.name());
        assertEquals(stride, m.stride());
        assertEquals(c, m.channels());
        assertEquals(h, m.height());
        assertEquals(w, m.width());
        for (float v : m.data()) {
            assertTrue("finite", Float.isFinite(v));
        }
    }

    @Test
    public void batchOfTwoEqualsTwoSingleRuns() {
        assumeFile(MOBILENET);
        FloatImage a = randomImage(128, 128, 4);
        FloatImage b = randomImage(128, 128, 5);
        try (OnnxBackbone net = OnnxBackbone.open(MOBILENET, sidecar(MOBILENET), null, 2)) {
            List<List<FeatureMap>> batch = net.extractBatch(Arrays.asList(a, b));
            List<FeatureMap> sa = net.extract(a);
            List<FeatureMap> sb = net.extract(b);
            assertEquals(2, batch.size());
            for (int l = 0; l < 2; l++) {
                assertClose(sa.get(l).data(), batch.get(0).get(l).data(), 1e-4f);
                assertClose(sb.get(l).data(), batch.get(1).get(l).data(), 1e-4f);
            }
            // and the two images really give different features (the comparison is not vacuous)
            float diff = 0;
            for (int i = 0; i < sa.get(0).data().length; i++) {
                diff = Math.max(diff, Math.abs(sa.get(0).data()[i] - sb.get(0).data()[i]));
            }
            assertTrue(diff > 0.01f);
        }
    }

    @Test
    public void resNetBatchEqualsSingleRuns() {
        assumeFile(RESNET);
        FloatImage a = randomImage(64, 64, 6);
        FloatImage b = randomImage(64, 64, 7);
        try (OnnxBackbone net = OnnxBackbone.open(RESNET, sidecar(RESNET), null, 2)) {
            List<List<FeatureMap>> batch = net.extractBatch(Arrays.asList(a, b));
            List<FeatureMap> sb = net.extract(b);
            for (int l = 0; l < net.layers().size(); l++) {
                assertClose(sb.get(l).data(), batch.get(1).get(l).data(), 1e-4f);
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, float tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            float scale = Math.max(1f, Math.abs(expected[i]));
            if (Math.abs(expected[i] - actual[i]) > tol * scale) {
                fail("index " + i + ": " + expected[i] + " vs " + actual[i]);
            }
        }
    }

    /** A grey image is read as three equal channels: the same features as its 3-channel copy, to the bit. */
    @Test
    public void greyIsReadAsThreeEqualChannels() {
        assumeFile(MOBILENET);
        FloatImage colour = randomImage(64, 64, 9);
        FloatImage grey = new FloatImage(64, 64, 1);
        System.arraycopy(colour.data(), 64 * 64, grey.data(), 0, 64 * 64); // the green plane
        try (OnnxBackbone net = OnnxBackbone.open(MOBILENET, sidecar(MOBILENET), null, 1)) {
            List<FeatureMap> fromGrey = net.extract(grey);
            List<FeatureMap> fromThree = net.extract(grey.withChannels(3));
            List<FeatureMap> fromColour = net.extract(colour);
            for (int l = 0; l < fromGrey.size(); l++) {
                assertArrayEquals(fromThree.get(l).data(), fromGrey.get(l).data(), 0f);
            }
            // a colour image differs (the comparison is not vacuous)
            assertTrue(!Arrays.equals(fromColour.get(0).data(), fromGrey.get(0).data()));
        }
    }

    /**
     * The preprocessing follows the descriptor: an image given as BGR with a BGR descriptor gives
     * the same features as the RGB image with the RGB descriptor.
     */
    @Test
    public void colourOrderFollowsTheDescriptor() {
        assumeFile(MOBILENET);
        FloatImage rgb = randomImage(64, 64, 8);
        FloatImage bgr = new FloatImage(64, 64, 3);
        int plane = 64 * 64;
        for (int c = 0; c < 3; c++) {
            System.arraycopy(rgb.data(), (2 - c) * plane, bgr.data(), c * plane, plane);
        }
        BackboneDescriptor asBgr = edited(MOBILENET, o -> o.getAsJsonObject("preprocess").addProperty("color", "BGR"));
        try (OnnxBackbone n1 = OnnxBackbone.open(MOBILENET, sidecar(MOBILENET), null, 1);
                OnnxBackbone n2 = OnnxBackbone.open(MOBILENET, asBgr, null, 1)) {
            assertClose(n1.extract(rgb).get(0).data(), n2.extract(bgr).get(0).data(), 1e-5f);
        }
    }

    @Test
    public void fromBytesWorksLikeTheFile() throws Exception {
        assumeFile(MOBILENET);
        byte[] bytes = Files.readAllBytes(MOBILENET);
        FloatImage img = randomImage(64, 64, 9);
        try (OnnxBackbone f = OnnxBackbone.open(MOBILENET, sidecar(MOBILENET), null, 1);
                OnnxBackbone m = OnnxBackbone.fromBytes(bytes, sidecar(MOBILENET), null, 1, "bundle.zip")) {
            assertClose(f.extract(img).get(1).data(), m.extract(img).get(1).data(), 0f);
        }
        assertEquals(sidecar(MOBILENET).sha256(), OnnxBackbone.sha256(bytes));
        assertEquals(OnnxBackbone.sha256(MOBILENET), OnnxBackbone.sha256(bytes));
    }

    // ---- validation errors, each from a deliberately wrong input ----

    @Test
    public void missingFile() {
        Path nope = tmp.getRoot().toPath().resolve("nope.onnx");
        try {
            OnnxBackbone.open(nope, FilterBankBackbone.builtinDescriptor(), null, 1);
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "nope.onnx", "does not exist");
        }
    }

    @Test
    public void corruptFileAndBytes() throws Exception {
        Path bad = tmp.newFile("broken.onnx").toPath();
        Files.write(bad, "this is not a protobuf".getBytes(StandardCharsets.UTF_8));
        try {
            OnnxBackbone.open(bad, FilterBankBackbone.builtinDescriptor(), null, 1);
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "broken.onnx", "could not be loaded");
        }
        try {
            OnnxBackbone.fromBytes(new byte[] {1, 2, 3, 4}, FilterBankBackbone.builtinDescriptor(), null, 1, "my.zip!bb.onnx");
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "my.zip!bb.onnx", "could not be loaded");
        }
        assumeFile(MOBILENET);
        // a truncated copy of a real model
        byte[] all = Files.readAllBytes(MOBILENET);
        Path cut = tmp.newFile("cut.onnx").toPath();
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        try {
            OnnxBackbone.open(cut, sidecar(MOBILENET), null, 1);
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "cut.onnx", "could not be loaded");
        }
    }

    @Test
    public void wrongInputName() {
        assumeFile(MOBILENET);
        BackboneDescriptor d = edited(MOBILENET, o -> o.addProperty("input", "images"));
        try {
            OnnxBackbone.open(MOBILENET, d, null, 1);
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, MOBILENET.toString(), "'images'", "[t0]", "\"input\"");
        }
    }

    @Test
    public void descriptorOutputMissingFromModel() {
        assumeFile(MOBILENET);
        BackboneDescriptor d = edited(MOBILENET, o -> {
            JsonObject extra = new JsonObject();
            extra.addProperty("name", "feat_s32");
            extra.addProperty("stride", 32);
            extra.addProperty("channels", 320);
            o.getAsJsonArray("outputs").add(extra);
        });
        try {
            OnnxBackbone.open(MOBILENET, d, null, 1);
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, MOBILENET.toString(), "'feat_s32'", "feat_s8", "\"outputs\"");
        }
    }

    @Test
    public void requestedLayerNotAnOutput() {
        assumeFile(MOBILENET);
        try {
            OnnxBackbone.open(MOBILENET, sidecar(MOBILENET), Collections.singletonList("stage2"), 1);
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, MOBILENET.toString(), "'stage2'", "feat_s16");
        }
    }

    @Test
    public void wrongChannelCountIsReportedOnTheFirstRun() {
        assumeFile(MOBILENET);
        BackboneDescriptor d = edited(MOBILENET, o -> setOutput(o, "feat_s16", "channels", 512));
        try (OnnxBackbone b = OnnxBackbone.open(MOBILENET, d, null, 1)) {
            b.extract(randomImage(64, 64, 1));
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "'feat_s16' has 96 channels but its descriptor says 512", "fix \"channels\"");
        }
    }

    @Test
    public void wrongStrideIsReportedOnTheFirstRun() {
        assumeFile(MOBILENET);
        BackboneDescriptor d = edited(MOBILENET, o -> setOutput(o, "feat_s8", "stride", 4));
        try (OnnxBackbone b = OnnxBackbone.open(MOBILENET, d, null, 1)) {
            b.extract(randomImage(64, 64, 1));
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "'feat_s8'", "(stride 8)", "descriptor says stride 4", "fix \"stride\"");
        }
    }

    @Test
    public void sizeNotDivisibleByTheLargestStride() {
        assumeFile(MOBILENET);
        try (OnnxBackbone b = OnnxBackbone.open(MOBILENET, sidecar(MOBILENET), null, 1)) {
            b.extract(randomImage(200, 200, 1));
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "divisible by 16", "200x200");
        }
    }

    private static void setOutput(JsonObject o, String name, String key, int value) {
        JsonArray outs = o.getAsJsonArray("outputs");
        for (int i = 0; i < outs.size(); i++) {
            JsonObject j = outs.get(i).getAsJsonObject();
            if (j.get("name").getAsString().equals(name)) {
                j.addProperty(key, value);
            }
        }
    }
}
