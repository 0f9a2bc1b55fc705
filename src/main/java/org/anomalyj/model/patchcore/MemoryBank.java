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

    /**
     * Nearest entry and its Euclidean distance for each of {@code n} queries ({@code n x dim}).
     * Large banks search through an ONNX Runtime graph (its matrix kernels are several times faster
     * than the Java loop); the distance of each winner is then computed exactly here. Small banks,
     * or a machine where the graph cannot run, use the Java search.
     */
    public void nearest(float[] queries, int n, int[] nearest, float[] distance) {
        if (KnnSearch.current() == KnnSearch.FAST) {
            ProjectedBankSearch fast = projectedSearch();
            if (fast != null) {
                try {
                    fast.nearest(queries, n, nearest, distance);
                    return;
                } catch (ai.onnxruntime.OrtException e) {
                    // fall through to the exact search
                }
            }
        }
        OrtBankSearch search = graphSearch();
        if (search == null) {
            index.nearest(queries, n, nearest, distance);
            return;
        }
        int[] found;
        try {
            found = search.nearest(queries, n);
        } catch (ai.onnxruntime.OrtException e) {
            index.nearest(queries, n, nearest, distance);
            return;
        }
        int dim = index.dim();
        for (int i = 0; i < n; i++) {
            nearest[i] = found[i];
            distance[i] = (float) index.distance(queries, i * dim, found[i]);
        }
    }

    /** Bank size (entries x dims) from which the ONNX Runtime search pays for its setup. */
    static final long GRAPH_SEARCH_MIN_VALUES = 1L << 18;
    private OrtBankSearch graph;
    private boolean graphTried;

    private synchronized OrtBankSearch graphSearch() {
        if (!graphTried) {
            graphTried = true;
            if ((long) index.size() * index.dim() >= GRAPH_SEARCH_MIN_VALUES && !Boolean.getBoolean("anomalyj.javaSearch")) {
                try {
                    graph = new OrtBankSearch(index.bank(), index.size(), index.dim(), 0);
                } catch (ai.onnxruntime.OrtException | UnsatisfiedLinkError e) {
                    graph = null;
                }
            }
        }
        return graph;
    }

    /** Subspace rank of the fast search (system property anomalyj.knnRank, for experiments). */
    static final int FAST_RANK = Integer.getInteger("anomalyj.knnRank", 64);
    /** Candidates re-ranked per query by the fast search (anomalyj.knnCandidates). */
    static final int FAST_CANDIDATES = Integer.getInteger("anomalyj.knnCandidates", 8);
    private ProjectedBankSearch projected;
    private boolean projectedTried;

    /** The fast search, or null where it would not pay (small banks, embeddings not much wider than the rank). */
    private synchronized ProjectedBankSearch projectedSearch() {
        if (!projectedTried) {
            projectedTried = true;
            // narrow embeddings (e.g. MobileNetV2's 128 dims) search in half their dimensions
            int rank = Math.min(FAST_RANK, index.dim() / 2);
            if ((long) index.size() * index.dim() >= GRAPH_SEARCH_MIN_VALUES && rank >= 16
                    && index.size() > 2 * FAST_CANDIDATES) {
                try {
                    projected = new ProjectedBankSearch(index, rank, FAST_CANDIDATES, 42, 0);
                } catch (ai.onnxruntime.OrtException | UnsatisfiedLinkError e) {
                    projected = null;
                }
            }
        }
        return projected;
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
