package org.anomalyj.api;

import com.google.gson.JsonObject;
import java.util.Arrays;
import org.anomalyj.AnomalyJException;
import org.anomalyj.metrics.F1;
import org.anomalyj.post.ScoreNormalization;

/**
 * Thresholds and score normalisation derived after fitting, from images the model did not see.
 *
 * <p>From good images only (the default: a held-out part of train/good) there is no defect to
 * balance against, so the thresholds follow the three-sigma rule on normal scores: image threshold
 * = mean + 3 sd of the held-out image scores; pixel threshold = mean + 3 sd of the held-out images'
 * anomaly-map maxima (so a typical good image shows no region). With a validation set that holds
 * defects, the F1-optimal image and pixel thresholds are used instead. Normalisation maps the
 * threshold to 0.5 and the lowest normal score to 0 (anomalib's min-max normalisation).
 */
public final class Calibration {
    private final String rule;
    private final int images;
    private final ScoreNormalization image;
    private final ScoreNormalization pixel;

    public Calibration(String rule, int images, ScoreNormalization image, ScoreNormalization pixel) {
        this.rule = rule;
        this.images = images;
        this.image = image;
        this.pixel = pixel;
    }

    public String rule() {
        return rule;
    }

    public int images() {
        return images;
    }

    public ScoreNormalization image() {
        return image;
    }

    public ScoreNormalization pixel() {
        return pixel;
    }

    public double imageThreshold() {
        return image.threshold();
    }

    public double pixelThreshold() {
        return pixel.threshold();
    }

    /** Same normalisation spread, another image threshold (a user's --threshold). */
    public Calibration withImageThreshold(double threshold) {
        double half = (image.max() - image.min()) / 2;
        return new Calibration(rule + "; image threshold set by the user", images,
                new ScoreNormalization(threshold, threshold - half, threshold + half), pixel);
    }

    /**
     * @param imageScores raw scores of held-out good images
     * @param mapMaxima   maximum of each held-out image's anomaly map
     * @param mapMinimum  lowest anomaly-map value seen on them
     */
    public static Calibration fromGoodImages(double[] imageScores, double[] mapMaxima, double mapMinimum) {
        if (imageScores.length == 0) {
            throw new AnomalyJException("No held-out good images to calibrate on; give at least 2 training images.");
        }
        double imageThreshold = meanPlus3Sd(imageScores);
        double imageMin = Arrays.stream(imageScores).min().getAsDouble();
        double pixelThreshold = meanPlus3Sd(mapMaxima);
        return new Calibration("three-sigma on held-out good images (image: mean+3sd of image scores; "
                + "pixel: mean+3sd of map maxima)", imageScores.length,
                symmetric(imageThreshold, imageMin), symmetric(pixelThreshold, mapMinimum));
    }

    /**
     * F1-optimal thresholds on a validation set with defects.
     * @param pixelScores a sample of map values, {@code pixelLabels} whether each lies in a defect
     */
    public static Calibration fromValidation(double[] imageScores, boolean[] anomalous, double[] pixelScores,
            boolean[] pixelLabels, Calibration fallback) {
        double imageThreshold = fallback.imageThreshold();
        double imageMin = Arrays.stream(imageScores).min().orElse(fallback.image().min());
        boolean hasBoth = contains(anomalous, true) && contains(anomalous, false);
        if (hasBoth) {
            imageThreshold = F1.max(imageScores, anomalous).threshold();
        }
        double pixelThreshold = fallback.pixelThreshold();
        double pixelMin = fallback.pixel().min();
        boolean pixelsUsable = pixelScores != null && contains(pixelLabels, true) && contains(pixelLabels, false);
        if (pixelsUsable) {
            pixelThreshold = F1.max(pixelScores, pixelLabels).threshold();
            pixelMin = Math.min(pixelMin, Arrays.stream(pixelScores).min().getAsDouble());
        }
        String rule = (hasBoth ? "image: F1-optimal on the validation set" : "image: " + fallback.rule())
                + "; " + (pixelsUsable ? "pixel: F1-optimal on the validation masks" : "pixel: three-sigma on good images");
        return new Calibration(rule, imageScores.length, symmetric(imageThreshold, imageMin),
                symmetric(pixelThreshold, pixelMin));
    }

    private static boolean contains(boolean[] values, boolean v) {
        if (values == null) {
            return false;
        }
        for (boolean b : values) {
            if (b == v) {
                return true;
            }
        }
        return false;
    }

    /** Normalisation that sends {@code min} to 0, the threshold to 0.5 and 2*threshold-min to 1. */
    static ScoreNormalization symmetric(double threshold, double min) {
        double lo = Math.min(min, threshold);
        double half = Math.max(threshold - lo, 1e-12);
        return new ScoreNormalization(threshold, threshold - half, threshold + half);
    }

    static double meanPlus3Sd(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
        }
        double sd = v.length > 1 ? Math.sqrt(var / (v.length - 1)) : 0;
        return mean + 3 * sd;
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("rule", rule);
        o.addProperty("images", images);
        o.add("image", image.toJson());
        o.add("pixel", pixel.toJson());
        return o;
    }

    public static Calibration fromJson(JsonObject o) {
        return new Calibration(o.get("rule").getAsString(), o.get("images").getAsInt(),
                ScoreNormalization.fromJson(o.getAsJsonObject("image")),
                ScoreNormalization.fromJson(o.getAsJsonObject("pixel")));
    }
}
