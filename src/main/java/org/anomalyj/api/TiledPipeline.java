package org.anomalyj.api;

import java.util.ArrayList;
import java.util.List;
import org.anomalyj.AnomalyJException;
import org.anomalyj.backbone.FeatureExtractor;
import org.anomalyj.img.FloatImage;
import org.anomalyj.img.PixelSource;
import org.anomalyj.img.Resize;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.post.AnomalyMap;
import org.anomalyj.tiling.SeamSmoother;
import org.anomalyj.tiling.TileGrid;
import org.anomalyj.tiling.TileMerger;
import org.anomalyj.tiling.TileStandardization;
import org.anomalyj.tiling.Tiling;
import org.anomalyj.tiling.TilingMode;

/**
 * Scores an image tile by tile: the image is resized to the model's geometry (or kept at its own
 * size for native models), each tile is scored by its location's model (ENS) or the shared model
 * (ST) exactly as a single model scores a whole image, the tile maps are averaged where they
 * overlap, seams are smoothed, and the image score combines the tile scores.
 *
 * <p>Tiles are cut from the image one at a time, so besides the merged map only one tile's
 * tensors are held; a large image opened with {@code ImageReader.open} is never converted to one
 * float copy.
 */
public final class TiledPipeline implements ImageScorer {
    private final Tiling tiling;
    private final int width;
    private final int height;
    private final double blurSigma;
    private final List<InferencePipeline> tiles = new ArrayList<>();
    private final TileStandardization standardization;

    /**
     * @param models one per tile location (ENS) or one shared model (ST)
     * @param width  geometry the image is resized to, or 0 to tile the image at its own size
     */
    public TiledPipeline(FeatureExtractor extractor, List<AnomalyModel> models, Tiling tiling, int width, int height,
            double blurSigma) {
        this(extractor, models, tiling, width, height, blurSigma, null);
    }

    /** @param standardization per-location map and score statistics applied before merging, or null */
    public TiledPipeline(FeatureExtractor extractor, List<AnomalyModel> models, Tiling tiling, int width, int height,
            double blurSigma, TileStandardization standardization) {
        this.standardization = standardization;
        if (!tiling.tiled()) {
            throw new IllegalArgumentException("not a tiled model: " + tiling);
        }
        this.tiling = tiling;
        this.width = width;
        this.height = height;
        this.blurSigma = blurSigma;
        for (AnomalyModel m : models) {
            tiles.add(new InferencePipeline(extractor, m, tiling.tile(), blurSigma));
        }
        if (tiling.mode() == TilingMode.ENS && width > 0 && tiling.grid(width, height).count() != models.size()) {
            throw new AnomalyJException("The tiled ensemble has " + models.size() + " models but its "
                    + tiling.grid(width, height) + " needs " + tiling.grid(width, height).count() + "; retrain the model.");
        }
        if (tiling.mode() == TilingMode.ST && models.size() != 1) {
            throw new IllegalArgumentException("ST tiling uses one model, got " + models.size());
        }
    }

    /** The image as the tiles are cut from it: resized to the model's geometry when it has one. */
    public PixelSource geometry(PixelSource image) {
        return resizeTo(image, width, height);
    }

    /** {@code image} resized to {@code width x height}; unchanged when it has that size or width is 0 (native). */
    static PixelSource resizeTo(PixelSource image, int width, int height) {
        if (width <= 0 || (image.width() == width && image.height() == height)) {
            return image;
        }
        return Resize.bilinear(image, width, height);
    }

    @Override
    public Prediction predict(PixelSource image) {
        long t0 = System.nanoTime();
        PixelSource src = geometry(image);
        if (src.width() < tiling.tile() || src.height() < tiling.tile()) {
            throw new AnomalyJException("The image is " + src.width() + " x " + src.height() + " pixels, smaller than the model's "
                    + tiling.tile() + "-pixel tiles; use images at least that large, or a model trained with a smaller --tile.");
        }
        TileGrid grid = tiling.grid(src.width(), src.height());
        TileMerger merger = new TileMerger(grid);
        double[] scores = new double[grid.count()];
        long pre = System.nanoTime() - t0;
        long backbone = 0;
        long head = 0;
        long post = 0;
        for (int i = 0; i < grid.count(); i++) {
            long c0 = System.nanoTime();
            FloatImage crop = grid.crop(src, i);
            pre += System.nanoTime() - c0;
            Prediction p = tiles.get(tiles.size() == 1 ? 0 : i).predict(crop);
            long m0 = System.nanoTime();
            scores[i] = p.score();
            if (standardization != null) {
                standardization.applyToMap(i, p.map().values());
                scores[i] = standardization.applyToScore(i, p.score());
            }
            merger.add(i, p.map().values());
            pre += p.times().preprocessNanos;
            backbone += p.times().backboneNanos;
            head += p.times().headNanos;
            post += p.times().postNanos + System.nanoTime() - m0;
        }
        long s0 = System.nanoTime();
        float[] merged = merger.average();
        SeamSmoother.smooth(merged, grid, tiling.seamBandPixels(), blurSigma);
        double score = tiling.score().combine(scores);
        post += System.nanoTime() - s0;
        return new Prediction(new AnomalyMap(grid.width(), grid.height(), merged), score,
                new StageTimes(pre, backbone, head, post));
    }

    /**
     * Runs tile {@code location} alone on an image (resized to the geometry): what the location's
     * model says before merging, for per-location statistics.
     */
    public Prediction predictTile(PixelSource image, int location) {
        PixelSource src = geometry(image);
        TileGrid grid = tiling.grid(src.width(), src.height());
        FloatImage crop = grid.crop(src, location);
        return tiles.get(tiles.size() == 1 ? 0 : location).predict(crop);
    }

    public Tiling tiling() {
        return tiling;
    }
}
