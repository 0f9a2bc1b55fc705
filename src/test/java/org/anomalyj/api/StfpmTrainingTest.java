package org.anomalyj.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.backbone.FeatureExtractor;
import org.anomalyj.data.Category;
import org.anomalyj.data.Datasets;
import org.anomalyj.data.ImageReader;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * STFPM end to end on the generated {@code sample-data/grain}: a MobileNetV2 teacher from
 * {@code ../shared} (skipped when absent), a student trained for a few epochs at 128 px, the bundle
 * saved, loaded and evaluated through ONNX Runtime only.
 */
public class StfpmTrainingTest {
    static final Path TEACHER = Paths.get("../shared/backbones/mobilenetv2_imagenet_features_s8_s16.onnx");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void trainsOnGrainAndSeparatesDefectsBetterThanChance() throws Exception {
        Assume.assumeTrue(Files.isRegularFile(TEACHER));
        Category grain = Datasets.openOne(Paths.get("sample-data/grain"));
        TrainOptions o = new TrainOptions();
        o.method = "stfpm";
        o.backbone = TEACHER.toString();
        o.size = 128;
        o.epochs = 6;
        o.batchSize = 8;
        o.threads = 1; // PyTorch with 2 OpenMP threads slows down badly when the 2 cores are shared (docs/training.md)
        ModelBundle bundle = new Trainer(o).train(grain.trainGood(), "grain", Progress.NONE);
        assertEquals("stfpm", bundle.method());
        assertEquals(4, bundle.layers().size());
        Path file = tmp.getRoot().toPath().resolve("stfpm.zip");
        bundle.save(file);
        ModelBundle loaded = ModelBundle.load(file);
        assertEquals(bundle.manifest().toString(), loaded.manifest().toString());
        Path image = grain.test().get(0).image();
        try (FeatureExtractor a = bundle.openExtractor(1); FeatureExtractor b = loaded.openExtractor(1)) {
            double before = bundle.pipeline(a).predict(ImageReader.open(image)).score();
            double after = loaded.pipeline(b).predict(ImageReader.open(image)).score();
            assertEquals(before, after, 0);
        }
        EvaluationResult r = new Evaluator(2).evaluate(loaded, grain, null, Progress.NONE);
        assertTrue("image AUROC " + r.imageAuroc, r.imageAuroc > 0.6);
        assertTrue("pixel AUROC " + r.pixelAuroc, r.pixelAuroc > 0.7);
    }

    @Test(expected = AnomalyJException.class)
    public void refusesTheBuiltinFilterBankAsTeacher() {
        TrainOptions o = new TrainOptions();
        o.method = "stfpm";
        new Trainer(o).train(Datasets.openOne(Paths.get("sample-data/grain")).trainGood(), "grain", Progress.NONE);
    }
}
