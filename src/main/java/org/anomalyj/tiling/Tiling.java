package org.anomalyj.tiling;

import com.google.gson.JsonObject;
import org.anomalyj.AnomalyJException;

/**
 * How a model splits its input: mode, tile size and stride, the seam band that is smoothed after
 * merging (a fraction of the tile width on each side of a seam) and how tile scores combine.
 * Immutable value type; {@link #SINGLE} is the untiled single model.
 */
public final class Tiling {
    public static final double DEFAULT_SEAM_BAND = 0.1;
    public static final Tiling SINGLE = new Tiling(TilingMode.SM, 0, 0, DEFAULT_SEAM_BAND, TileScore.MEAN);

    private final TilingMode mode;
    private final int tile;
    private final int stride;
    private final double seamBand;
    private final TileScore score;

    public Tiling(TilingMode mode, int tile, int stride, double seamBand, TileScore score) {
        this.mode = mode;
        this.tile = tile;
        this.stride = stride;
        this.seamBand = seamBand;
        this.score = score;
        if (mode != TilingMode.SM) {
            if (tile < 16) {
                throw new AnomalyJException("Tiling " + mode.id() + " needs a tile size (--tile) of at least 16 pixels, e.g. 256.");
            }
            if (stride <= 0 || stride > tile) {
                throw new AnomalyJException("Tile stride " + stride + " must be between 1 and the tile size " + tile
                        + " (stride = tile: no overlap; stride = tile/2: half-overlapping tiles).");
            }
        }
        if (!(seamBand >= 0 && seamBand <= 0.5)) {
            throw new AnomalyJException("Seam band " + seamBand + " must be between 0 (no seam smoothing) and 0.5 of the tile width (default 0.1).");
        }
    }

    public boolean tiled() {
        return mode != TilingMode.SM;
    }

    public TilingMode mode() {
        return mode;
    }

    public int tile() {
        return tile;
    }

    public int stride() {
        return stride;
    }

    public double seamBand() {
        return seamBand;
    }

    public TileScore score() {
        return score;
    }

    /** The grid over an image of this size (checks that the tile fits). */
    public TileGrid grid(int width, int height) {
        return new TileGrid(width, height, tile, stride);
    }

    /** Half-width of the smoothed band around each seam, in pixels. */
    public int seamBandPixels() {
        return (int) Math.round(seamBand * tile);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("mode", mode.id());
        if (tiled()) {
            o.addProperty("tile", tile);
            o.addProperty("stride", stride);
            o.addProperty("seam_band", seamBand);
            o.addProperty("tile_score", score.id());
        }
        return o;
    }

    /** Reads {@link #toJson()}; null (bundles before tiling existed) is {@link #SINGLE}. */
    public static Tiling fromJson(JsonObject o) {
        if (o == null) {
            return SINGLE;
        }
        TilingMode mode = TilingMode.parse(o.get("mode").getAsString());
        if (mode == TilingMode.SM) {
            return SINGLE;
        }
        return new Tiling(mode, o.get("tile").getAsInt(), o.get("stride").getAsInt(),
                o.has("seam_band") ? o.get("seam_band").getAsDouble() : DEFAULT_SEAM_BAND,
                o.has("tile_score") ? TileScore.parse(o.get("tile_score").getAsString()) : TileScore.MEAN);
    }

    @Override
    public String toString() {
        return tiled() ? mode.id() + " tile " + tile + " stride " + stride : "sm";
    }
}
