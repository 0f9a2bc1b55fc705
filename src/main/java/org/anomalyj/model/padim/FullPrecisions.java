package org.anomalyj.model.padim;

import org.anomalyj.io.ArrayStore;
import org.anomalyj.io.NpyArray;

/**
 * Full precisions, kept as packed upper triangles ({@link PackedSymmetric}: half the memory, one
 * stream per position) and scored by {@link Mahalanobis#distancePacked}. Stored in the bundle as
 * the full matrices ({@code inv_covariance.npy}, {@code [P, d, d]}), as anomalib's PaDiM.
 */
final class FullPrecisions implements Precisions {
    static final String INV = "inv_covariance";

    private final PackedSymmetric inverse;

    FullPrecisions(PackedSymmetric inverse) {
        this.inverse = inverse;
    }

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public void distances(float[] x, float[] mean, int from, int to, float[] scores) {
        int d = inverse.dim();
        Mahalanobis.Workspace work = new Mahalanobis.Workspace(d);
        float[] tri = inverse.data();
        for (int p = from; p < to; p++) {
            scores[p] = Mahalanobis.distancePacked(x, p * d, mean, p * d, tri, inverse.offset(p), d, work);
        }
    }

    @Override
    public float[] dense() {
        return inverse.unpack();
    }

    @Override
    public void writeArrays(ArrayStore store) {
        int d = inverse.dim();
        store.put(INV, NpyArray.ofFloats(inverse.unpack(), inverse.count(), d, d));
    }
}
