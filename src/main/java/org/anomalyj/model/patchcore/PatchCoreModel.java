package org.anomalyj.model.patchcore;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.OptionalDouble;
import org.anomalyj.AnomalyJException;
import org.anomalyj.ThreadScratch;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.io.ArrayStore;
import org.anomalyj.io.NpyArray;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.FeatureAggregator;
import org.anomalyj.model.PatchEmbedding;
import org.anomalyj.model.PatchScores;

/**
 * A fitted PatchCore model. Patch score = Euclidean distance of the patch's embedding to its
 * nearest memory entry. Image score as anomalib: the patch with the largest score s*, its nearest
 * entry m*, the k entries nearest to m* in the bank (m* first); with d_i the distances of that
 * patch to those entries, {@code score = (1 - softmax(d)_0) * s*} (k = 1: plain s*).
 * Thread-safe.
 */
public final class PatchCoreModel implements AnomalyModel {

    public static final String METHOD = "patchcore";
    static final String BANK = "memory_bank";
    static final String NEIGHBOURS = "memory_neighbours";

    private final PatchCoreConfig config;
    private final FeatureAggregator aggregator;
    private final JsonArray layers;
    private final MemoryBank bank;
    private final long trainingPatches;
    /**
     * One embedding buffer per scoring thread, shared by all models (tiled ensembles hold many):
     * the embedding lives only during {@link #score}.
     */
    private static final ThreadScratch<float[]> EMBEDDING_BUFFER = new ThreadScratch<>();

    PatchCoreModel(PatchCoreConfig config, FeatureAggregator aggregator, JsonArray layers, MemoryBank bank,
            long trainingPatches) {
        this.config = config;
        this.aggregator = aggregator;
        this.layers = layers;
        this.bank = bank;
        this.trainingPatches = trainingPatches;
    }

    @Override
    public String method() {
        return METHOD;
    }

    public PatchCoreConfig config() {
        return config;
    }

    public MemoryBank memoryBank() {
        return bank;
    }

    @Override
    public PatchScores score(List<FeatureMap> features) {
        FeatureAggregator.checkLayers(layers, features, METHOD);
        PatchEmbedding e = aggregator.aggregate(features, EMBEDDING_BUFFER.take());
        int n = e.positions();
        int[] nearest = new int[n];
        float[] dist = new float[n];
        bank.nearest(e.data(), n, nearest, dist);
        PatchScores scores = new PatchScores(e.width(), e.height(), dist,
                OptionalDouble.of(imageScore(e.data(), nearest, dist)));
        EMBEDDING_BUFFER.give(e.data());
        return scores;
    }

    /** anomalib's re-weighted image score (see the class comment). */
    double imageScore(float[] embedding, int[] nearest, float[] dist) {
        int best = 0;
        for (int p = 1; p < dist.length; p++) {
            if (dist[p] > dist[best]) {
                best = p;
            }
        }
        double s = dist[best];
        int k = bank.k();
        if (config.numNeighbours() == 1 || k == 1) {
            return s;
        }
        int[] nb = bank.neighbours();
        int m = nearest[best];
        double[] d = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            d[i] = bank.index().distance(embedding, best * bank.dim(), nb[m * k + i]);
            max = Math.max(max, d[i]);
        }
        double sum = 0;
        for (int i = 0; i < k; i++) {
            sum += Math.exp(d[i] - max);
        }
        double weight = 1 - Math.exp(d[0] - max) / sum;
        return weight * s;
    }

    @Override
    public JsonObject parameters() {
        JsonObject o = new JsonObject();
        o.addProperty("method", METHOD);
        o.add("config", config.toJson());
        o.add("aggregation", aggregator.parameters());
        o.add("layers", layers.deepCopy());
        o.addProperty("memory_size", bank.size());
        o.addProperty("embedding_dim", bank.dim());
        o.addProperty("neighbours_per_entry", bank.k());
        o.addProperty("training_patches", trainingPatches);
        return o;
    }

    @Override
    public void writeArrays(ArrayStore store) {
        store.put(BANK, NpyArray.ofFloats(bank.entries(), bank.size(), bank.dim()));
        store.put(NEIGHBOURS, NpyArray.ofInts(bank.neighbours(), bank.size(), bank.k()));
    }

    /**
     * Rebuilds a model from its {@link #parameters()} and arrays.
     * @throws AnomalyJException when parameters or arrays are missing or their shapes disagree
     */
    public static PatchCoreModel read(JsonObject parameters, ArrayStore store) {
        PatchCoreConfig config;
        FeatureAggregator aggregator;
        JsonArray layers;
        int size;
        int dim;
        long patches;
        try {
            config = PatchCoreConfig.fromJson(parameters.getAsJsonObject("config"));
            aggregator = FeatureAggregator.fromParameters(parameters.getAsJsonObject("aggregation"));
            layers = parameters.getAsJsonArray("layers");
            size = parameters.get("memory_size").getAsInt();
            dim = parameters.get("embedding_dim").getAsInt();
            patches = parameters.has("training_patches") ? parameters.get("training_patches").getAsLong() : 0;
        } catch (RuntimeException e) {
            if (e instanceof AnomalyJException) {
                throw e;
            }
            throw new AnomalyJException("The PatchCore parameters in model.json are incomplete or malformed ("
                    + e + "); retrain the model or restore model.json.", e);
        }
        if (layers == null || size < 1 || dim < 1) {
            throw new AnomalyJException("The PatchCore parameters in model.json lack layers, memory_size or "
                    + "embedding_dim; retrain the model or restore model.json.");
        }
        NpyArray b = store.get(BANK);
        if (!b.isFloat() || b.rank() != 2 || b.dim(0) != size || b.dim(1) != dim) {
            throw new AnomalyJException("memory_bank.npy has shape " + java.util.Arrays.toString(b.shape()) + " "
                    + b.dtype() + " but model.json expects float32 [" + size + ", " + dim
                    + "]; the bundle is inconsistent, retrain the model.");
        }
        int k = Math.min(config.numNeighbours(), size);
        int[] nb = null;
        if (store.contains(NEIGHBOURS)) {
            NpyArray n = store.get(NEIGHBOURS);
            if (n.isFloat() || n.rank() != 2 || n.dim(0) != size || n.dim(1) != k) {
                throw new AnomalyJException("memory_neighbours.npy has shape " + java.util.Arrays.toString(n.shape())
                        + " " + n.dtype() + " but model.json expects int32 [" + size + ", " + k
                        + "]; the bundle is inconsistent, retrain the model.");
            }
            nb = n.ints();
            for (int v : nb) {
                if (v < 0 || v >= size) {
                    throw new AnomalyJException("memory_neighbours.npy holds index " + v + " outside 0.." + (size - 1)
                            + "; the bundle is corrupt, retrain the model.");
                }
            }
        }
        return new PatchCoreModel(config, aggregator, layers, new MemoryBank(b.floats(), size, dim, k, nb), patches);
    }
}
