package org.anomalyj.api;

import java.util.List;
import org.anomalyj.backbone.FeatureExtractor;
import org.anomalyj.img.PixelSource;
import org.anomalyj.img.Resize;
import org.anomalyj.post.AnomalyMap;
import org.anomalyj.post.Region;
import org.anomalyj.post.Regions;

/**
 * Runs a model bundle on images: prediction at the model's input size, map resized back to the
 * image, verdict from the calibrated (or user-given) image threshold, regions from the pixel
 * threshold. Opens the backbone once; close it when done.
 */
public final class Detector implements AutoCloseable {
    private final ModelBundle bundle;
    private final Calibration calibration;
    private final FeatureExtractor extractor;
    private final ImageScorer pipeline;
    private final int minRegionArea;

    /**
     * @param imageThreshold a user's image threshold on raw scores, or NaN for the calibrated one
     * @param threads        ONNX Runtime intra-op threads, 0 = all cores
     */
    public Detector(ModelBundle bundle, double imageThreshold, int threads) {
        this(bundle, imageThreshold, threads, 1);
    }

    public Detector(ModelBundle bundle, double imageThreshold, int threads, int minRegionArea) {
        this.bundle = bundle;
        this.calibration = Double.isNaN(imageThreshold) ? bundle.calibration()
                : bundle.calibration().withImageThreshold(imageThreshold);
        this.extractor = bundle.openExtractor(threads);
        this.pipeline = bundle.pipeline(extractor);
        this.minRegionArea = Math.max(1, minRegionArea);
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public Calibration calibration() {
        return calibration;
    }

    public ImageScorer pipeline() {
        return pipeline;
    }

    /** The open backbone the pipeline runs (for benchmarks that time it alone); closed by {@link #close}. */
    public FeatureExtractor extractor() {
        return extractor;
    }

    public Detection detect(PixelSource image, String name) {
        Prediction p = pipeline.predict(image);
        return toDetection(p, image.width(), image.height(), name);
    }

    /** Verdict and regions for a prediction, with the map resized to {@code width x height}. */
    public Detection toDetection(Prediction p, int width, int height, String name) {
        AnomalyMap small = p.map();
        double normalized = calibration.image().normalize(p.score());
        boolean anomalous = p.score() >= calibration.imageThreshold();
        float threshold = (float) calibration.pixelThreshold();
        if (width == small.width() && height == small.height()) {
            List<Region> regions = Regions.find(small, threshold, minRegionArea);
            return new Detection(name, small, p.score(), normalized, anomalous, regions, p.times());
        }
        // Regions are found on rows upsampled on the fly; the image-sized map is made only if asked for.
        List<Region> regions = Regions.find(Resize.rows(small.values(), small.width(), small.height(), width, height),
                threshold, minRegionArea);
        return new Detection(name, () -> new AnomalyMap(width, height,
                Resize.bilinear(small.values(), small.width(), small.height(), width, height)),
                p.score(), normalized, anomalous, regions, p.times());
    }

    @Override
    public void close() {
        extractor.close();
    }
}
