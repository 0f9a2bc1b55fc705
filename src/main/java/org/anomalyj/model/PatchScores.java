package org.anomalyj.model;

import java.util.OptionalDouble;

/**
 * A model's raw output for one image: one anomaly score per feature cell ({@code height x width},
 * row-major, at the embedding's resolution), before upsampling and blur, plus the image score when
 * the method defines its own (PatchCore's re-weighted nearest-neighbour score). When it is empty,
 * the image score is the maximum of the final, smoothed anomaly map (PaDiM).
 */
public final class PatchScores {
    private final int width;
    private final int height;
    private final float[] scores;
    private final OptionalDouble imageScore;

    public PatchScores(int width, int height, float[] scores, OptionalDouble imageScore) {
        if (scores.length != width * height) {
            throw new IllegalArgumentException("scores length " + scores.length + " != " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.scores = scores;
        this.imageScore = imageScore;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public float[] scores() {
        return scores;
    }

    public OptionalDouble imageScore() {
        return imageScore;
    }
}
