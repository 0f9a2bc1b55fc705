package org.anomalyj.model;

import java.util.List;
import org.anomalyj.Progress;
import org.anomalyj.backbone.FeatureMap;

/**
 * Fits a model from the features of normal images, streamed one image at a time so that the
 * caller never holds all feature maps at once.
 */
public interface ModelFitter {

    /** Adds one normal image's features (same layers and sizes for every call). */
    void add(List<FeatureMap> features);

    /** Number of images added so far. */
    int count();

    AnomalyModel fit(Progress progress);
}
