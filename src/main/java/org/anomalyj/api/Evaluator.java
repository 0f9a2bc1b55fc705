package org.anomalyj.api;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.data.Category;
import org.anomalyj.data.ImageReader;
import org.anomalyj.data.Sample;
import org.anomalyj.img.FloatImage;
import org.anomalyj.metrics.Roc;
import org.anomalyj.metrics.Curve;
import org.anomalyj.metrics.F1;
import org.anomalyj.metrics.PixelMetrics;
import org.anomalyj.post.AnomalyMap;
import org.anomalyj.post.Heatmap;
import org.anomalyj.report.CurvePlot;
import org.anomalyj.report.Montage;
import org.anomalyj.report.MontageTile;
import org.anomalyj.report.NamedCurve;

/**
 * Scores a category's test split with a model and computes image AUROC, pixel AUROC, AUPRO and F1.
 * Pixel metrics are computed at the model's input resolution (masks resized by nearest neighbour),
 * as anomalib does.
 */
public final class Evaluator {
    public static final double PRO_MAX_FPR = 0.3;
    private final int threads;

    public Evaluator(int threads) {
        this.threads = threads;
    }

    /** Per-image outcome kept for the report. */
    private static final class Scored {
        final Sample sample;
        final double score;

        Scored(Sample sample, double score) {
            this.sample = sample;
            this.score = score;
        }
    }

    public EvaluationResult evaluate(ModelBundle bundle, Category category, Path reportDir, Progress progress) {
        List<Sample> test = category.test();
        if (test.isEmpty()) {
            throw new AnomalyJException("Category " + category.root() + " has no test images; evaluate needs test/good and test/<defect> folders.");
        }
        double[] scores = new double[test.size()];
        boolean[] labels = new boolean[test.size()];
        PixelMetrics pixels = new PixelMetrics();
        boolean anyMask = false;
        long nanos = 0;
        List<Scored> scored = new ArrayList<>();
        try (Detector detector = new Detector(bundle, Double.NaN, threads)) {
            ImageScorer pipeline = detector.pipeline();
            for (int i = 0; i < test.size(); i++) {
                progress.checkCancelled();
                Sample s = test.get(i);
                long t0 = System.nanoTime();
                FloatImage image = ImageReader.read(s.image());
                Prediction p = pipeline.predict(image);
                nanos += System.nanoTime() - t0;
                scores[i] = p.score();
                labels[i] = s.anomalous();
                scored.add(new Scored(s, p.score()));
                int mw = p.map().width();
                int mh = p.map().height();
                boolean[] mask = GroundTruth.at(s, image.width(), image.height(), mw, mh);
                anyMask |= s.mask() != null;
                if (mask != null) {
                    pixels.add(p.map().values(), mask, mw, mh);
                }
                progress.update("evaluate " + category.name(), i + 1, test.size());
            }
            EvaluationResult r = new EvaluationResult();
            r.category = category.name();
            r.method = bundle.method();
            r.backbone = bundle.backbone().name();
            r.inputSize = bundle.inputWidth();
            r.inputHeight = bundle.inputHeight() == bundle.inputWidth() ? 0 : bundle.inputHeight();
            r.tiling = bundle.tiling().toString();
            r.imageAuroc = Roc.auroc(scores, labels);
            if (anyMask) {
                r.pixelAuroc = pixels.auroc();
                r.aupro = pixels.aupro(PRO_MAX_FPR);
            }
            r.imageF1Max = F1.max(scores, labels).f1();
            r.imageF1 = F1.at(scores, labels, detector.calibration().imageThreshold());
            r.inferMsPerImage = nanos / 1e6 / test.size();
            r.nTest = test.size();
            if (bundle.training().has("seconds")) {
                r.fitSeconds = bundle.training().get("seconds").getAsDouble();
            }
            if (bundle.training().has("images_fit")) {
                r.nTrain = bundle.training().get("images_fit").getAsInt()
                        + bundle.training().get("images_calibration").getAsInt();
            }
            if (reportDir != null) {
                writeReport(reportDir, category, r, scores, labels, anyMask ? pixels : null, scored, detector);
            }
            return r;
        }
    }

    private void writeReport(Path dir, Category category, EvaluationResult r, double[] scores, boolean[] labels,
            PixelMetrics pixels, List<Scored> scored, Detector detector) {
        try {
            Files.createDirectories(dir);
            String prefix = category.name() + "_" + r.method + "_";
            List<NamedCurve> roc = new ArrayList<>();
            roc.add(new NamedCurve(String.format("image ROC (AUROC %.3f)", r.imageAuroc), Roc.curve(scores, labels)));
            if (pixels != null) {
                roc.add(new NamedCurve(String.format("pixel ROC (AUROC %.3f)", r.pixelAuroc), pixels.rocCurve()));
            }
            CurvePlot.write(dir.resolve(prefix + "roc.png"), category.name() + " " + r.method + ": ROC",
                    "false positive rate", "true positive rate", roc, 1.0);
            if (pixels != null) {
                List<NamedCurve> pro = new ArrayList<>();
                Curve c = pixels.proCurve(PRO_MAX_FPR);
                pro.add(new NamedCurve(String.format("PRO (AUPRO %.3f)", r.aupro), c));
                CurvePlot.write(dir.resolve(prefix + "pro.png"), category.name() + " " + r.method + ": per-region overlap",
                        "false positive rate", "per-region overlap", pro, PRO_MAX_FPR);
                r.proCurves = pro;
            }
            r.rocCurves = roc;
            writeMontage(dir.resolve(prefix + "montage.png"), scored, detector);
        } catch (IOException e) {
            throw new AnomalyJException("Could not write the report into " + dir + " (" + e.getMessage()
                    + "); check that the folder is writable.", e);
        }
    }

    /** The 4 highest- and 4 lowest-scored test images, each with its heatmap overlay. */
    private static void writeMontage(Path file, List<Scored> scored, Detector detector) throws IOException {
        List<Scored> sorted = new ArrayList<>(scored);
        sorted.sort(Comparator.comparingDouble((Scored s) -> s.score).reversed());
        List<Scored> pick = new ArrayList<>();
        int n = Math.min(4, sorted.size());
        pick.addAll(sorted.subList(0, n));
        for (int i = Math.max(n, sorted.size() - 4); i < sorted.size(); i++) {
            pick.add(sorted.get(i));
        }
        List<MontageTile> tiles = new ArrayList<>();
        for (Scored s : pick) {
            FloatImage image = ImageReader.read(s.sample.image());
            Detection d = detector.detect(image, s.sample.name());
            AnomalyMap normalized = detector.calibration().pixel().normalize(d.map());
            BufferedImage overlay = Heatmap.overlay(image, normalized, 0.4f);
            BufferedImage plain = Heatmap.overlay(image, normalized, 0f);
            String title = String.format("%s  score %.3f  %s", s.sample.name(), d.normalizedScore(),
                    d.anomalous() ? "DEFECT" : "good");
            tiles.add(new MontageTile(title, plain, overlay));
        }
        Montage.write(file, tiles, 2);
    }
}
