package org.anomalyj.model.patchcore;

import java.util.ArrayList;
import java.util.List;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.model.ModelFitter;
import org.anomalyj.model.PatchEmbedding;

/**
 * Fits PatchCore: collects every training patch's embedding (one array per image, so no single
 * array needs more than 2^31 values), then selects a greedy k-center coreset on a seeded random
 * projection and keeps the selected full-dimensional embeddings as the memory bank.
 * Not thread-safe.
 */
public final class PatchCoreFitter implements ModelFitter {
    private final PatchCoreConfig config;
    private final PatchEmbedder embedder;
    private final List<float[]> chunks = new ArrayList<>();
    private int dim;
    private long patches;

    public PatchCoreFitter(PatchCoreConfig config) {
        this.config = config;
        this.embedder = new PatchEmbedder(config);
    }

    @Override
    public void add(List<FeatureMap> features) {
        PatchEmbedding e = embedder.embed(features);
        dim = e.dim();
        chunks.add(e.data());
        patches += e.positions();
    }

    @Override
    public int count() {
        return chunks.size();
    }

    /** Patches collected so far. */
    public long patchCount() {
        return patches;
    }

    @Override
    public PatchCoreModel fit(Progress progress) {
        if (chunks.isEmpty()) {
            throw new AnomalyJException("PatchCore got no training images; add at least one normal image.");
        }
        int projectionDim = config.projectionDimFor(patches);
        if (patches * projectionDim > Integer.MAX_VALUE) {
            throw new AnomalyJException("PatchCore has " + patches + " training patches, too many to project at once;"
                    + " use fewer or smaller training images, or a lower projection_dim.");
        }
        progress.update("projection", 0, 1);
        float[] bank = GreedyCoreset.coresetRows(chunks, dim, (int) patches, projectionDim, config.coresetRatio(),
                config.seed(), progress);
        int size = bank.length / dim;
        progress.update("memory bank neighbours", 0, 1);
        MemoryBank memory = new MemoryBank(bank, size, dim, config.numNeighbours(), null);
        progress.update("memory bank neighbours", 1, 1);
        // the model records the projection actually used, so the bundle says how it was fitted
        return new PatchCoreModel(config.withProjectionDim(projectionDim), embedder.aggregator(), embedder.layers(), memory, patches);
    }
}
