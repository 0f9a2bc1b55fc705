package org.anomalyj.api;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.anomalyj.Progress;
import org.anomalyj.data.Category;
import org.anomalyj.data.Datasets;
import org.anomalyj.data.Sample;
import org.junit.Assume;
import org.junit.Test;

/**
 * The real data sets and a real ImageNet backbone, on small deterministic subsets so the suite
 * stays fast: metrics must be far above chance (0.5). Skips when ../shared is absent.
 */
public class SharedDatasetsTest {
    static final Path SHARED = Paths.get("../shared");
    static final Path RESNET = SHARED.resolve("backbones/resnet50v2_imagenet_stage1to3.onnx");

    /** Every k-th training image and a balanced, every-k-th test subset. */
    static Category subset(Category c, int train, int goodTest, int defectTest) {
        List<Path> t = every(c.trainGood(), train);
        List<Sample> good = new ArrayList<>();
        List<Sample> bad = new ArrayList<>();
        for (Sample s : c.test()) {
            (s.anomalous() ? bad : good).add(s);
        }
        List<Sample> test = new ArrayList<>(every(good, goodTest));
        test.addAll(every(bad, defectTest));
        return new Category(c.name(), c.root(), t, test);
    }

    static <T> List<T> every(List<T> all, int n) {
        List<T> out = new ArrayList<>();
        double step = all.size() / (double) n;
        for (int i = 0; i < n && i < all.size(); i++) {
            out.add(all.get((int) (i * step)));
        }
        return out;
    }

    static EvaluationResult run(String dataset, String method, int train, int good, int bad) {
        Path dir = SHARED.resolve("datasets").resolve(dataset);
        Assume.assumeTrue("needs ../shared", Files.isDirectory(dir) && Files.isRegularFile(RESNET));
        Category c = subset(Datasets.open(dir).get(0), train, good, bad);
        TrainOptions o = new TrainOptions();
        o.method = method;
        o.backbone = RESNET.toString();
        o.coresetRatio = 0.1;
        ModelBundle b = new Trainer(o).train(c.trainGood(), dataset, Progress.NONE);
        EvaluationResult r = new Evaluator(0).evaluate(b, c, null, Progress.NONE);
        System.err.println(dataset + " " + method + ": " + r.toJson());
        return r;
    }

    @Test
    public void patchCoreOnMagneticTile() {
        EvaluationResult r = run("magnetic_tile", "patchcore", 80, 30, 40);
        assertTrue(r.toJson().toString(), r.imageAuroc > 0.8);
        assertTrue(r.toJson().toString(), r.pixelAuroc > 0.75);
        assertTrue(r.toJson().toString(), r.aupro > 0.4);
    }

    @Test
    public void padimOnMagneticTile() {
        EvaluationResult r = run("magnetic_tile", "padim", 80, 30, 40);
        assertTrue(r.toJson().toString(), r.imageAuroc > 0.75);
        assertTrue(r.toJson().toString(), r.pixelAuroc > 0.75);
    }

    @Test
    public void patchCoreOnKolektor() {
        EvaluationResult r = run("kolektorsdd", "patchcore", 60, 25, 25);
        assertTrue(r.toJson().toString(), r.imageAuroc > 0.7);
        assertTrue(r.toJson().toString(), r.pixelAuroc > 0.75);
    }
}
