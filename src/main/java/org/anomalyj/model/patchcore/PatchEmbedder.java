package org.anomalyj.model.patchcore;

import com.google.gson.JsonArray;
import java.util.List;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.model.FeatureAggregator;
import org.anomalyj.model.PatchEmbedding;

/**
 * PatchCore's embedding of each training image, checked to come from the same backbone layers as
 * the first image: what every PatchCore fitter does before it keeps or spills the patches.
 */
final class PatchEmbedder {
    private final FeatureAggregator aggregator;
    private JsonArray layers;

    PatchEmbedder(PatchCoreConfig config) {
        this.aggregator = FeatureAggregator.patchCore(config.maxChannelsPerLayer());
    }

    PatchEmbedding embed(List<FeatureMap> features) {
        if (layers == null) {
            layers = FeatureAggregator.describeLayers(features);
        } else {
            FeatureAggregator.checkLayers(layers, features, PatchCoreModel.METHOD);
        }
        return aggregator.aggregate(features);
    }

    FeatureAggregator aggregator() {
        return aggregator;
    }

    /** The layers of the first image (null before any). */
    JsonArray layers() {
        return layers;
    }
}
