package org.anomalyj.model.stfpm;

import com.google.gson.JsonObject;
import org.anomalyj.AnomalyJException;

/**
 * DCAM's training-only settings (docs/training.md, "DCAM design"): the weights of its two loss
 * terms, the temperature of the spatial softmax, and the channel-attention block's floor and
 * reduction. Inference does not read any of them: a DCAM bundle detects exactly as an STFPM one.
 */
public final class DcamConfig {
    /** Weight of the attention-weighted spatial KL divergence. */
    public float klWeight = 1f;
    /** Weight of the channel-wise cosine distance (STFPM's loss, the quantity the anomaly map measures). */
    public float cosineWeight = 1f;
    /** Temperature of the per-channel softmax over positions (the KL term is scaled by its square). */
    public float temperature = 1f;
    /**
     * Added to the attention's sigmoid before the weights are normalised to mean 1 over channels, so
     * no channel's weight falls below {@code floor / (floor + 1)} of the mean: the mask re-weights, it
     * cannot switch a channel off (0.5: a channel's weight is at most 3x another's).
     */
    public float attentionFloor = 0.5f;
    /** Hidden width of the attention's MLP = channels / reduction (at least 1), as CBAM's r = 16. */
    public int reduction = 16;

    public DcamConfig validate() {
        if (!(klWeight >= 0) || Float.isInfinite(klWeight) || !(cosineWeight >= 0) || Float.isInfinite(cosineWeight)
                || klWeight + cosineWeight == 0) {
            throw new AnomalyJException("--kl-weight and --cos-weight must be finite numbers >= 0, not both 0 (defaults 1 and 1).");
        }
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new AnomalyJException("--kl-temperature must be a positive number (default 1).");
        }
        if (!(attentionFloor > 0) || Float.isInfinite(attentionFloor)) {
            throw new AnomalyJException("--attention-floor must be a positive number (default 0.5).");
        }
        if (reduction < 1) {
            throw new AnomalyJException("The DCAM attention reduction must be at least 1 (default 16).");
        }
        return this;
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("kl_weight", klWeight);
        o.addProperty("cosine_weight", cosineWeight);
        o.addProperty("kl_temperature", temperature);
        o.addProperty("attention", "channel (CBAM-style: avg+max pooled, shared MLP, sigmoid), weights the KL term only");
        o.addProperty("attention_floor", attentionFloor);
        o.addProperty("attention_reduction", reduction);
        return o;
    }
}
