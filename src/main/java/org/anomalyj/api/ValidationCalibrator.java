package org.anomalyj.api;

import java.util.List;
import java.util.SplittableRandom;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.data.Category;
import org.anomalyj.data.ImageReader;
import org.anomalyj.data.Sample;
import org.anomalyj.img.FloatImage;

/**
 * Re-calibrates a bundle on a validation set that holds defects: F1-optimal image threshold and,
 * where masks exist, F1-optimal pixel threshold (on a fixed-size random sample of pixels per image,
 * enough for a threshold and bounded in memory).
 */
public final class ValidationCalibrator {
    private static final int PIXELS_PER_IMAGE = 4096;

    private ValidationCalibrator() {
    }

    public static ModelBundle calibrate(ModelBundle bundle, Category validation, int threads, Progress progress) {
        List<Sample> samples = validation.test();
        if (samples.isEmpty()) {
            throw new AnomalyJException("Validation folder " + validation.root()
                    + " has no test images; it needs test/good and test/<defect> folders (MVTec layout).");
        }
        double[] scores = new double[samples.size()];
        boolean[] labels = new boolean[samples.size()];
        int withMask = 0;
        for (Sample s : samples) {
            if (GroundTruth.known(s)) {
                withMask++;
            }
        }
        double[] pixelScores = new double[withMask * PIXELS_PER_IMAGE];
        boolean[] pixelLabels = new boolean[pixelScores.length];
        SplittableRandom random = new SplittableRandom(7);
        int k = 0;
        try (Detector detector = new Detector(bundle, Double.NaN, threads)) {
            for (int i = 0; i < samples.size(); i++) {
                progress.checkCancelled();
                Sample s = samples.get(i);
                FloatImage image = ImageReader.read(s.image());
                Prediction p = detector.pipeline().predict(image);
                scores[i] = p.score();
                labels[i] = s.anomalous();
                boolean[] mask = GroundTruth.at(s, image.width(), image.height(), p.map().width(), p.map().height());
                if (mask != null) {
                    float[] v = p.map().values();
                    for (int j = 0; j < PIXELS_PER_IMAGE; j++) {
                        int idx = random.nextInt(v.length);
                        pixelScores[k] = v[idx];
                        pixelLabels[k] = mask[idx];
                        k++;
                    }
                }
                progress.update("validation", i + 1, samples.size());
            }
        }
        Calibration c = Calibration.fromValidation(scores, labels, pixelScores, pixelLabels, bundle.calibration());
        return bundle.withCalibration(c);
    }
}
