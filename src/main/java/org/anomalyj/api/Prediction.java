package org.anomalyj.api;

import org.anomalyj.post.AnomalyMap;

/**
 * What the pipeline says about one image at the model's input resolution: the smoothed anomaly map
 * (raw scores), the raw image score, and how long each stage took.
 */
public final class Prediction {
    private final AnomalyMap map;
    private final double score;
    private final StageTimes times;

    public Prediction(AnomalyMap map, double score, StageTimes times) {
        this.map = map;
        this.score = score;
        this.times = times;
    }

    /** Raw (not normalised) anomaly scores, model input size. */
    public AnomalyMap map() {
        return map;
    }

    /** Raw image score. */
    public double score() {
        return score;
    }

    public StageTimes times() {
        return times;
    }
}
