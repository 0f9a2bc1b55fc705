package org.anomalyj.tiling;

import org.anomalyj.AnomalyJException;
import org.anomalyj.img.FloatImage;
import org.anomalyj.img.PixelSource;

/**
 * Where the tiles of a {@code tile x tile} grid with step {@code stride} lie on a
 * {@code width x height} image: tile {@code i} covers {@code [x(i), x(i) + tile) x [y(i), y(i) + tile)},
 * row-major. Tiles overlap when {@code stride < tile}. When the tiles do not fit the image exactly,
 * the last column/row extends past the image: that part is zero padding when cropping and is
 * dropped again when merging ({@link #paddedWidth()} >= width).
 */
public final class TileGrid {
    private final int width;
    private final int height;
    private final int tile;
    private final int stride;
    private final int columns;
    private final int rows;

    /**
     * @throws AnomalyJException when the tile is larger than the image, or the stride is not in
     *     {@code 1..tile}
     */
    public TileGrid(int width, int height, int tile, int stride) {
        if (tile < 16) {
            throw new AnomalyJException("Tile size " + tile + " is too small; give --tile of at least 16 pixels (e.g. 256).");
        }
        if (stride <= 0 || stride > tile) {
            throw new AnomalyJException("Tile stride " + stride + " must be between 1 and the tile size " + tile
                    + " (stride = tile: no overlap; stride = tile/2: half-overlapping tiles).");
        }
        if (tile > width || tile > height) {
            throw new AnomalyJException("Tile size " + tile + " is larger than the " + width + " x " + height
                    + " image it should tile; choose a smaller --tile or a larger --size.");
        }
        this.width = width;
        this.height = height;
        this.tile = tile;
        this.stride = stride;
        this.columns = steps(width, tile, stride);
        this.rows = steps(height, tile, stride);
    }

    /** Tiles needed along an axis so that the last one reaches the end (zero-padded past it). */
    private static int steps(int length, int tile, int stride) {
        return 1 + (length - tile + stride - 1) / stride;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int tile() {
        return tile;
    }

    public int stride() {
        return stride;
    }

    public int columns() {
        return columns;
    }

    public int rows() {
        return rows;
    }

    public int count() {
        return columns * rows;
    }

    /** Left edge of tile {@code i}. */
    public int x(int i) {
        return (i % columns) * stride;
    }

    /** Top edge of tile {@code i}. */
    public int y(int i) {
        return (i / columns) * stride;
    }

    /** Width covered by the tiles, image plus zero padding. */
    public int paddedWidth() {
        return (columns - 1) * stride + tile;
    }

    public int paddedHeight() {
        return (rows - 1) * stride + tile;
    }

    /** Tile {@code i} cut from {@code image} (zero where it reaches past the image). */
    public FloatImage crop(PixelSource image, int i) {
        return image.region(x(i), y(i), tile, tile);
    }

    /**
     * Positions inside the image where a tile edge lies between two pixels (not the image border):
     * along x for {@code vertical = true}. Sorted, without duplicates.
     */
    public int[] seams(boolean vertical) {
        int n = vertical ? columns : rows;
        int length = vertical ? width : height;
        java.util.TreeSet<Integer> s = new java.util.TreeSet<>();
        for (int i = 0; i < n; i++) {
            int start = i * stride;
            int end = start + tile;
            if (start > 0 && start < length) {
                s.add(start);
            }
            if (end > 0 && end < length) {
                s.add(end);
            }
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** How many tiles cover each position along x ({@code vertical = true}) or y. */
    public int[] coverage(boolean alongX) {
        int length = alongX ? width : height;
        int n = alongX ? columns : rows;
        int[] c = new int[length];
        for (int i = 0; i < n; i++) {
            int start = i * stride;
            int end = Math.min(length, start + tile);
            for (int p = start; p < end; p++) {
                c[p]++;
            }
        }
        return c;
    }

    @Override
    public String toString() {
        return columns + "x" + rows + " tiles of " + tile + " (stride " + stride + ") on " + width + "x" + height;
    }
}
