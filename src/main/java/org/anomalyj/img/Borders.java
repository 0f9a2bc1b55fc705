package org.anomalyj.img;

/** Border handling shared by the convolutions (backbone filter bank, anomaly-map blur). */
public final class Borders {
    private Borders() {
    }

    /**
     * Reflect-101 index (the edge sample is not repeated, like OpenCV's BORDER_REFLECT_101 and
     * torch's "reflect" padding), applied as often as needed so that any integer maps into 0..n-1,
     * even when a kernel is wider than the image.
     */
    public static int reflect101(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = i % period;
        if (m < 0) {
            m += period;
        }
        return m < n ? m : period - m;
    }
}
