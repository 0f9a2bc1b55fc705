package org.anomalyj.export;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.Detector;
import org.anomalyj.api.InferencePipeline;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.Prediction;
import org.anomalyj.api.TrainOptions;
import org.anomalyj.api.Trainer;
import org.anomalyj.data.Datasets;
import org.anomalyj.data.ImageReader;
import org.anomalyj.img.FloatImage;
import org.anomalyj.model.MemoryArrayStore;
import org.anomalyj.model.patchcore.PatchCoreModel;
import org.anomalyj.quant.BundleQuantizer;
import org.anomalyj.quant.QuantizeOptions;
import org.anomalyj.tiling.TileScore;
import org.anomalyj.tiling.Tiling;
import org.anomalyj.tiling.TilingMode;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Models fitted here on sample-data/grain with a small two-stride ONNX backbone, exported, and the
 * compiled graph run by a real ONNX Runtime session ({@link CompiledModelSession}, which reads only
 * the .onnx file and its metadata) against the Java detection path ({@link Detector}'s pipeline)
 * on good and defective test images.
 *
 * <p>Agreement: per image, map error = max|compiled - java| / max|java| over the pixels, score
 * error = |compiled - java| / |java|; both must be within {@value #TOLERANCE}.
 */
public class CompiledModelExporterTest {
    static final double TOLERANCE = 1e-4;
    static final Path GRAIN = Paths.get("sample-data/grain");
    static final Progress QUIET = (step, done, total) -> { };

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();
    static Path backbone;
    static Path patchcore;
    static Path padim;
    static List<Path> testImages = new ArrayList<>();

    @BeforeClass
    public static void fit() throws Exception {
        Assume.assumeTrue(Files.isDirectory(GRAIN));
        Path root = tmp.getRoot().toPath();
        backbone = TwoScaleBackbone.write(root.resolve("backbones"), "two_scale");
        patchcore = train(root.resolve("patchcore.zip"), "patchcore", 64);
        padim = train(root.resolve("padim.zip"), "padim", 64);
        for (String folder : new String[] {"good", "scratch", "pit", "stain"}) {
            List<Path> all = Datasets.listImages(GRAIN.resolve("test").resolve(folder));
            testImages.add(all.get(0));
            testImages.add(all.get(all.size() - 1));
        }
    }

    static Path train(Path out, String method, int size) {
        return train(out, method, size, 0);
    }

    static Path train(Path out, String method, int size, int maxChannels) {
        return train(out, method, size, maxChannels, 0);
    }

    static Path train(Path out, String method, int size, int maxChannels, int padimRank) {
        TrainOptions o = new TrainOptions();
        o.padimRank = padimRank;
        o.maxChannelsPerLayer = maxChannels;
        o.method = method;
        o.backbone = backbone.toString();
        o.size = size;
        o.coresetRatio = 0.1;
        o.padimFeatures = 24;
        o.threads = 1;
        ModelBundle b = new Trainer(o).train(Datasets.openOne(GRAIN).trainGood(), GRAIN.toString(), QUIET);
        b.save(out);
        return out;
    }

    /** {max map error, max score error} over the images, as defined in the class comment. */
    static double[] agreement(ModelBundle bundle, int size, Path onnx, List<Path> images) {
        double mapErr = 0;
        double scoreErr = 0;
        try (Detector d = new Detector(bundle, Double.NaN, 1);
                CompiledModelSession compiled = CompiledModelSession.open(onnx, 1)) {
            InferencePipeline java = new InferencePipeline(d.extractor(), bundle.model(), size, bundle.blurSigma());
            for (Path p : images) {
                FloatImage img = ImageReader.read(p);
                Prediction a = java.predict(img);
                Prediction b = compiled.predict(img);
                assertEquals(a.map().width(), b.map().width());
                assertEquals(a.map().height(), b.map().height());
                mapErr = Math.max(mapErr, relativeMaxError(b.map().values(), a.map().values()));
                scoreErr = Math.max(scoreErr, Math.abs(b.score() - a.score()) / Math.abs(a.score()));
            }
        }
        return new double[] {mapErr, scoreErr};
    }

    static double relativeMaxError(float[] actual, float[] expected) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs((double) actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }

    private static void assertAgrees(String what, double[] err) {
        System.err.printf("%s: max map error %.3g, max score error %.3g (relative)%n", what, err[0], err[1]);
        assertTrue(what + " map error " + err[0], err[0] <= TOLERANCE);
        assertTrue(what + " score error " + err[1], err[1] <= TOLERANCE);
    }

    @Test
    public void patchCoreGraphAgreesWithTheJavaPathAndDocumentsItself() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("patchcore.onnx");
        OnnxMl.ModelProto m = CompiledModelExporter.export(patchcore, out, 0, QUIET);
        ModelBundle bundle = ModelBundle.load(patchcore);
        assertAgrees("patchcore", agreement(bundle, 64, out, testImages));

        Map<String, String> meta = CompiledModelExporter.metadata(m);
        assertEquals(ExportMetadata.FORMAT, meta.get("anomalyj.format"));
        assertEquals("patchcore", meta.get("anomalyj.method"));
        assertEquals("image", meta.get("input.name"));
        assertEquals("1,3,64,64", meta.get("input.shape"));
        assertEquals(bundle.calibration().imageThreshold(), Double.parseDouble(meta.get("calibration.image_threshold")), 0);
        assertEquals(bundle.calibration().pixelThreshold(), Double.parseDouble(meta.get("calibration.pixel_threshold")), 0);
        assertEquals(bundle.calibration().image().max(), Double.parseDouble(meta.get("calibration.image_max")), 0);
        assertEquals(2, m.getGraph().getOutputCount());
        assertEquals(CompiledModelExporter.MAP_OUTPUT, m.getGraph().getOutput(0).getName());
        assertEquals(CompiledModelExporter.SCORE_OUTPUT, m.getGraph().getOutput(1).getName());
        // the unused deeper stage of the backbone is pruned
        for (OnnxMl.NodeProto n : m.getGraph().getNodeList()) {
            assertFalse(n.getOutputList().contains("f16"));
        }
    }

    @Test
    public void padimGraphAgreesWithTheJavaPath() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("padim.onnx");
        CompiledModelExporter.export(padim, out, 0, QUIET);
        assertAgrees("padim", agreement(ModelBundle.load(padim), 64, out, testImages));
    }

    /** A low-rank PaDiM model exports its precisions multiplied out: the graph scores as the Java path. */
    @Test
    public void lowRankPadimGraphAgreesWithTheJavaPath() throws Exception {
        Path model = train(tmp.getRoot().toPath().resolve("padim-rank6.zip"), "padim", 64, 0, 6);
        assertEquals(6, ((org.anomalyj.model.padim.PadimModel) ModelBundle.load(model).model()).covarianceRank());
        Path out = tmp.getRoot().toPath().resolve("padim-rank6.onnx");
        CompiledModelExporter.export(model, out, 0, QUIET);
        assertAgrees("padim rank 6", agreement(ModelBundle.load(model), 64, out, testImages));
    }

    @Test
    public void patchCoreExportedAtAnotherSizeAgreesWithTheJavaPathAtThatSize() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("patchcore96.onnx");
        CompiledModelExporter.export(patchcore, out, 96, QUIET);
        assertAgrees("patchcore at 96", agreement(ModelBundle.load(patchcore), 96, out, testImages.subList(0, 4)));
    }

    @Test
    public void quantizedBackbonesAreCompiledAsTheyAre() throws Exception {
        Path int8 = tmp.getRoot().toPath().resolve("patchcore-int8.zip");
        QuantizeOptions o = new QuantizeOptions();
        o.calibrationImages = 4;
        o.data = GRAIN;
        o.threads = 1;
        BundleQuantizer.quantize(ModelBundle.load(patchcore), patchcore, o, QUIET, w -> { }).save(int8);
        Path out = tmp.getRoot().toPath().resolve("patchcore-int8.onnx");
        OnnxMl.ModelProto m = CompiledModelExporter.export(int8, out, 0, QUIET);
        long qdq = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("QuantizeLinear")).count();
        assertTrue("QDQ nodes kept", qdq > 0);
        assertEquals("int8", CompiledModelExporter.metadata(m).get("anomalyj.backbone_precision"));
        assertAgrees("patchcore int8", agreement(ModelBundle.load(int8), 64, out, testImages.subList(0, 4)));

        Path fp16 = tmp.getRoot().toPath().resolve("padim-fp16.zip");
        o.precision = org.anomalyj.quant.Precision.FP16;
        BundleQuantizer.quantize(ModelBundle.load(padim), padim, o, QUIET, w -> { }).save(fp16);
        Path out16 = tmp.getRoot().toPath().resolve("padim-fp16.onnx");
        m = CompiledModelExporter.export(fp16, out16, 0, QUIET);
        assertEquals("fp16", CompiledModelExporter.metadata(m).get("anomalyj.backbone_precision"));
        assertAgrees("padim fp16", agreement(ModelBundle.load(fp16), 64, out16, testImages.subList(0, 4)));
    }

    @Test
    public void patchCoreWithAChannelCapOrThePlainMaxScoreAgreesToo() throws Exception {
        Path root = tmp.getRoot().toPath();
        // adaptive channel pooling (12 and 20 channels -> 8 each), a 1x1 Conv in the graph
        Path capped = train(root.resolve("capped.zip"), "patchcore", 64, 8);
        Path out = root.resolve("capped.onnx");
        CompiledModelExporter.export(capped, out, 0, QUIET);
        assertAgrees("patchcore, 8 channels per layer", agreement(ModelBundle.load(capped), 64, out, testImages.subList(2, 6)));

        // num_neighbours = 1: the image score is the plain maximum patch score
        ModelBundle b = ModelBundle.load(patchcore);
        MemoryArrayStore store = new MemoryArrayStore();
        b.model().writeArrays(store);
        store.arrays.remove("memory_neighbours");
        JsonObject p = b.model().parameters();
        p.getAsJsonObject("config").addProperty("num_neighbours", 1);
        ModelBundle k1 = new ModelBundle(PatchCoreModel.read(p, store), b.backbone(), b.backboneOnnx(), b.layers(),
                b.inputWidth(), b.blurSigma(), b.calibration(), b.training());
        Path k1File = root.resolve("k1.zip");
        k1.save(k1File);
        Path k1Out = root.resolve("k1.onnx");
        OnnxMl.ModelProto m = CompiledModelExporter.export(k1File, k1Out, 0, QUIET);
        assertFalse(m.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("Softmax")));
        assertAgrees("patchcore k=1", agreement(k1, 64, k1Out, testImages.subList(2, 6)));
    }

    @Test
    public void aBackboneOfOpset11GetsAnOpset11Head() throws Exception {
        // the two-stride backbone uses only Conv and Relu, the same in opsets 11 and 13
        ModelBundle b = ModelBundle.load(patchcore);
        OnnxMl.ModelProto bb = OnnxMl.ModelProto.parseFrom(b.backboneOnnx());
        byte[] opset11 = bb.toBuilder().clearOpsetImport()
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(11)).build().toByteArray();
        ModelBundle old = b.withBackbone(b.backbone().withSha256(org.anomalyj.backbone.Hashes.sha256(opset11)), opset11,
                b.training());
        OnnxMl.ModelProto m = CompiledModelExporter.compile(old, 0, "opset 11");
        assertEquals(11, CompiledModelExporter.defaultOpset(m));
        Path out = tmp.getRoot().toPath().resolve("opset11.onnx");
        CompiledModelExporter.write(m, out);
        assertAgrees("patchcore, opset 11", agreement(old, 64, out, testImages.subList(0, 4)));
    }

    @Test
    public void aBundleCompiledInMemoryScoresAsTheWrittenFile() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("padim-file.onnx");
        CompiledModelExporter.export(padim, out, 0, QUIET);
        FloatImage img = ImageReader.read(testImages.get(3));
        try (CompiledModelSession file = CompiledModelSession.open(out, 1);
                CompiledModelSession memory = CompiledModelSession.compile(ModelBundle.load(padim), 0, 1)) {
            Prediction a = file.predict(img);
            Prediction b = memory.predict(img);
            assertArrayEquals(a.map().values(), b.map().values(), 0f);
            assertEquals(a.score(), b.score(), 0);
        }
    }

    @Test
    public void channelPoolWeightsAverageTorchsAdaptiveRanges() {
        // 5 channels into 2: [0, 3) and [2, 5)
        assertArrayEquals(new float[] {1 / 3f, 1 / 3f, 1 / 3f, 0, 0, 0, 0, 1 / 3f, 1 / 3f, 1 / 3f},
                AggregationGraph.channelPoolWeights(5, 2), 0);
    }

    @Test
    public void refusesWhatItCannotExportWithOneSentence() throws Exception {
        Path root = tmp.getRoot().toPath();
        expectError(() -> CompiledModelExporter.export(patchcore, root.resolve("x.zip"), 0, QUIET), "must end in .onnx");
        expectError(() -> CompiledModelExporter.export(padim, root.resolve("p.onnx"), 96, QUIET), "export it at its own size");
        expectError(() -> CompiledModelExporter.export(patchcore, root.resolve("p.onnx"), 100, QUIET), "divisible by 8");
        expectError(() -> CompiledModelExporter.export(patchcore, root.resolve("p.onnx"), -64, QUIET), "is negative");
        expectError(() -> CompiledModelExporter.checkTarget(root.resolve("m.onnx"), root.resolve("m.onnx")), "is the model bundle itself");

        TrainOptions o = new TrainOptions();
        o.size = 64;
        o.coresetRatio = 0.1;
        ModelBundle builtin = new Trainer(o).train(Datasets.openOne(GRAIN).trainGood().subList(0, 6), "grain", QUIET);
        expectError(() -> CompiledModelExporter.compile(builtin, 0, "builtin.zip"), "built-in filter-bank backbone");
        o.tiling = new Tiling(TilingMode.ENS, 32, 32, Tiling.DEFAULT_SEAM_BAND, TileScore.MEAN);
        ModelBundle tiled = new Trainer(o).train(Datasets.openOne(GRAIN).trainGood().subList(0, 6), "grain", QUIET);
        expectError(() -> CompiledModelExporter.compile(tiled, 0, "tiled.zip"), "export supports untiled models");
        assertFalse(Files.exists(root.resolve("x.zip")));
    }

    static void expectError(Runnable r, String part) {
        try {
            r.run();
            fail("expected an error containing '" + part + "'");
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(part));
        }
    }
}
