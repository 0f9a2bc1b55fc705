package org.anomalyj.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one benchmark run measured: per-image stage times at batch 1, the backbone alone on the
 * same images in the same run, throughput per batch size, and (filled in by the caller) fit time
 * and memory. All times in milliseconds.
 */
public final class BenchResult {
    /** One batch size's throughput, or why it could not run. */
    public static final class Throughput {
        public final int batch;
        public final double imagesPerSecond;
        public final String error;

        public Throughput(int batch, double imagesPerSecond, String error) {
            this.batch = batch;
            this.imagesPerSecond = imagesPerSecond;
            this.error = error;
        }
    }

    final Map<Stage, double[]> stageMs = new EnumMap<>(Stage.class);
    double[] totalMs = new double[0];
    double[] backboneOnlyMs = new double[0];
    final List<Throughput> throughput = new ArrayList<>();
    int warmup;
    /**
     * Wall time of the very first detection (ms): one-time setup (search sessions, lazily built
     * indexes) and uncompiled Java code; what a user's first image costs.
     */
    double firstImageMs = Double.NaN;
    String batchNote;

    /** Fit wall time in seconds, or NaN when a saved model was benchmarked. */
    public double fitSeconds = Double.NaN;
    /** Largest live heap while fitting (MB), or NaN. */
    public double fitPeakHeapMb = Double.NaN;
    /** Largest live heap while detecting (MB), or NaN. */
    public double peakHeapMb = Double.NaN;
    /** Peak resident set of the whole process (MB), or NaN where unknown. */
    public double peakRssMb = Double.NaN;
    /** Describes the model benchmarked (method, backbone, geometry, ...). */
    public JsonObject model = new JsonObject();
    /** Free-form settings of the run (threads, data, load average...). */
    public JsonObject settings = new JsonObject();

    public int images() {
        return totalMs.length;
    }

    public Percentiles stage(Stage s) {
        return new Percentiles(stageMs.getOrDefault(s, new double[0]));
    }

    public Percentiles total() {
        return new Percentiles(totalMs);
    }

    public Percentiles backboneOnly() {
        return new Percentiles(backboneOnlyMs);
    }

    /** Median end-to-end time over median backbone-only time. */
    public double ratioEndToEndVsBackbone() {
        return total().median() / backboneOnly().median();
    }

    public List<Throughput> throughput() {
        return throughput;
    }

    /** The batch size with the highest throughput, or null when none ran. */
    public Throughput best() {
        Throughput best = null;
        for (Throughput t : throughput) {
            if (t.error == null && (best == null || t.imagesPerSecond > best.imagesPerSecond)) {
                best = t;
            }
        }
        return best;
    }

    private Throughput batchOne() {
        for (Throughput t : throughput) {
            if (t.batch == 1 && t.error == null) {
                return t;
            }
        }
        return null;
    }

    private static void put(JsonObject o, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.add(key, JsonNull.INSTANCE);
        } else {
            o.addProperty(key, Math.round(v * 1000) / 1000.0);
        }
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.add("model", model);
        o.add("settings", settings);
        o.addProperty("images", images());
        o.addProperty("warmup_images", warmup);
        put(o, "first_image_ms", firstImageMs);
        JsonObject stages = new JsonObject();
        for (Stage s : Stage.values()) {
            Percentiles p = stage(s);
            JsonObject st = new JsonObject();
            put(st, "ms_p50", p.median());
            put(st, "ms_p95", p.p95());
            put(st, "ms_mean", p.mean());
            stages.add(s.id(), st);
        }
        o.add("stages", stages);
        Percentiles t = total();
        Percentiles b = backboneOnly();
        put(o, "end_to_end_ms_p50", t.median());
        put(o, "end_to_end_ms_p95", t.p95());
        put(o, "end_to_end_ms_mean", t.mean());
        put(o, "backbone_ms_p50", b.median());
        put(o, "backbone_ms_p95", b.p95());
        put(o, "backbone_ms_mean", b.mean());
        put(o, "ratio_end_to_end_vs_backbone", ratioEndToEndVsBackbone());
        JsonArray tp = new JsonArray();
        for (Throughput x : throughput) {
            JsonObject e = new JsonObject();
            e.addProperty("batch", x.batch);
            put(e, "images_per_second", x.imagesPerSecond);
            if (x.error != null) {
                e.addProperty("error", x.error);
            }
            tp.add(e);
        }
        o.add("throughput", tp);
        Throughput best = best();
        Throughput one = batchOne();
        o.addProperty("best_batch", best == null ? 0 : best.batch);
        put(o, "best_images_per_second", best == null ? Double.NaN : best.imagesPerSecond);
        put(o, "throughput_gain_vs_batch1", best == null || one == null ? Double.NaN
                : best.imagesPerSecond / one.imagesPerSecond);
        if (batchNote != null) {
            o.addProperty("batch_note", batchNote);
        }
        put(o, "fit_seconds", fitSeconds);
        put(o, "fit_peak_heap_mb", fitPeakHeapMb);
        put(o, "peak_heap_mb", peakHeapMb);
        put(o, "peak_rss_mb", peakRssMb);
        return o;
    }

    /** A plain-text table for the terminal. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-14s %10s %10s %10s%n", "stage", "p50 ms", "p95 ms", "mean ms"));
        for (Stage s : Stage.values()) {
            Percentiles p = stage(s);
            b.append(String.format(Locale.ROOT, "%-14s %10.2f %10.2f %10.2f%n", s.id(), p.median(), p.p95(), p.mean()));
        }
        Percentiles t = total();
        Percentiles bb = backboneOnly();
        b.append(String.format(Locale.ROOT, "%-14s %10.2f %10.2f %10.2f%n", "end-to-end", t.median(), t.p95(), t.mean()));
        b.append(String.format(Locale.ROOT, "%-14s %10.2f %10.2f %10.2f%n", "backbone only", bb.median(), bb.p95(),
                bb.mean()));
        b.append(String.format(Locale.ROOT, "ratio end-to-end / backbone-only (p50): %.2f  (%d images, %d warm-up)%n",
                ratioEndToEndVsBackbone(), images(), warmup));
        b.append(String.format(Locale.ROOT, "first image (setup, code not yet compiled): %.2f ms%n", firstImageMs));
        for (Throughput x : throughput) {
            if (x.error == null) {
                b.append(String.format(Locale.ROOT, "batch %2d: %.2f images/s%n", x.batch, x.imagesPerSecond));
            } else {
                b.append(String.format(Locale.ROOT, "batch %2d: not run (%s)%n", x.batch, x.error));
            }
        }
        if (batchNote != null) {
            b.append(batchNote).append('\n');
        }
        b.append(String.format(Locale.ROOT, "fit %.1f s, fit peak heap %.0f MB, detect peak heap %.0f MB, peak RSS %.0f MB%n",
                fitSeconds, fitPeakHeapMb, peakHeapMb, peakRssMb));
        return b.toString();
    }
}
