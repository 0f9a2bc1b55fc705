package org.anomalyj.api;

import org.anomalyj.img.PixelSource;

/**
 * Scores one image with a fitted model: the raw anomaly map at the model's geometry (the input
 * size, or the image's own size for models that work at native resolution), the raw image score
 * and stage times. Implemented by the single-model {@link InferencePipeline} and the
 * {@link TiledPipeline}.
 */
public interface ImageScorer {
    Prediction predict(PixelSource image);
}
