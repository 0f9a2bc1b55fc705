package org.anomalyj.model.padim;

import com.google.gson.JsonObject;
import org.anomalyj.AnomalyJException;

/**
 * PaDiM settings. {@code numFeatures} (d) is the memory and speed knob: the model holds P x d x d
 * float inverse covariances (P = positions of the embedding), e.g. 64 x 64 positions with d = 100
 * take 164 MB, d = 550 take 5 GB; at 32 x 32 positions (stride 8) d = 550 take 1.24 GB. Use ~100 for
 * ResNet18-size backbones. A d larger than the embedding's channel count keeps all channels.
 * {@code covarianceRank} r > 0 replaces each full covariance by its r principal axes plus a
 * per-channel residual variance ({@link LowRankCovariance}): about P x d x r floats instead of
 * P x d x d.
 */
public final class PadimConfig {
    private final int numFeatures;
    private final long seed;
    private final double epsilon;
    private final int covarianceRank;

    /**
     * numFeatures 550 (anomalib's choice for WRN50-size features; capped at the embedding's
     * channels), seed 42, epsilon 0.01, full covariances.
     */
    public PadimConfig() {
        this(550, 42, 0.01, 0);
    }

    /** Full covariances. */
    public PadimConfig(int numFeatures, long seed, double epsilon) {
        this(numFeatures, seed, epsilon, 0);
    }

    /** @param covarianceRank principal axes per position, 0 = full covariances */
    public PadimConfig(int numFeatures, long seed, double epsilon, int covarianceRank) {
        if (numFeatures < 1 || !(epsilon >= 0) || covarianceRank < 0) {
            throw new AnomalyJException("PaDiM settings out of range (num_features " + numFeatures + ", epsilon "
                    + epsilon + ", covariance_rank " + covarianceRank
                    + "); use num_features >= 1, epsilon >= 0 and covariance_rank >= 0.");
        }
        this.numFeatures = numFeatures;
        this.seed = seed;
        this.epsilon = epsilon;
        this.covarianceRank = covarianceRank;
    }

    /** Randomly selected channels d (capped at the embedding's channels). */
    public int numFeatures() {
        return numFeatures;
    }

    public long seed() {
        return seed;
    }

    /** Added to the covariance diagonal (regularisation). */
    public double epsilon() {
        return epsilon;
    }

    /** Principal axes kept per position (capped at d), or 0 for full covariances. */
    public int covarianceRank() {
        return covarianceRank;
    }

    public PadimConfig withNumFeatures(int v) {
        return new PadimConfig(v, seed, epsilon, covarianceRank);
    }

    public PadimConfig withSeed(long v) {
        return new PadimConfig(numFeatures, v, epsilon, covarianceRank);
    }

    public PadimConfig withEpsilon(double v) {
        return new PadimConfig(numFeatures, seed, v, covarianceRank);
    }

    public PadimConfig withCovarianceRank(int v) {
        return new PadimConfig(numFeatures, seed, epsilon, v);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("num_features", numFeatures);
        o.addProperty("seed", seed);
        o.addProperty("epsilon", epsilon);
        o.addProperty("covariance_rank", covarianceRank);
        return o;
    }

    /** Reads the keys of {@link #toJson()}; missing keys keep their defaults. */
    public static PadimConfig fromJson(JsonObject o) {
        PadimConfig d = new PadimConfig();
        if (o == null) {
            return d;
        }
        try {
            return new PadimConfig(o.has("num_features") ? o.get("num_features").getAsInt() : d.numFeatures,
                    o.has("seed") ? o.get("seed").getAsLong() : d.seed,
                    o.has("epsilon") ? o.get("epsilon").getAsDouble() : d.epsilon,
                    o.has("covariance_rank") ? o.get("covariance_rank").getAsInt() : d.covarianceRank);
        } catch (AnomalyJException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AnomalyJException("PaDiM settings " + o + " are malformed (" + e.getMessage()
                    + "); use numbers for every value.", e);
        }
    }
}
