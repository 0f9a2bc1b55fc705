package org.anomalyj.img;

/** A plane read one row at a time, e.g. an anomaly map upsampled on the fly so the full-size plane never exists. */
public interface RowSource {
    int width();

    int height();

    /** Copies row {@code y} into {@code dst[0 .. width)}. */
    void row(int y, float[] dst);

    /** A row-major {@code w x h} plane as a row source. */
    static RowSource of(float[] plane, int w, int h) {
        if (w <= 0 || h <= 0 || (long) w * h != plane.length) {
            throw new IllegalArgumentException("plane of " + plane.length + " values is not " + w + "x" + h);
        }
        return new RowSource() {
            @Override
            public int width() {
                return w;
            }

            @Override
            public int height() {
                return h;
            }

            @Override
            public void row(int y, float[] dst) {
                System.arraycopy(plane, y * w, dst, 0, w);
            }
        };
    }
}
