package org.anomalyj.backbone;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.anomalyj.AnomalyJException;
import org.anomalyj.img.FloatImage;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class BackbonesTest {

    private static final Path SHARED = Paths.get("../shared/backbones");
    private static final String RESNET = "resnet50v2_imagenet_stage1to3";
    private static final String MNV1 = "mobilenetv1_1.0_imagenet_features_s8_s16";
    private static final String MNV2 = "mobilenetv2_imagenet_features_s8_s16";
    private static final String SQUEEZE = "squeezenet1.1_imagenet_full";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static void assumeShared(String name) {
        Assume.assumeTrue("needs ../shared/backbones/" + name, Files.isRegularFile(SHARED.resolve(name + ".onnx")));
    }

    private static void assertMessage(AnomalyJException e, String... parts) {
        for (String p : parts) {
            assertTrue("'" + p + "' missing in: " + e.getMessage(), e.getMessage().contains(p));
        }
    }

    /** Links a shared file into dir (copies if links are not supported); never writes to ../shared. */
    private static Path link(Path dir, String sharedFile, String as) throws IOException {
        Path target = SHARED.resolve(sharedFile).toAbsolutePath();
        Path link = dir.resolve(as);
        try {
            Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(target, link);
        }
        return link;
    }

    // ---- built-in and errors that need no files ----

    @Test
    public void builtinIsResolvedWithoutFiles() {
        ResolvedBackbone r = Backbones.resolve("BuiltIn", Collections.<Path>emptyList());
        assertTrue(r.isBuiltin());
        assertNull(r.onnxBytes());
        assertNull(r.descriptor().sha256());
        assertEquals("builtin", r.displayName());
        try (FeatureExtractor fe = Backbones.open("builtin", null, 1)) {
            assertTrue(fe instanceof FilterBankBackbone);
            assertEquals(Arrays.asList("fb_s8"), fe.layers());
            assertEquals(1, fe.extract(new FloatImage(32, 32, 3)).size());
        }
    }

    @Test
    public void blankSpecIsAnError() {
        try {
            Backbones.resolve("  ", Collections.<Path>emptyList());
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "No backbone was given");
        }
    }

    @Test
    public void unknownShortNameListsWhereItLookedAndWhatToDo() throws IOException {
        Path empty = tmp.newFolder("empty").toPath();
        Path missing = tmp.getRoot().toPath().resolve("missing");
        try {
            Backbones.resolve("wideresnet", Arrays.asList(empty, missing));
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "'wideresnet'", empty.toString(), missing + " (missing)", "put the .onnx with its .json sidecar",
                    "pass the file path", "--backbone builtin");
        }
    }

    @Test
    public void missingPathIsAnError() {
        try {
            Backbones.resolve(tmp.getRoot().toPath().resolve("net.onnx").toString(), Collections.<Path>emptyList());
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "net.onnx", "does not exist");
        }
    }

    @Test
    public void sha256MatchesTheStandardTestVectorForBytesAndFiles() throws IOException {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hashes.sha256(abc));
        Path f = tmp.newFile("abc.bin").toPath();
        Files.write(f, abc);
        assertEquals(Hashes.sha256(abc), Hashes.sha256(f));
        assertEquals(Hashes.sha256(abc), OnnxBackbone.sha256(f));
    }

    @Test
    public void nullStrideOutputIsKeptButNeverADefaultLayer() {
        String json = "{\"input\": \"x\", \"outputs\": [{\"name\": \"a\", \"stride\": 4, \"channels\": 8},"
                + " {\"name\": \"logits\", \"stride\": null, \"channels\": 10}]}";
        BackboneDescriptor d = BackboneDescriptor.fromJson(com.google.gson.JsonParser.parseString(json).getAsJsonObject(),
                "t.json", "t");
        assertEquals(0, d.output("logits").stride);
        assertEquals(Collections.singletonList("a"), d.layersOrDefault(null));
    }

    // ---- the four shared sidecars ----

    @Test
    public void parsesAllFourSharedSidecars() {
        Assume.assumeTrue(Files.isDirectory(SHARED));
        int parsed = 0;
        for (String name : new String[] {RESNET, MNV1, MNV2, SQUEEZE}) {
            Path onnx = SHARED.resolve(name + ".onnx");
            if (!Files.isRegularFile(onnx)) {
                continue;
            }
            Path sidecar = Backbones.sidecarOf(onnx);
            assertNotNull(name, sidecar);
            BackboneDescriptor d = Backbones.readDescriptor(sidecar, name);
            assertEquals(name, d.name());
            assertEquals("RGB", d.color());
            assertTrue(d.sha256().matches("[0-9a-f]{64}"));
            if (name.equals(RESNET)) {
                assertEquals("input", d.input());
                assertEquals(3, d.outputs().size());
                assertEquals(512, d.output("stage2").channels);
                assertEquals(16, d.output("stage3").stride);
                assertArrayEquals(new double[] {0.485, 0.456, 0.406}, d.mean(), 1e-12);
                assertEquals(1 / 255.0, d.scale(), 1e-12);
                assertEquals(Arrays.asList("stage2", "stage3"), d.layersOrDefault(null));
            } else {
                assertEquals(Arrays.asList("feat_s8", "feat_s16"), d.layersOrDefault(null));
            }
            if (name.startsWith("mobilenet")) {
                assertEquals("t0", d.input());
                assertEquals(-128.0, d.offsetBeforeScale(), 0);
                assertEquals(1 / 128.0, d.scale(), 1e-12);
            }
            if (name.equals(MNV2)) {
                assertEquals(32, d.output("feat_s8").channels);
                assertEquals(96, d.output("feat_s16").channels);
            }
            if (name.equals(SQUEEZE)) {
                assertEquals(4, d.outputs().size());
                assertEquals(0, d.output("logits").stride);
                assertEquals(1000, d.output("logits").channels);
            }
            // round trip through toJson keeps everything the engine uses
            BackboneDescriptor again = BackboneDescriptor.fromJson(d.toJson(), "round trip", "x");
            assertEquals(d.name(), again.name());
            assertEquals(d.sha256(), again.sha256());
            assertEquals(d.outputs().size(), again.outputs().size());
            parsed++;
        }
        Assume.assumeTrue(parsed > 0);
    }

    // ---- resolving real files ----

    @Test
    public void resolvesAFilePathAndFillsInItsSha256() {
        assumeShared(MNV2);
        Path onnx = SHARED.resolve(MNV2 + ".onnx");
        ResolvedBackbone r = Backbones.resolve(onnx.toString(), Collections.<Path>emptyList());
        assertEquals(MNV2, r.displayName());
        assertEquals(Hashes.sha256(onnx), r.descriptor().sha256());
        assertEquals(onnx, r.onnxFile());
        try (FeatureExtractor fe = r.open(null, 1)) {
            assertTrue(fe instanceof OnnxBackbone);
            assertEquals(Arrays.asList("feat_s8", "feat_s16"), fe.layers());
        }
    }

    @Test
    public void shortNamesExactPrefixAndAmbiguous() throws IOException {
        assumeShared(MNV1);
        assumeShared(MNV2);
        Path dir = tmp.newFolder("bb").toPath();
        for (String n : new String[] {MNV1, MNV2}) {
            link(dir, n + ".onnx", n + ".onnx");
            link(dir, n + ".json", n + ".json");
        }
        List<Path> path = Collections.singletonList(dir);
        assertEquals(MNV2, Backbones.resolve(MNV2, path).descriptor().name());
        assertEquals(MNV2, Backbones.resolve("mobilenetv2", path).descriptor().name());
        assertEquals(MNV1, Backbones.resolve("mobilenetv1", path).descriptor().name());
        try {
            Backbones.resolve("mobilenet", path);
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "several", MNV1, MNV2);
        }
    }

    @Test
    public void earlierSearchFolderWinsAndThePropertyIsSearched() throws IOException {
        assumeShared(MNV1);
        assumeShared(MNV2);
        Path first = tmp.newFolder("first").toPath();
        Path second = tmp.newFolder("second").toPath();
        // the same short name in both folders, different models behind it
        link(first, MNV2 + ".onnx", "net.onnx");
        link(first, MNV2 + ".json", "net.json");
        link(second, MNV1 + ".onnx", "net.onnx");
        link(second, MNV1 + ".json", "net.json");
        assertEquals(32, Backbones.resolve("net", Arrays.asList(first, second)).descriptor().output("feat_s8").channels);
        assertEquals(256, Backbones.resolve("net", Arrays.asList(second, first)).descriptor().output("feat_s8").channels);

        String old = System.getProperty(Backbones.PROPERTY);
        try {
            System.setProperty(Backbones.PROPERTY, second.toString());
            assertTrue(Backbones.searchPath().contains(second));
            assertTrue(Backbones.available().contains("net"));
            if (System.getenv(Backbones.ENV_VAR) == null) {
                assertEquals(second, Backbones.searchPath().get(0));
                assertEquals(256, Backbones.resolve("net").descriptor().output("feat_s8").channels);
            }
        } finally {
            if (old == null) {
                System.clearProperty(Backbones.PROPERTY);
            } else {
                System.setProperty(Backbones.PROPERTY, old);
            }
        }
    }

    @Test
    public void onnxJsonSidecarNameIsAccepted() throws IOException {
        assumeShared(MNV2);
        Path dir = tmp.newFolder("alt").toPath();
        Path onnx = link(dir, MNV2 + ".onnx", "model.onnx");
        link(dir, MNV2 + ".json", "model.onnx.json");
        ResolvedBackbone r = Backbones.resolve(onnx.toString(), Collections.<Path>emptyList());
        assertEquals("model", r.descriptor().name());
    }

    @Test
    public void sha256MismatchIsAnError() throws IOException {
        assumeShared(MNV2);
        Path dir = tmp.newFolder("bad").toPath();
        Path onnx = link(dir, MNV2 + ".onnx", "net.onnx");
        String json = new String(Files.readAllBytes(SHARED.resolve(MNV2 + ".json")), StandardCharsets.UTF_8);
        String wrong = "0000000000000000000000000000000000000000000000000000000000000000";
        Files.write(dir.resolve("net.json"), json.replaceAll("\"sha256\": \"[0-9a-f]+\"", "\"sha256\": \"" + wrong + "\"")
                .getBytes(StandardCharsets.UTF_8));
        try {
            Backbones.resolve(onnx.toString(), Collections.<Path>emptyList());
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "net.onnx", wrong, Hashes.sha256(onnx), "net.json");
        }
    }

    @Test
    public void missingSidecarShowsTheJsonToWrite() throws IOException {
        assumeShared(MNV2);
        Path dir = tmp.newFolder("nosidecar").toPath();
        Path onnx = link(dir, MNV2 + ".onnx", "mine.onnx");
        try {
            Backbones.resolve(onnx.toString(), Collections.<Path>emptyList());
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "mine.onnx has no descriptor", dir.resolve("mine.json").toString(), "\"input\": \"t0\"",
                    "{\"name\": \"feat_s8\", \"stride\": 8, \"channels\": 32}",
                    "{\"name\": \"feat_s16\", \"stride\": 16, \"channels\": 96}");
        }
    }

    @Test
    public void malformedSidecarIsAnError() throws IOException {
        assumeShared(MNV2);
        Path dir = tmp.newFolder("malformed").toPath();
        Path onnx = link(dir, MNV2 + ".onnx", "net.onnx");
        Files.write(dir.resolve("net.json"), "{\"input\": \"t0\", ".getBytes(StandardCharsets.UTF_8));
        try {
            Backbones.resolve(onnx.toString(), Collections.<Path>emptyList());
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "net.json", "not valid JSON");
        }
    }

    @Test
    public void embeddedBytesAreCheckedAgainstTheRecordedSha256() throws IOException {
        assumeShared(MNV2);
        Path onnx = SHARED.resolve(MNV2 + ".onnx");
        BackboneDescriptor d = Backbones.resolve(onnx.toString(), Collections.<Path>emptyList()).descriptor();
        byte[] bytes = Files.readAllBytes(onnx);
        ResolvedBackbone r = ResolvedBackbone.ofBytes(bytes, d, "bundle.zip!backbone.onnx");
        assertArrayEquals(bytes, r.onnxBytes());
        try (FeatureExtractor fe = r.open(Collections.singletonList("feat_s16"), 1)) {
            assertEquals(Collections.singletonList("feat_s16"), fe.layers());
            assertEquals(96, fe.extract(new FloatImage(32, 32, 3)).get(0).channels());
        }
        bytes[bytes.length / 2] ^= 1;
        try {
            ResolvedBackbone.ofBytes(bytes, d, "bundle.zip!backbone.onnx");
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, "bundle.zip!backbone.onnx", d.sha256());
        }
    }
}
