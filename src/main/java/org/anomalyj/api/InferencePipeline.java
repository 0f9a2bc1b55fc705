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
import org.anomalyj.post.GaussianBlur;

/**
 * Image -> resize -> backbone -> model head -> upsample + blur: the one path every front end and
 * the trainer's calibration use, so that training, detection and evaluation score images alike.
 */
public final class InferencePipeline implements ImageScorer {
    private final FeatureExtractor extractor;
    private final AnomalyModel model;
    private final int size;
    private final double blurSigma;

    public InferencePipeline(FeatureExtractor extractor, AnomalyModel model, int size, double blurSigma) {
        this.extractor = extractor;
        this.model = model;
        this.size = size;
        this.blurSigma = blurSigma;
    }

    /** The image as the backbone sees it: resized to the input size, 3 channels. */
    public static FloatImage toModelInput(PixelSource image, int size) {
        FloatImage resized = image.width() == size && image.height() == size && image instanceof FloatImage
                ? (FloatImage) image : Resize.bilinear(image, size, size);
        return resized.withChannels(3);
    }

    @Override
    public Prediction predict(PixelSource image) {
        long t0 = System.nanoTime();
        FloatImage input = toModelInput(image, size);
        long t1 = System.nanoTime();
        List<FeatureMap> features = extractor.extract(input);
        long t2 = System.nanoTime();
        PatchScores patches = model.score(features);
        long t3 = System.nanoTime();
        float[] up = Resize.bilinear(patches.scores(), patches.width(), patches.height(), size, size);
        float[] smooth = blurSigma > 0 ? GaussianBlur.blur(up, size, size, blurSigma) : up;
        AnomalyMap map = new AnomalyMap(size, size, smooth);
        double score = patches.imageScore().isPresent() ? patches.imageScore().getAsDouble() : map.max();
        long t4 = System.nanoTime();
        return new Prediction(map, score, new StageTimes(t1 - t0, t2 - t1, t3 - t2, t4 - t3));
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
