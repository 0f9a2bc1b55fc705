package org.anomalyj.api;

/** Nanoseconds spent in each stage of one prediction (for progress reports and benchmarks). */
public final class StageTimes {
    public final long preprocessNanos;
    public final long backboneNanos;
    public final long headNanos;
    public final long postNanos;

    public StageTimes(long preprocessNanos, long backboneNanos, long headNanos, long postNanos) {
        this.preprocessNanos = preprocessNanos;
        this.backboneNanos = backboneNanos;
        this.headNanos = headNanos;
        this.postNanos = postNanos;
    }

    public long totalNanos() {
        return preprocessNanos + backboneNanos + headNanos + postNanos;
    }
}
