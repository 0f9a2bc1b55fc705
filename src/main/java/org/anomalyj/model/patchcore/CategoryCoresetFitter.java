package org.anomalyj.model.patchcore;

import java.util.ArrayList;
import java.util.List;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.model.ModelFitter;
import org.anomalyj.model.PatchEmbedding;

/**
 * Fits one PatchCore model for several product types with a per-category coreset budget: each
 * category's patches get their own greedy coreset (ratio and seed as {@link PatchCoreFitter}, so
 * the selection is the one a model of that category alone would keep), and the memory bank is the
 * concatenation of those coresets. The selection then costs the sum of the per-category ones
 * (greedy k-center grows with patches squared, so one coreset over the union costs more), and
 * only one category's full embeddings are held at a time. Call {@link #endCategory} after the
 * images of each category. Not thread-safe.
 */
public final class CategoryCoresetFitter implements ModelFitter {
    private final PatchCoreConfig config;
    private final PatchEmbedder embedder;
    private final List<float[]> chunks = new ArrayList<>();
    private final List<float[]> banks = new ArrayList<>();
    private final List<int[]> neighbourBlocks = new ArrayList<>();
    private int dim;
    private int images;
    private long categoryPatches;
    private long patches;
    private int bankSize;

    public CategoryCoresetFitter(PatchCoreConfig config) {
        this.config = config;
        this.embedder = new PatchEmbedder(config);
    }

    @Override
    public void add(List<FeatureMap> features) {
        PatchEmbedding e = embedder.embed(features);
        dim = e.dim();
        chunks.add(e.data());
        categoryPatches += e.positions();
        patches += e.positions();
        images++;
    }

    @Override
    public int count() {
        return images;
    }

    /** Memory-bank entries selected so far (finished categories). */
    public int bankSize() {
        return bankSize;
    }

    /**
     * Selects the coreset of the images added since the previous call and frees their full
     * embeddings. Does nothing when no image was added since.
     */
    public void endCategory(Progress progress) {
        if (chunks.isEmpty()) {
            return;
        }
        int projectionDim = config.projectionDimFor(categoryPatches);
        if (categoryPatches * projectionDim > Integer.MAX_VALUE) {
            throw new AnomalyJException("PatchCore has " + categoryPatches + " training patches in one category, too"
                    + " many to project at once; use fewer or smaller training images, or a lower projection_dim.");
        }
        float[] block = GreedyCoreset.coresetRows(chunks, dim, (int) categoryPatches, projectionDim,
                config.coresetRatio(), config.seed(), progress);
        int size = block.length / dim;
        banks.add(block);
        // each category's entries keep the re-weighting neighbours its own model would have: a search
        // within the block instead of one over the joined bank (which costs bank size squared)
        int k = config.numNeighbours();
        neighbourBlocks.add(size >= k ? offset(MemoryBank.computeNeighbours(new NearestNeighbours(block, size, dim), k),
                bankSize) : null);
        bankSize += size;
        chunks.clear();
        categoryPatches = 0;
    }

    @Override
    public PatchCoreModel fit(Progress progress) {
        endCategory(progress);
        if (banks.isEmpty()) {
            throw new AnomalyJException("PatchCore got no training images; add at least one normal image.");
        }
        float[] bank = new float[Math.multiplyExact(bankSize, dim)];
        int at = 0;
        for (float[] b : banks) {
            System.arraycopy(b, 0, bank, at, b.length);
            at += b.length;
        }
        banks.clear();
        progress.update("memory bank neighbours", 0, 1);
        MemoryBank memory = new MemoryBank(bank, bankSize, dim, config.numNeighbours(), joinedNeighbours());
        progress.update("memory bank neighbours", 1, 1);
        // projection_dim stays as configured (0 = chosen per category by its patch count)
        return new PatchCoreModel(config, embedder.aggregator(), embedder.layers(), memory, patches);
    }

    /**
     * The categories' neighbour lists end to end, or null (search the joined bank) when a category kept
     * fewer entries than the neighbours asked for.
     */
    private int[] joinedNeighbours() {
        int total = 0;
        for (int[] b : neighbourBlocks) {
            if (b == null) {
                return null;
            }
            total += b.length;
        }
        int[] out = new int[total];
        int at = 0;
        for (int[] b : neighbourBlocks) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        neighbourBlocks.clear();
        return out;
    }

    private static int[] offset(int[] indices, int by) {
        for (int i = 0; i < indices.length; i++) {
            indices[i] += by;
        }
        return indices;
    }
}
