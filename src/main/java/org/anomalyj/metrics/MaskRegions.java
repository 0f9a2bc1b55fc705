package org.anomalyj.metrics;

/**
 * The 8-connected components of a binary mask (row-major, {@code width x height}): every true
 * pixel gets a region id {@code 1..count()}, false pixels get 0. Ground-truth defect regions for
 * AUPRO are defined this way (as in the MVTec AD evaluation).
 */
public final class MaskRegions {
    private final int width;
    private final int height;
    private final int[] labels;
    private final int[] sizes; // sizes[r] = pixel count of region r; sizes[0] unused

    private MaskRegions(int width, int height, int[] labels, int[] sizes) {
        this.width = width;
        this.height = height;
        this.labels = labels;
        this.sizes = sizes;
    }

    /** Labels the components of {@code mask} by breadth-first flood fill (no recursion, so no stack overflow). */
    public static MaskRegions of(boolean[] mask, int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height != mask.length) {
            throw new IllegalArgumentException("mask has " + mask.length + " pixels, not " + width + "x" + height);
        }
        int[] labels = new int[mask.length];
        int[] queue = null;
        int[] sizes = new int[16];
        int count = 0;
        for (int seed = 0; seed < mask.length; seed++) {
            if (!mask[seed] || labels[seed] != 0) {
                continue;
            }
            if (queue == null) {
                queue = new int[mask.length];
            }
            count++;
            labels[seed] = count;
            int head = 0;
            int tail = 0;
            queue[tail++] = seed;
            while (head < tail) {
                int p = queue[head++];
                int px = p % width;
                int py = p / width;
                int y0 = Math.max(py - 1, 0);
                int y1 = Math.min(py + 1, height - 1);
                int x0 = Math.max(px - 1, 0);
                int x1 = Math.min(px + 1, width - 1);
                for (int y = y0; y <= y1; y++) {
                    int row = y * width;
                    for (int x = x0; x <= x1; x++) {
                        int q = row + x;
                        if (mask[q] && labels[q] == 0) {
                            labels[q] = count;
                            queue[tail++] = q;
                        }
                    }
                }
            }
            if (count >= sizes.length) {
                sizes = java.util.Arrays.copyOf(sizes, sizes.length * 2);
            }
            sizes[count] = tail; // every pixel of the region passed through the queue exactly once
        }
        return new MaskRegions(width, height, labels, java.util.Arrays.copyOf(sizes, count + 1));
    }

    /** The number of regions. */
    public int count() {
        return sizes.length - 1;
    }

    /** The pixel count of region {@code id} (1-based). */
    public int size(int id) {
        if (id < 1 || id >= sizes.length) {
            throw new IllegalArgumentException("no region " + id + " (there are " + count() + ")");
        }
        return sizes[id];
    }

    /** Region id per pixel, row-major; 0 = background. Shared, not copied. */
    public int[] labels() {
        return labels;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }
}
