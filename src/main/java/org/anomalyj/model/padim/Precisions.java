package org.anomalyj.model.padim;

import org.anomalyj.io.ArrayStore;

/**
 * The per-position precisions (inverse covariances) a PaDiM model scores with, in one stored
 * form: {@link FullPrecisions} (anomalib's PaDiM) or {@link LowRankPrecisions} (a diagonal plus a low-rank correction).
 */
interface Precisions {
    /** Rank of the low-rank form, 0 for full precisions (written to model.json). */
    int rank();

    /**
     * Mahalanobis distances of positions {@code [from, to)} of {@code x} ({@code [P, d]}) to
     * {@code mean} ({@code [P, d]}) into {@code scores}. Called concurrently on disjoint ranges.
     */
    void distances(float[] x, float[] mean, int from, int to, float[] scores);

    /** Every precision as a full symmetric matrix, {@code [P, d, d]} (a new array). */
    float[] dense();

    /** The arrays this form is stored as. */
    void writeArrays(ArrayStore store);
}
