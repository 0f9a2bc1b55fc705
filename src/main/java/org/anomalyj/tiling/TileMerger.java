package org.anomalyj.tiling;

/**
 * Places tile anomaly maps back on the image and averages them pixel-wise where tiles overlap;
 * the zero-padded part of edge tiles is dropped. Holds one image-sized plane.
 */
public final class TileMerger {
    private final TileGrid grid;
    private final float[] sum;

    public TileMerger(TileGrid grid) {
        this.grid = grid;
        this.sum = new float[Math.multiplyExact(grid.width(), grid.height())];
    }

    /** Adds tile {@code i}'s {@code tile x tile} map (row-major). */
    public void add(int i, float[] tileMap) {
        int t = grid.tile();
        if (tileMap.length != t * t) {
            throw new IllegalArgumentException("tile map of " + tileMap.length + " values is not " + t + "x" + t);
        }
        int w = grid.width();
        int x0 = grid.x(i);
        int y0 = grid.y(i);
        int cols = Math.min(t, w - x0);
        int rows = Math.min(t, grid.height() - y0);
        for (int r = 0; r < rows; r++) {
            int dst = (y0 + r) * w + x0;
            int src = r * t;
            for (int c = 0; c < cols; c++) {
                sum[dst + c] += tileMap[src + c];
            }
        }
    }

    /**
     * The merged map: every pixel divided by the number of tiles covering it. Call once, after all
     * tiles were added; the returned array is this merger's plane.
     */
    public float[] average() {
        int w = grid.width();
        int[] cx = grid.coverage(true);
        int[] cy = grid.coverage(false);
        float[] inverseX = new float[w];
        for (int x = 0; x < w; x++) {
            inverseX[x] = 1f / cx[x];
        }
        for (int y = 0; y < grid.height(); y++) {
            float fy = 1f / cy[y];
            int row = y * w;
            for (int x = 0; x < w; x++) {
                sum[row + x] *= inverseX[x] * fy;
            }
        }
        return sum;
    }
}
