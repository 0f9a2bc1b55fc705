package org.anomalyj.model.patchcore;

/**
 * Squared Euclidean distances from one query to rows of a row-major bank, in the form C2
 * vectorises: the query and each row are first copied (an intrinsic) into scratch arrays that
 * share one index, then the squared differences are stored and summed with eight partial sums.
 * Summing in place with two different offsets, as before, C2 leaves scalar; re-ranking 16 random
 * rows per query of a 7025 x 1536 bank took 28-34 ms per 1024 queries that way and 13-14 ms this
 * way (scratch benchmark, one thread). One per thread; not thread-safe.
 */
final class RowDistance {
    private final int dim;
    private final float[] query;
    private final float[] row;
    private final float[] squares;

    RowDistance(int dim) {
        this.dim = dim;
        this.query = new float[dim];
        this.row = new float[dim];
        this.squares = new float[dim];
    }

    /** Sets the query to {@code source[offset..offset+dim)}. */
    RowDistance query(float[] source, int offset) {
        System.arraycopy(source, offset, query, 0, dim);
        return this;
    }

    /** Squared distance from the query to {@code rows[offset..offset+dim)}. */
    float squaredTo(float[] rows, int offset) {
        System.arraycopy(rows, offset, row, 0, dim);
        for (int k = 0; k < dim; k++) {
            float t = query[k] - row[k];
            squares[k] = t * t;
        }
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        int k = 0;
        for (; k + 7 < dim; k += 8) {
            s0 += squares[k];
            s1 += squares[k + 1];
            s2 += squares[k + 2];
            s3 += squares[k + 3];
            s4 += squares[k + 4];
            s5 += squares[k + 5];
            s6 += squares[k + 6];
            s7 += squares[k + 7];
        }
        for (; k < dim; k++) {
            s0 += squares[k];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
