package org.anomalyj.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Image-row arrays that one thread's aggregations reuse from image to image: the transposed,
 * pooled and horizontally resampled rows of every layer. Allocating (and zeroing) them anew cost
 * about 0.5 ms per ResNet50v2 image on one thread. Each call takes the thread's scratch out while
 * it works ({@link #take}) and puts it back ({@link #give}), so a nested call on the same thread (a
 * fork/join worker helping while it waits) gets a fresh one instead of sharing. Not thread-safe
 * itself: the owning call allocates all rows before handing them to its worker bands.
 */
final class RowScratch {
    private static final ThreadLocal<RowScratch> OWN = new ThreadLocal<>();

    private final List<float[][]> slots = new ArrayList<>();

    /** This thread's scratch, taken out until {@link #give}; a new one when there is none. */
    static RowScratch take() {
        RowScratch s = OWN.get();
        OWN.remove();
        return s != null ? s : new RowScratch();
    }

    /** Returns the scratch to this thread for its next call. */
    void give() {
        OWN.set(this);
    }

    /**
     * {@code h} rows of {@code length} floats for use {@code slot}, reused when the last call had
     * the same shape there. Their contents are whatever the last use left: callers overwrite them.
     */
    float[][] rows(int slot, int h, int length) {
        while (slots.size() <= slot) {
            slots.add(null);
        }
        float[][] rows = slots.get(slot);
        if (rows == null || rows.length != h) {
            rows = new float[h][];
            slots.set(slot, rows);
        }
        for (int y = 0; y < h; y++) {
            if (rows[y] == null || rows[y].length != length) {
                rows[y] = new float[length];
            }
        }
        return rows;
    }
}
