package org.anomalyj.post;

/**
 * One connected anomalous region: its bounding box in map pixels, size and scores. The peak is
 * the first pixel (in row-major order) holding {@link #maxScore()}.
 */
public final class Region {
    private final int x;
    private final int y;
    private final int width;
    private final int height;
    private final long area;
    private final float maxScore;
    private final float meanScore;
    private final int peakX;
    private final int peakY;

    public Region(int x, int y, int width, int height, long area, float maxScore, float meanScore, int peakX, int peakY) {
        this.x = x;
        this.y = y;
        this.width = width;
        this.height = height;
        this.area = area;
        this.maxScore = maxScore;
        this.meanScore = meanScore;
        this.peakX = peakX;
        this.peakY = peakY;
    }

    /** Left edge of the bounding box. */
    public int x() {
        return x;
    }

    /** Top edge of the bounding box. */
    public int y() {
        return y;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Number of pixels in the region (not the box). */
    public long area() {
        return area;
    }

    public float maxScore() {
        return maxScore;
    }

    public float meanScore() {
        return meanScore;
    }

    public int peakX() {
        return peakX;
    }

    public int peakY() {
        return peakY;
    }

    @Override
    public String toString() {
        return "Region[x=" + x + ", y=" + y + ", w=" + width + ", h=" + height + ", area=" + area
                + ", max=" + maxScore + ", mean=" + meanScore + "]";
    }
}
