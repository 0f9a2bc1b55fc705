package org.anomalyj.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.data.Category;
import org.anomalyj.data.Datasets;
import org.anomalyj.data.ImageReader;
import org.anomalyj.data.SampleDataGenerator;
import org.anomalyj.img.FloatImage;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Save/load round trips give the same predictions; a tampered embedded backbone is refused. */
public class ModelBundleTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static final Path MOBILENET = Paths.get("../shared/backbones/mobilenetv2_imagenet_features_s8_s16.onnx");

    private Category sampleCategory() {
        Path root = tmp.getRoot().toPath().resolve("data");
        SampleDataGenerator.generate(root, 5);
        return Datasets.open(root).get(0);
    }

    private static double[] scores(ModelBundle b, List<Path> images) {
        double[] out = new double[images.size()];
        try (Detector d = new Detector(b, Double.NaN, 1)) {
            for (int i = 0; i < out.length; i++) {
                FloatImage img = ImageReader.read(images.get(i));
                out[i] = d.detect(img, images.get(i).toString()).score();
            }
        }
        return out;
    }

    private static List<Path> testImages(Category c) {
        List<Path> out = new ArrayList<>();
        c.test().stream().limit(6).forEach(s -> out.add(s.image()));
        return out;
    }

    @Test
    public void zipAndUnpackedFolderPredictLikeTheTrainedModel() throws IOException {
        Category c = sampleCategory();
        for (String method : new String[] {"patchcore", "padim"}) {
            TrainOptions o = new TrainOptions();
            o.method = method;
            ModelBundle trained = new Trainer(o).train(c.trainGood(), "sample", Progress.NONE);
            Path zip = tmp.getRoot().toPath().resolve(method + ".zip");
            trained.save(zip);
            Path folder = unzip(zip, tmp.newFolder(method + "-unpacked").toPath());
            double[] expected = scores(trained, testImages(c));
            double[] fromZip = scores(ModelBundle.load(zip), testImages(c));
            double[] fromFolder = scores(ModelBundle.load(folder), testImages(c));
            for (int i = 0; i < expected.length; i++) {
                assertEquals(method, expected[i], fromZip[i], 1e-9);
                assertEquals(method, expected[i], fromFolder[i], 1e-9);
            }
            assertEquals(trained.calibration().imageThreshold(), ModelBundle.load(zip).calibration().imageThreshold(), 0);
        }
    }

    /**
     * Low-rank PaDiM bundles are written as format 3 (older readers refuse them instead of looking
     * for inv_covariance.npy); full ones stay format 2. Both load and predict as trained.
     */
    @Test
    public void lowRankPadimBundlesAreFormatThree() throws IOException {
        Category c = sampleCategory();
        for (int rank : new int[] {0, 4}) {
            TrainOptions o = new TrainOptions();
            o.method = "padim";
            o.padimRank = rank;
            ModelBundle trained = new Trainer(o).train(c.trainGood(), "sample", Progress.NONE);
            assertEquals(rank == 0 ? 2 : 3, trained.manifest().get("format_version").getAsInt());
            Path zip = tmp.getRoot().toPath().resolve("padim-" + rank + ".zip");
            trained.save(zip);
            double[] expected = scores(trained, testImages(c));
            double[] loaded = scores(ModelBundle.load(zip), testImages(c));
            for (int i = 0; i < expected.length; i++) {
                assertEquals("rank " + rank, expected[i], loaded[i], 1e-9);
            }
        }
    }

    @Test
    public void onnxBackboneIsEmbeddedAndCheckedBySha256() throws IOException {
        Assume.assumeTrue("needs ../shared", Files.isRegularFile(MOBILENET));
        Category c = sampleCategory();
        TrainOptions o = new TrainOptions();
        o.backbone = MOBILENET.toString();
        List<Path> few = c.trainGood().subList(0, 8);
        ModelBundle trained = new Trainer(o).train(few, "sample", Progress.NONE);
        Path zip = tmp.getRoot().toPath().resolve("mobilenet.zip");
        trained.save(zip);
        Path folder = unzip(zip, tmp.newFolder("mobilenet-unpacked").toPath());
        double[] expected = scores(trained, testImages(c));
        double[] loaded = scores(ModelBundle.load(folder), testImages(c));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], loaded[i], 1e-9);
        }
        // flip one byte of the embedded backbone's weights
        Path onnx = folder.resolve("backbone.onnx");
        byte[] bytes = Files.readAllBytes(onnx);
        bytes[bytes.length - 100] ^= 1;
        Files.write(onnx, bytes);
        try {
            ModelBundle.load(folder);
            fail("a tampered backbone must be refused");
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("sha256"));
            assertTrue(e.getMessage(), e.getMessage().contains(folder.toString()));
        }
    }

    static Path unzip(Path zip, Path dir) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = z.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, dir.resolve(e.getName()));
                }
            }
        }
        return dir;
    }
}
