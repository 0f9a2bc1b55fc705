package org.anomalyj.model.patchcore;

import com.google.gson.JsonObject;
import org.anomalyj.AnomalyJException;

/**
 * PatchCore settings (anomalib defaults except where noted). Immutable; {@code withX} returns a
 * copy.
 */
public final class PatchCoreConfig {
    private final double coresetRatio;
    private final int projectionDim;
    private final int numNeighbours;
    private final int maxChannelsPerLayer;
    private final long seed;

    /** coresetRatio 0.01, projectionDim 0 (automatic, see {@link GreedyCoreset#projectionDimFor}), numNeighbours 9, all channels, seed 42. */
    public PatchCoreConfig() {
        this(0.01, 0, 9, 0, 42);
    }

    public PatchCoreConfig(double coresetRatio, int projectionDim, int numNeighbours, int maxChannelsPerLayer,
            long seed) {
        if (!(coresetRatio > 0 && coresetRatio <= 1)) {
            throw new AnomalyJException("PatchCore coreset ratio must be in (0, 1], not " + coresetRatio
                    + "; use e.g. 0.01 to 0.1.");
        }
        if (projectionDim < 0 || numNeighbours < 1 || maxChannelsPerLayer < 0) {
            throw new AnomalyJException("PatchCore settings out of range (projection_dim " + projectionDim
                    + ", num_neighbours " + numNeighbours + ", max_channels_per_layer " + maxChannelsPerLayer
                    + "); use positive values (0 channels = keep all, 0 projection_dim = automatic).");
        }
        this.coresetRatio = coresetRatio;
        this.projectionDim = projectionDim;
        this.numNeighbours = numNeighbours;
        this.maxChannelsPerLayer = maxChannelsPerLayer;
        this.seed = seed;
    }

    public double coresetRatio() {
        return coresetRatio;
    }

    /** Dimensions of the random projection used for coreset selection only; 0 = automatic. */
    public int projectionDim() {
        return projectionDim;
    }

    /** The projection dimension to use for {@code patches} training patches: the configured one, or the automatic rule. */
    public int projectionDimFor(long patches) {
        return projectionDim() > 0 ? projectionDim() : GreedyCoreset.projectionDimFor(patches);
    }

    /** k of the image-score re-weighting (1 = plain max patch score). */
    public int numNeighbours() {
        return numNeighbours;
    }

    /** Channel cap per layer (adaptive average pooling over channels); 0 keeps all. */
    public int maxChannelsPerLayer() {
        return maxChannelsPerLayer;
    }

    public long seed() {
        return seed;
    }

    public PatchCoreConfig withCoresetRatio(double v) {
        return new PatchCoreConfig(v, projectionDim, numNeighbours, maxChannelsPerLayer, seed);
    }

    public PatchCoreConfig withProjectionDim(int v) {
        return new PatchCoreConfig(coresetRatio, v, numNeighbours, maxChannelsPerLayer, seed);
    }

    public PatchCoreConfig withNumNeighbours(int v) {
        return new PatchCoreConfig(coresetRatio, projectionDim, v, maxChannelsPerLayer, seed);
    }

    public PatchCoreConfig withMaxChannelsPerLayer(int v) {
        return new PatchCoreConfig(coresetRatio, projectionDim, numNeighbours, v, seed);
    }

    public PatchCoreConfig withSeed(long v) {
        return new PatchCoreConfig(coresetRatio, projectionDim, numNeighbours, maxChannelsPerLayer, v);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("coreset_ratio", coresetRatio);
        o.addProperty("projection_dim", projectionDim);
        o.addProperty("num_neighbours", numNeighbours);
        o.addProperty("max_channels_per_layer", maxChannelsPerLayer);
        o.addProperty("seed", seed);
        return o;
    }

    /** Reads the keys of {@link #toJson()}; missing keys keep their defaults. */
    public static PatchCoreConfig fromJson(JsonObject o) {
        PatchCoreConfig d = new PatchCoreConfig();
        if (o == null) {
            return d;
        }
        try {
            return new PatchCoreConfig(
                    o.has("coreset_ratio") ? o.get("coreset_ratio").getAsDouble() : d.coresetRatio,
                    o.has("projection_dim") ? o.get("projection_dim").getAsInt() : d.projectionDim,
                    o.has("num_neighbours") ? o.get("num_neighbours").getAsInt() : d.numNeighbours,
                    o.has("max_channels_per_layer") ? o.get("max_channels_per_layer").getAsInt()
                            : d.maxChannelsPerLayer,
                    o.has("seed") ? o.get("seed").getAsLong() : d.seed);
        } catch (RuntimeException e) {
            if (e instanceof AnomalyJException) {
                throw e;
            }
            throw new AnomalyJException("PatchCore settings " + o + " are malformed (" + e.getMessage()
                    + "); use numbers for every value.", e);
        }
    }
}
