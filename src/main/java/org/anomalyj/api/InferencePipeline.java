package org.anomalyj.api;

import java.util.List;
import org.anomalyj.backbone.FeatureExtractor;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.img.FloatImage;
import org.anomalyj.img.PixelSource;
import org.anomalyj.img.Resize;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.PatchScores;
import org.anomalyj.post.AnomalyMap;
import org.anomalyj.post.UpsampleBlur;

/**
 * Image -> resize -> backbone -> model head -> upsample + blur: the one path every front end and
 * the trainer's calibration use, so that training, detection and evaluation score images alike.
 */
public final class InferencePipeline implements ImageScorer {
    private final FeatureExtractor extractor;
    private final AnomalyModel model;
    private final int size;
    private final double blurSigma;
    /** Upsampling + blur of the last grid size seen (a model's grid never changes); racy but idempotent. */
    private volatile UpsampleBlur toMap;

    public InferencePipeline(FeatureExtractor extractor, AnomalyModel model, int size, double blurSigma) {
        this.extractor = extractor;
        this.model = model;
        this.size = size;
        this.blurSigma = blurSigma;
    }

    /** The image as the backbone sees it: resized to the input size, 3 channels. */
    public static FloatImage toModelInput(PixelSource image, int size) {
        return resized(image, size).withChannels(3);
    }

    /**
     * The image resized to the input size, grey kept as one channel (others as 3): what
     * {@link #predict} hands the extractor, which reads grey as three equal channels
     * ({@link FeatureExtractor}), so the three copies of {@link #toModelInput} are not made
     * (0.12 ms of a 256 x 256 detection).
     */
    private static FloatImage resized(PixelSource image, int size) {
        FloatImage r = image.width() == size && image.height() == size && image instanceof FloatImage
                ? (FloatImage) image : Resize.bilinear(image, size, size);
        return r.channels() == 1 ? r : r.withChannels(3);
    }

    @Override
    public Prediction predict(PixelSource image) {
        long t0 = System.nanoTime();
        FloatImage input = resized(image, size);
        long t1 = System.nanoTime();
        List<FeatureMap> features = extractor.extract(input);
        long t2 = System.nanoTime();
        PatchScores patches = model.score(features);
        long t3 = System.nanoTime();
        AnomalyMap map = toMap(patches);
        double score = patches.imageScore().isPresent() ? patches.imageScore().getAsDouble() : map.max();
        long t4 = System.nanoTime();
        return new Prediction(map, score, new StageTimes(t1 - t0, t2 - t1, t3 - t2, t4 - t3));
    }

    /** Patch scores upsampled to the input size and smoothed. */
    private AnomalyMap toMap(PatchScores patches) {
        UpsampleBlur op = toMap;
        if (op == null || op.sourceWidth() != patches.width() || op.sourceHeight() != patches.height()) {
            op = UpsampleBlur.of(patches.width(), patches.height(), size, size, blurSigma);
            toMap = op;
        }
        return new AnomalyMap(size, size, op.apply(patches.scores()));
    }

    /**
     * Scores several images with one backbone run (the extractor's batch), otherwise exactly as
     * {@link #predict}. Each prediction's stage times are the batch's times divided evenly over
     * its images for the batched stages (preprocess is per image).
     */
    public List<Prediction> predictBatch(List<? extends PixelSource> images) {
        int n = images.size();
        List<Prediction> out = new java.util.ArrayList<>(n);
        if (n == 0) {
            return out;
        }
        long[] pre = new long[n];
        List<FloatImage> inputs = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            inputs.add(resized(images.get(i), size));
            pre[i] = System.nanoTime() - t0;
        }
        long t1 = System.nanoTime();
        List<List<FeatureMap>> features = extractor.extractBatch(inputs);
        long backbone = (System.nanoTime() - t1) / n;
        for (int i = 0; i < n; i++) {
            long t2 = System.nanoTime();
            PatchScores patches = model.score(features.get(i));
            features.set(i, null); // let the maps go as soon as they are scored
            long t3 = System.nanoTime();
            AnomalyMap map = toMap(patches);
            double score = patches.imageScore().isPresent() ? patches.imageScore().getAsDouble() : map.max();
            long t4 = System.nanoTime();
            out.add(new Prediction(map, score, new StageTimes(pre[i], backbone, t3 - t2, t4 - t3)));
        }
        return out;
    }

    public int size() {
        return size;
    }

    public FeatureExtractor extractor() {
        return extractor;
    }

    public AnomalyModel model() {
        return model;
    }
}
