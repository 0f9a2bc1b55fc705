package org.anomalyj.model.patchcore;

import ai.onnxruntime.OrtException;

/**
 * The queries a search left unresolved (nearest index -1), gathered into one block for a second,
 * costlier search, whose results are written back in place.
 */
final class MarkedQueries {
    /** A search of {@code n} queries ({@code n x dim}) that fills nearest indices and distances. */
    interface Search {
        void nearest(float[] queries, int n, int[] nearest, float[] distance) throws OrtException;
    }

    private MarkedQueries() {
    }

    /** How many of the first n queries are marked. */
    static int count(int[] nearest, int n) {
        int marked = 0;
        for (int i = 0; i < n; i++) {
            if (nearest[i] < 0) {
                marked++;
            }
        }
        return marked;
    }

    /** Searches the {@code marked} marked queries with {@code search} and writes their results back. */
    static void resolve(float[] queries, int n, int dim, int marked, int[] nearest, float[] distance, Search search)
            throws OrtException {
        if (marked == 0) {
            return;
        }
        int[] which = new int[marked];
        float[] block = new float[marked * dim];
        for (int i = 0, j = 0; i < n; i++) {
            if (nearest[i] < 0) {
                which[j] = i;
                System.arraycopy(queries, i * dim, block, j * dim, dim);
                j++;
            }
        }
        int[] found = new int[marked];
        float[] dist = new float[marked];
        search.nearest(block, marked, found, dist);
        for (int j = 0; j < marked; j++) {
            nearest[which[j]] = found[j];
            distance[which[j]] = dist[j];
        }
    }
}
