package org.anomalyj.model.stfpm;

import com.google.gson.JsonObject;
import org.anomalyj.AnomalyJException;

/**
 * STFPM training settings. Optimiser defaults are OTX's / anomalib's (SGD, lr 0.4, momentum 0.9,
 * weight decay 1e-4; early stopping with patience 10 on the validation loss); the batch size is
 * smaller than their 32 because this runs on CPU cores (the loss sums over the batch as anomalib's
 * does, so the step per image stays the same).
 */
public final class StfpmConfig {
    /** Most epochs trained (early stopping usually ends sooner). */
    public int maxEpochs = 100;
    public int batchSize = 8;
    public float learningRate = 0.4f;
    public float momentum = 0.9f;
    public float weightDecay = 1e-4f;
    /** Epochs without a lower validation loss before training stops; 0 = never stop early. */
    public int patience = 10;
    /** Part of the training images whose loss decides early stopping (not trained on). */
    public double validationFraction = 0.1;
    /** Seed of the student's initial weights and of the batch order. */
    public long seed = 42;

    public StfpmConfig validate() {
        if (maxEpochs < 1) {
            throw new AnomalyJException("--epochs must be at least 1 (default 100; early stopping usually ends sooner).");
        }
        if (batchSize < 1) {
            throw new AnomalyJException("--batch must be at least 1 (default 8).");
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new AnomalyJException("--lr must be a positive number (default 0.4).");
        }
        if (patience < 0) {
            throw new AnomalyJException("--patience must be 0 (no early stopping) or a number of epochs (default 10).");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new AnomalyJException("The STFPM validation fraction must be in [0, 1).");
        }
        return this;
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("max_epochs", maxEpochs);
        o.addProperty("batch_size", batchSize);
        o.addProperty("optimizer", "SGD");
        o.addProperty("learning_rate", learningRate);
        o.addProperty("momentum", momentum);
        o.addProperty("weight_decay", weightDecay);
        o.addProperty("early_stopping_patience", patience);
        o.addProperty("validation_fraction", validationFraction);
        o.addProperty("seed", seed);
        return o;
    }
}
