package org.anomalyj.api;

import java.util.List;
import org.anomalyj.post.AnomalyMap;
import org.anomalyj.post.Region;

/** The verdict on one image, at the image's own resolution. */
public final class Detection {
    private final String name;
    private AnomalyMap map;
    private final java.util.function.Supplier<AnomalyMap> lazyMap;
    private final double score;
    private final double normalizedScore;
    private final boolean anomalous;
    private final List<Region> regions;
    private final StageTimes times;

    public Detection(String name, AnomalyMap map, double score, double normalizedScore, boolean anomalous,
            List<Region> regions, StageTimes times) {
        this(name, map, null, score, normalizedScore, anomalous, regions, times);
    }

    /**
     * A detection whose full-size map is computed only when {@link #map()} is first called (e.g.
     * upsampled from the model's resolution), so results that need only scores and regions never
     * hold an image-sized map.
     */
    public Detection(String name, java.util.function.Supplier<AnomalyMap> map, double score, double normalizedScore,
            boolean anomalous, List<Region> regions, StageTimes times) {
        this(name, null, map, score, normalizedScore, anomalous, regions, times);
    }

    private Detection(String name, AnomalyMap map, java.util.function.Supplier<AnomalyMap> lazyMap, double score,
            double normalizedScore, boolean anomalous, List<Region> regions, StageTimes times) {
        this.name = name;
        this.map = map;
        this.lazyMap = lazyMap;
        this.score = score;
        this.normalizedScore = normalizedScore;
        this.anomalous = anomalous;
        this.regions = regions;
        this.times = times;
    }

    public String name() {
        return name;
    }

    /** Raw anomaly scores resized to the input image's size (computed on first use, then kept). */
    public synchronized AnomalyMap map() {
        if (map == null) {
            map = lazyMap.get();
        }
        return map;
    }

    public double score() {
        return score;
    }

    /** Image score normalised to 0..1 with the calibrated threshold at 0.5. */
    public double normalizedScore() {
        return normalizedScore;
    }

    public boolean anomalous() {
        return anomalous;
    }

    /** Connected regions of the map above the pixel threshold, highest first. */
    public List<Region> regions() {
        return regions;
    }

    public StageTimes times() {
        return times;
    }

    public long totalRegionArea() {
        long a = 0;
        for (Region r : regions) {
            a += r.area();
        }
        return a;
    }
}
