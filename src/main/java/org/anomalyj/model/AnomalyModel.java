package org.anomalyj.model;

import com.google.gson.JsonObject;
import java.util.List;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.io.ArrayStore;

/**
 * A fitted anomaly model: scores the backbone features of one image. Knows nothing of images,
 * files or UI. Thread-safe for concurrent {@link #score} calls.
 */
public interface AnomalyModel {

    /** "patchcore" or "padim". */
    String method();

    /** Features as returned by the extractor (the layers the model was fitted on, in order). */
    PatchScores score(List<FeatureMap> features);

    /** Parameters needed to rebuild this model (written into model.json under "model"). */
    JsonObject parameters();

    /**
     * The bundle format version this model's parameters and arrays need at least (written into
     * model.json, so that older readers refuse the bundle instead of misreading it).
     */
    default int formatVersion() {
        return 1;
    }

    /** Fitted arrays (memory bank, means, inverse covariances...). */
    void writeArrays(ArrayStore store);
}
