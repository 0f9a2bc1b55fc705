package org.anomalyj.model.padim;

import java.util.stream.IntStream;

/**
 * Streaming per-position Gaussian estimate: sums and sums of outer products (upper triangle, in
 * double) of d-dimensional vectors at P positions. Values are accumulated relative to the first
 * sample at each position (a shift that keeps the covariance exact but avoids the cancellation of
 * large means). The final estimate is the unbiased covariance (divide by n - 1), as anomalib.
 */
public final class Gaussians {
    private final int positions;
    private final int d;
    private final int tri;
    private final double[] shift;
    private final double[] sum;
    private final double[] outer;
    private int n;

    public Gaussians(int positions, int d) {
        this.positions = positions;
        this.d = d;
        this.tri = d * (d + 1) / 2;
        this.shift = new double[positions * d];
        this.sum = new double[positions * d];
        this.outer = new double[Math.multiplyExact(positions, tri)];
    }

    /** Adds one image's vectors: {@code x[pos * d + i]}. */
    public void add(float[] x) {
        if (n == 0) {
            for (int i = 0; i < shift.length; i++) {
                shift[i] = x[i];
            }
        }
        IntStream.range(0, positions).parallel().forEach(p -> {
            double[] v = new double[d];
            int o = p * d;
            for (int i = 0; i < d; i++) {
                v[i] = x[o + i] - shift[o + i];
                sum[o + i] += v[i];
            }
            int t = p * tri;
            for (int i = 0; i < d; i++) {
                double vi = v[i];
                for (int j = i; j < d; j++) {
                    outer[t++] += vi * v[j];
                }
            }
        });
        n++;
    }

    public int count() {
        return n;
    }

    /** Means {@code [P, d]} as float. */
    public float[] mean() {
        float[] m = new float[positions * d];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) (shift[i] + sum[i] / n);
        }
        return m;
    }

    /** Unbiased covariance of position p plus {@code epsilon * I}, full d x d row-major. */
    public double[] covariance(int p, double epsilon) {
        if (n < 2) {
            throw new IllegalStateException("covariance needs at least 2 samples");
        }
        double[] c = new double[d * d];
        int o = p * d;
        int t = p * tri;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = (outer[t++] - sum[o + i] * sum[o + j] / n) / (n - 1);
                c[i * d + j] = v;
                c[j * d + i] = v;
            }
            c[i * d + i] += epsilon;
        }
        return c;
    }
}
