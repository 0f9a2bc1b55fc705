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
        int[] nb = graphNeighbours(index, k);
        if (nb == null) {
            nb = new int[size * k];
            index.kNearest(index.bank(), size, k, nb, new float[size * k]);
        }
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

    /**
     * The k nearest entries of every entry through ONNX Runtime (Gemm + TopK), or null
     * where the bank is small or the graph cannot run. Bank against bank is size^2 x dim
     * multiply-adds; the Java kernel took 3 s for 7,025 x 1536 entries and 68 s for 35,123, which
     * made this the second-largest cost of a fit at coreset ratio 0.05.
     */
    private static int[] graphNeighbours(NearestNeighbours index, int k) {
        int size = index.size();
        if (k < 2 || !graphSearchPays(index)) {
            return null;
        }
        try {
            // the graph runs take the bank in runs of QueryShares.runQueries entries, which bounds
            // each run's distance matrix
            return new OrtBankSearch(index.bank(), size, index.dim(), 0, k).nearest(index.bank(), size);
        } catch (ai.onnxruntime.OrtException | UnsatisfiedLinkError e) {
            return null;
        }
    }

    public NearestNeighbours index() {
        return index;
    }

    /**
     * Nearest entry and its Euclidean distance for each of {@code n} queries ({@code n x dim}).
     * {@link KnnSearch#EXACT} (the default): the projected search with certified winners, and an
     * exact search of only the queries it cannot certify, so the result is the brute-force one.
     * {@link KnnSearch#FAST}: the projected search's winners as they are. {@link KnnSearch#BRUTE}:
     * every query against every entry. Large banks search through ONNX Runtime graphs (its matrix
     * kernels are several times faster than the Java loop); the distance of each winner is then
     * computed exactly here. Small banks, or a machine where the graphs cannot run, use the Java search.
     */
    public void nearest(float[] queries, int n, int[] nearest, float[] distance) {
        KnnSearch mode = KnnSearch.current();
        if (mode != KnnSearch.BRUTE) {
            boolean certify = mode == KnnSearch.EXACT;
            ProjectedBankSearch projected = certify ? certifiedSearch() : projectedSearch();
            if (projected != null) {
                try {
                    projected.nearest(queries, n, nearest, distance, certify);
                    if (certify) {
                        searchUncertified(queries, n, nearest, distance);
                    }
                } catch (ai.onnxruntime.OrtException e) {
                    bruteForce(queries, n, nearest, distance);
                }
                return;
            }
        }
        bruteForce(queries, n, nearest, distance);
    }

    /** Queries searched (all modes) and those the certified search had to search exhaustively. */
    private static final java.util.concurrent.atomic.LongAdder QUERIES = new java.util.concurrent.atomic.LongAdder();
    private static final java.util.concurrent.atomic.LongAdder UNCERTIFIED = new java.util.concurrent.atomic.LongAdder();

    /**
     * Share of the certified search's queries that needed the exhaustive search since the process
     * started (NaN when none ran): what the certified search costs beyond the projected one.
     */
    public static double uncertifiedShare() {
        long q = QUERIES.sum();
        return q == 0 ? Double.NaN : (double) UNCERTIFIED.sum() / q;
    }

    /** Brute-force search of the queries marked -1 by the certified search, gathered into one block. */
    private void searchUncertified(float[] queries, int n, int[] nearest, float[] distance)
            throws ai.onnxruntime.OrtException {
        int missing = MarkedQueries.count(nearest, n);
        QUERIES.add(n);
        UNCERTIFIED.add(missing);
        bankQueries.add(n);
        bankUncertified.add(missing);
        MarkedQueries.resolve(queries, n, index.dim(), missing, nearest, distance, this::bruteForce);
    }

    private void bruteForce(float[] queries, int n, int[] nearest, float[] distance) {
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

    /** Whether the bank holds enough values for any ONNX Runtime search to pay for its setup. */
    private static boolean largeBank(NearestNeighbours index) {
        return (long) index.size() * index.dim() >= GRAPH_SEARCH_MIN_VALUES;
    }

    /**
     * Whether the exhaustive ONNX Runtime searches are worth their setup for this bank (and not
     * switched off with -Danomalyj.javaSearch=true, for experiments).
     */
    private static boolean graphSearchPays(NearestNeighbours index) {
        return largeBank(index) && !Boolean.getBoolean("anomalyj.javaSearch");
    }
    private OrtBankSearch graph;
    private boolean graphTried;

    private synchronized OrtBankSearch graphSearch() {
        if (!graphTried) {
            graphTried = true;
            if (graphSearchPays(index)) {
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
    /**
     * Candidates re-ranked per query by the fast search (anomalyj.knnCandidates). Four instead of
     * eight changed image and pixel AUROC by -0.02 / -0.02 points on Magnetic Tile and -0.08 / +0.01
     * on KolektorSDD against exact search (rule: within 0.5), and halve the re-ranking.
     */
    static final int FAST_CANDIDATES = Integer.getInteger("anomalyj.knnCandidates", 4);
    /**
     * Whether the fast search ranks its candidates with 8-bit products (anomalyj.knnInt8, default
     * true; see {@link ProjectedBankSearch}). Falls back to float where ONNX Runtime cannot build
     * the 8-bit graph.
     */
    static final boolean FAST_EIGHT_BIT = !"false".equals(System.getProperty("anomalyj.knnInt8"));
    /**
     * Subspace rank of the certified exact search (anomalyj.exactRank): high enough that nearly
     * every patch's winner is certified (KolektorSDD, ResNet50v2: all but 0.01% at 256, 15% left
     * at 128), capped at a quarter of the embedding so the projected product costs at most a
     * quarter of the brute-force one.
     */
    static final int EXACT_RANK = Integer.getInteger("anomalyj.exactRank", 256);
    /**
     * Candidates of the certified search's second pass, which takes the queries its first pass
     * (4 candidates) could not prove (anomalyj.exactCandidates). On Magnetic Tile 16 left 0.1% of
     * the patches to brute force, and brute force reads the whole bank even for one patch; 32
     * left none (search 30.5 ms per image with 16, 21.2 ms with 32).
     */
    static final int EXACT_CANDIDATES = Integer.getInteger("anomalyj.exactCandidates", 32);
    /**
     * Queries after which the certified search is judged: when it had to fall back for more than
     * half of them, it costs more than brute force alone, so this bank searches by brute force from
     * then on (same results either way).
     */
    static final int CERTIFY_TRIAL_QUERIES = 4096;
    private ProjectedBankSearch projected;
    private boolean projectedTried;
    private ProjectedBankSearch certified;
    private boolean certifiedTried;
    private final java.util.concurrent.atomic.LongAdder bankQueries = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder bankUncertified = new java.util.concurrent.atomic.LongAdder();

    /** The fast search, or null where it would not pay (small banks, embeddings not much wider than the rank). */
    private synchronized ProjectedBankSearch projectedSearch() {
        if (!projectedTried) {
            projectedTried = true;
            // narrow embeddings (e.g. MobileNetV2's 128 dims) search in half their dimensions
            int rank = Math.min(FAST_RANK, index.dim() / 2);
            projected = FAST_EIGHT_BIT ? projectedSearch(rank, FAST_CANDIDATES, false, true) : null;
            if (projected == null) {
                projected = projectedSearch(rank, FAST_CANDIDATES, false, false);
            }
        }
        return projected;
    }

    /**
     * The search whose winners are certified, or null where brute force is the better exact search:
     * small banks, narrow embeddings (below 64 dims at a quarter of the embedding, e.g. MobileNetV2's
     * 128), or a bank whose queries it mostly could not certify.
     */
    private synchronized ProjectedBankSearch certifiedSearch() {
        if (!certifiedTried) {
            certifiedTried = true;
            int rank = Math.min(EXACT_RANK, index.dim() / 4);
            certified = rank >= 64 ? projectedSearch(rank, EXACT_CANDIDATES, true, false) : null;
        }
        long asked = bankQueries.sum();
        if (certified != null && asked >= CERTIFY_TRIAL_QUERIES && bankUncertified.sum() * 2 > asked) {
            certified = null;
        }
        return certified;
    }

    /** Whether the exact search currently goes through the certified projected search (for tests). */
    boolean certifying() {
        return certifiedSearch() != null;
    }

    private ProjectedBankSearch projectedSearch(int rank, int candidates, boolean twoPasses, boolean eightBit) {
        if (!largeBank(index) || rank < 16 || index.size() <= 2 * candidates) {
            return null;
        }
        try {
            return new ProjectedBankSearch(index, rank, candidates, twoPasses, 42, 0, eightBit);
        } catch (ai.onnxruntime.OrtException | UnsatisfiedLinkError e) {
            return null;
        }
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
