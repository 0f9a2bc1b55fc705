package org.anomalyj.tiling;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Per tile location, the mean and standard deviation of its model's anomaly map values and tile
 * scores on held-out good images. Each tile model measures distances on its own scale; mapping
 * every location to "standard deviations above its own normal" before merging keeps one
 * location's larger distances from looking like defects next to another's.
 */
public final class TileStandardization {
    private final float[] mapMean;
    private final float[] mapStd;
    private final double[] scoreMean;
    private final double[] scoreStd;

    public TileStandardization(float[] mapMean, float[] mapStd, double[] scoreMean, double[] scoreStd) {
        this.mapMean = mapMean;
        this.mapStd = mapStd;
        this.scoreMean = scoreMean;
        this.scoreStd = scoreStd;
    }

    /** Accumulates statistics location by location. */
    public static final class Builder {
        private final double[] sum;
        private final double[] sumSq;
        private final long[] count;
        private final double[] sSum;
        private final double[] sSumSq;
        private final long[] sCount;

        public Builder(int locations) {
            sum = new double[locations];
            sumSq = new double[locations];
            count = new long[locations];
            sSum = new double[locations];
            sSumSq = new double[locations];
            sCount = new long[locations];
        }

        public synchronized void add(int location, float[] map, double score) {
            double s = 0;
            double q = 0;
            for (float v : map) {
                s += v;
                q += (double) v * v;
            }
            sum[location] += s;
            sumSq[location] += q;
            count[location] += map.length;
            sSum[location] += score;
            sSumSq[location] += score * score;
            sCount[location]++;
        }

        public TileStandardization build() {
            int n = sum.length;
            float[] mm = new float[n];
            float[] ms = new float[n];
            double[] sm = new double[n];
            double[] ss = new double[n];
            for (int i = 0; i < n; i++) {
                double m = sum[i] / Math.max(1, count[i]);
                mm[i] = (float) m;
                ms[i] = (float) std(sumSq[i] / Math.max(1, count[i]) - m * m, m);
                double k = sSum[i] / Math.max(1, sCount[i]);
                sm[i] = k;
                ss[i] = std(sSumSq[i] / Math.max(1, sCount[i]) - k * k, k);
            }
            return new TileStandardization(mm, ms, sm, ss);
        }

        /** A positive spread: the standard deviation, floored so one constant location cannot divide by zero. */
        private static double std(double variance, double mean) {
            return Math.max(Math.sqrt(Math.max(0, variance)), 1e-6 * Math.max(1, Math.abs(mean)));
        }
    }

    public int locations() {
        return mapMean.length;
    }

    /** Standardises tile {@code location}'s map in place. */
    public void applyToMap(int location, float[] map) {
        float m = mapMean[location];
        float inv = 1f / mapStd[location];
        for (int i = 0; i < map.length; i++) {
            map[i] = (map[i] - m) * inv;
        }
    }

    /**
     * A tile score in the same units as the standardised map: standard deviations of the
     * location's held-out map values above their mean. (The spread of tile scores themselves is
     * estimated from only as many values as there are held-out images, too few to divide by.)
     */
    public double applyToScore(int location, double score) {
        return (score - mapMean[location]) / mapStd[location];
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.add("map_mean", array(mapMean));
        o.add("map_std", array(mapStd));
        JsonArray a = new JsonArray();
        JsonArray b = new JsonArray();
        for (int i = 0; i < scoreMean.length; i++) {
            a.add(scoreMean[i]);
            b.add(scoreStd[i]);
        }
        o.add("score_mean", a);
        o.add("score_std", b);
        return o;
    }

    private static JsonArray array(float[] v) {
        JsonArray a = new JsonArray();
        for (float x : v) {
            a.add(x);
        }
        return a;
    }

    public static TileStandardization fromJson(JsonObject o) {
        JsonArray mm = o.getAsJsonArray("map_mean");
        int n = mm.size();
        float[] a = new float[n];
        float[] b = new float[n];
        double[] c = new double[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = mm.get(i).getAsFloat();
            b[i] = o.getAsJsonArray("map_std").get(i).getAsFloat();
            c[i] = o.getAsJsonArray("score_mean").get(i).getAsDouble();
            d[i] = o.getAsJsonArray("score_std").get(i).getAsDouble();
        }
        return new TileStandardization(a, b, c, d);
    }
}
