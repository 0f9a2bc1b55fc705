package org.anomalyj.model.patchcore;

/**
 * PatchCore's memory bank: the coreset's full-dimensional embeddings ({@code size x dim}), a
 * nearest-neighbour index over them, and for every entry its {@code k} nearest entries in the bank
 * (itself first), precomputed so that the image-score re-weighting costs nothing at scoring time.
 */
public final class MemoryBank {
    private final NearestNeighbours index;
    private final int k;
    private final int[] neighbours;

    /**
     * @param entries {@code size x dim} row-major; not copied
     * @param neighbours {@code size x k} or null to compute them now (costs one bank-vs-bank search)
     */
    public MemoryBank(float[] entries, int size, int dim, int k, int[] neighbours) {
        this.index = new NearestNeighbours(entries, size, dim);
        this.k = Math.min(k, size);
        this.neighbours = neighbours != null ? neighbours : computeNeighbours(index, this.k);
        if (this.neighbours.length != size * this.k) {
            throw new IllegalArgumentException("neighbours length " + this.neighbours.length + " != " + size + "x"
                    + this.k);
        }
    }

    /** Each entry's k nearest entries, with the entry itself first (also when the bank has duplicates). */
    static int[] computeNeighbours(NearestNeighbours index, int k) {
        int size = index.size();
        int[] nb = new int[size * k];
        float[] dist = new float[size * k];
        index.kNearest(index.bank(), size, k, nb, dist);
        for (int m = 0; m < size; m++) {
            int o = m * k;
            int at = k - 1;
            for (int i = 0; i < k; i++) {
                if (nb[o + i] == m) {
                    at = i;
                    break;
                }
            }
            System.arraycopy(nb, o, nb, o + 1, at);
            nb[o] = m;
        }
        return nb;
    }

    public NearestNeighbours index() {
        return index;
    }

    public int size() {
        return index.size();
    }

    public int dim() {
        return index.dim();
    }

    /** Neighbours per entry (numNeighbours capped at the bank size). */
    public int k() {
        return k;
    }

    /** {@code size x k} row-major; shared, not copied. */
    public int[] neighbours() {
        return neighbours;
    }

    /** Row-major entries; shared, not copied. */
    public float[] entries() {
        return index.bank();
    }
}
