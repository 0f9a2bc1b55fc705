package org.anomalyj.model.patchcore;

import static org.junit.Assert.assertEquals;

import java.util.Random;
import org.junit.Test;

public class NearestNeighboursTest {

    @Test
    public void matchesBruteForce() {
        Random r = new Random(3);
        // sizes not multiples of the tile or query block, odd dimension
        int m = 700;
        int dim = 37;
        int n = 123;
        float[] bank = new float[m * dim];
        for (int i = 0; i < bank.length; i++) {
            bank[i] = (float) r.nextGaussian();
        }
        float[] q = new float[n * dim];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) (r.nextGaussian() * 1.2 + 0.3);
        }
        NearestNeighbours nn = new NearestNeighbours(bank, m, dim);
        int k = 5;
        int[] idx = new int[n * k];
        float[] dist = new float[n * k];
        nn.kNearest(q, n, k, idx, dist);
        int[] one = new int[n];
        float[] oneDist = new float[n];
        nn.nearest(q, n, one, oneDist);
        for (int a = 0; a < n; a++) {
            double[] d = new double[m];
            for (int b = 0; b < m; b++) {
                double s = 0;
                for (int c = 0; c < dim; c++) {
                    double t = q[a * dim + c] - bank[b * dim + c];
                    s += t * t;
                }
                d[b] = Math.sqrt(s);
            }
            boolean[] used = new boolean[m];
            for (int i = 0; i < k; i++) {
                int best = -1;
                for (int b = 0; b < m; b++) {
                    if (!used[b] && (best < 0 || d[b] < d[best])) {
                        best = b;
                    }
                }
                used[best] = true;
                assertEquals("query " + a + " rank " + i, best, idx[a * k + i]);
                assertEquals(d[best], dist[a * k + i], 1e-4 * d[best]);
            }
            assertEquals(idx[a * k], one[a]);
            assertEquals(dist[a * k], oneDist[a], 0f);
        }
    }

    @Test
    public void exactMatchHasDistanceZero() {
        Random r = new Random(4);
        int m = 300;
        int dim = 64;
        float[] bank = new float[m * dim];
        for (int i = 0; i < bank.length; i++) {
            bank[i] = (float) (r.nextGaussian() * 50 + 100); // large norms: cancellation in |q|^2+|m|^2-2qm
        }
        NearestNeighbours nn = new NearestNeighbours(bank, m, dim);
        float[] q = new float[3 * dim];
        System.arraycopy(bank, 17 * dim, q, 0, dim);
        System.arraycopy(bank, 250 * dim, q, dim, dim);
        System.arraycopy(bank, 299 * dim, q, 2 * dim, dim);
        int[] idx = new int[3];
        float[] dist = new float[3];
        nn.nearest(q, 3, idx, dist);
        assertEquals(17, idx[0]);
        assertEquals(250, idx[1]);
        assertEquals(299, idx[2]);
        assertEquals(0f, dist[0], 0f);
        assertEquals(0f, dist[2], 0f);
    }
}
