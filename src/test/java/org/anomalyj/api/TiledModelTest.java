package org.anomalyj.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.data.Category;
import org.anomalyj.data.Datasets;
import org.anomalyj.data.ImageReader;
import org.anomalyj.data.Sample;
import org.anomalyj.data.SampleDataGenerator;
import org.anomalyj.img.FloatImage;
import org.anomalyj.post.AnomalyMap;
import org.anomalyj.tiling.TileGrid;
import org.anomalyj.tiling.TileScore;
import org.anomalyj.tiling.Tiling;
import org.anomalyj.tiling.TilingMode;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The tiled ensemble and the stacked-tiles model trained and run end to end with the built-in backbone. */
public class TiledModelTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Category grain;
    private static ModelBundle ensemble;

    static final Tiling ENS9 = new Tiling(TilingMode.ENS, 128, 64, 0.1, TileScore.MEAN);

    @BeforeClass
    public static void trainEnsemble() {
        Path root = tmp.getRoot().toPath().resolve("data");
        SampleDataGenerator.generate(root, 11);
        grain = Datasets.open(root).stream().filter(c -> c.name().equals("grain")).findFirst().get();
        ensemble = new Trainer(options(ENS9, 256)).train(grain.trainGood(), "grain", Progress.NONE);
    }

    static TrainOptions options(Tiling tiling, int size) {
        TrainOptions o = new TrainOptions();
        o.tiling = tiling;
        o.size = size;
        o.maxTrainImages = 12;
        return o.validate();
    }

    @Test
    public void ensembleHasOneModelPerTileAndRoundTripsThroughTheBundle() throws IOException {
        assertEquals(9, ensemble.models().size());
        Path zip = tmp.getRoot().toPath().resolve("ens9.zip");
        ensemble.save(zip);
        ModelBundle loaded = ModelBundle.load(zip);
        assertEquals(9, loaded.models().size());
        assertEquals(TilingMode.ENS, loaded.tiling().mode());
        assertEquals(64, loaded.tiling().stride());
        List<Path> images = new ArrayList<>();
        grain.test().stream().limit(4).forEach(s -> images.add(s.image()));
        try (Detector a = new Detector(ensemble, Double.NaN, 1); Detector b = new Detector(loaded, Double.NaN, 1)) {
            for (Path p : images) {
                FloatImage img = ImageReader.read(p);
                Detection da = a.detect(img, "a");
                Detection db = b.detect(img, "b");
                assertEquals(da.score(), db.score(), 1e-9);
                assertEquals(da.map().get(100, 37), db.map().get(100, 37), 1e-6);
            }
        }
    }

    @Test
    public void tileModelsFittedInParallelEqualThoseFittedOneAfterAnother() {
        TrainOptions o = options(ENS9, 256);
        o.tileJobs = 2;
        ModelBundle parallel = new Trainer(o).train(grain.trainGood(), "grain", Progress.NONE);
        assertEquals(ensemble.models().size(), parallel.models().size());
        try (Detector a = new Detector(ensemble, Double.NaN, 1); Detector b = new Detector(parallel, Double.NaN, 1)) {
            for (Sample s : grain.test().subList(0, 3)) {
                FloatImage img = ImageReader.read(s.image());
                assertEquals(a.detect(img, "a").score(), b.detect(img, "b").score(), 1e-9);
            }
        }
        assertEquals(ensemble.calibration().imageThreshold(), parallel.calibration().imageThreshold(), 1e-9);
    }

    @Test
    public void standardisedEnsembleStoresItsTileStatisticsAndScoresInStandardDeviations() throws IOException {
        TrainOptions o = options(ENS9, 256);
        o.tileStandardize = true;
        ModelBundle b = new Trainer(o).train(grain.trainGood(), "grain", Progress.NONE);
        Path zip = tmp.getRoot().toPath().resolve("ens9-std.zip");
        b.save(zip);
        ModelBundle loaded = ModelBundle.load(zip);
        assertTrue(loaded.manifest().getAsJsonObject("tiling").has("standardization"));
        double goodMean = 0;
        int n = 0;
        try (Detector a = new Detector(b, Double.NaN, 1); Detector c = new Detector(loaded, Double.NaN, 1)) {
            for (Sample s : grain.test()) {
                FloatImage img = ImageReader.read(s.image());
                double score = a.detect(img, "a").score();
                assertEquals(score, c.detect(img, "c").score(), 1e-9);
                if (!s.anomalous()) {
                    goodMean += score;
                    n++;
                }
            }
        }
        // tile scores are standard scores of held-out good tiles: good test images stay near 0
        assertTrue("mean standardised score of good images " + goodMean / n, Math.abs(goodMean / n) < 3);
    }

    @Test
    public void ensembleScoresDefectsAboveGoodImages() {
        double good = 0;
        double bad = 0;
        int ng = 0;
        int nb = 0;
        try (Detector d = new Detector(ensemble, Double.NaN, 1)) {
            for (Sample s : grain.test()) {
                double score = d.detect(ImageReader.read(s.image()), s.name()).score();
                if (s.anomalous()) {
                    bad += score;
                    nb++;
                } else {
                    good += score;
                    ng++;
                }
            }
        }
        assertTrue("mean defect score " + bad / nb + " vs good " + good / ng, bad / nb > good / ng);
    }

    @Test
    public void seamsShowNoGridOnGoodImages() {
        TileGrid grid = ENS9.grid(256, 256);
        double seam = 0;
        double elsewhere = 0;
        long ns = 0;
        long ne = 0;
        try (Detector d = new Detector(ensemble, Double.NaN, 1)) {
            for (Sample s : grain.test()) {
                if (s.anomalous()) {
                    continue;
                }
                AnomalyMap m = ((TiledPipeline) d.pipeline()).predict(ImageReader.read(s.image())).map();
                for (int y = 0; y < 256; y++) {
                    for (int x = 0; x < 256; x++) {
                        if (nearSeam(x, grid.seams(true)) || nearSeam(y, grid.seams(false))) {
                            seam += m.get(x, y);
                            ns++;
                        } else {
                            elsewhere += m.get(x, y);
                            ne++;
                        }
                    }
                }
            }
        }
        double ratio = (seam / ns) / (elsewhere / ne);
        assertTrue("mean map value on seams / elsewhere = " + ratio, ratio < 1.05);
    }

    private static boolean nearSeam(int p, int[] seams) {
        for (int s : seams) {
            if (Math.abs(p - s + 0.5) < 2) {
                return true;
            }
        }
        return false;
    }

    @Test
    public void ensembleResizesImagesOfAnotherSizeAndReturnsTheMapAtTheImageSize() {
        FloatImage img = ImageReader.read(grain.test().get(0).image());
        FloatImage wide = org.anomalyj.img.Resize.bilinear(img, 300, 200);
        try (Detector d = new Detector(ensemble, Double.NaN, 1)) {
            Detection det = d.detect(wide, "wide");
            assertEquals(300, det.map().width());
            assertEquals(200, det.map().height());
        }
    }

    @Test
    public void stackedTilesAtNativeSizeScoreImagesOfAnySize() {
        Tiling st = new Tiling(TilingMode.ST, 128, 128, 0.1, TileScore.MAX);
        ModelBundle b = new Trainer(options(st, 0)).train(grain.trainGood(), "grain", Progress.NONE);
        assertTrue(b.nativeSize());
        assertEquals(1, b.models().size());
        FloatImage img = ImageReader.read(grain.test().get(0).image());
        FloatImage larger = org.anomalyj.img.Resize.bilinear(img, 400, 300);
        try (Detector d = new Detector(b, Double.NaN, 1)) {
            Prediction p = d.pipeline().predict(larger);
            assertEquals(400, p.map().width());
            assertEquals(300, p.map().height());
        }
    }

    @Test
    public void nativeSizeNeedsATiledModel() {
        TrainOptions o = new TrainOptions();
        o.size = 0;
        try {
            o.validate();
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("--tiling"));
        }
    }

    @Test
    public void bundleMissingATileModelIsRefused() throws IOException {
        Path zip = tmp.getRoot().toPath().resolve("ens-broken.zip");
        ensemble.save(zip);
        Path folder = ModelBundleTest.unzip(zip, tmp.newFolder("ens-broken").toPath());
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().startsWith(ModelBundle.tilePrefix(8))) {
                    Files.delete(f);
                }
            }
        }
        try {
            ModelBundle.load(folder);
            fail("a bundle without its ninth tile model must not load");
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("9 tile models") && e.getMessage().contains("arrays for 8"));
        }
        String json = new String(Files.readAllBytes(folder.resolve("model.json")), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"models\": 9"));
    }
}
