package org.anomalyj.onnx;

import static org.junit.Assert.assertEquals;

import java.util.Random;
import org.junit.Test;

/** ONNX Runtime's products against plain double sums, on odd shapes and from several threads. */
public class MatrixProductTest {

    @Test
    public void productsEqualPlainSumsUpToFloatRounding() throws Exception {
        Random r = new Random(9);
        int[][] shapes = {{1, 1, 1}, {7, 13, 5}, {300, 97, 33}, {64, 1536, 256}};
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            float[] a = random(r, m * k);
            float[] b = random(r, k * n);
            float[] c = MatrixProduct.multiply(a, m, k, b, n);
            assertEquals(m * n, c.length);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double magnitude = 0;
                    for (int t = 0; t < k; t++) {
                        sum += (double) a[i * k + t] * b[t * n + j];
                        magnitude += Math.abs((double) a[i * k + t] * b[t * n + j]);
                    }
                    assertEquals(m + "x" + k + "x" + n + " at " + i + "," + j, sum, c[i * n + j], 1e-6 * (1 + magnitude));
                }
            }
        }
    }

    @Test
    public void concurrentProductsDoNotMix() throws Exception {
        Random r = new Random(4);
        float[] a = random(r, 50 * 40);
        float[] b = random(r, 40 * 30);
        float[] expected = MatrixProduct.multiply(a, 50, 40, b, 30);
        java.util.stream.IntStream.range(0, 16).parallel().forEach(t -> {
            try {
                float[] c = MatrixProduct.multiply(a, 50, 40, b, 30);
                for (int i = 0; i < c.length; i++) {
                    assertEquals(expected[i], c[i], 0f);
                }
            } catch (ai.onnxruntime.OrtException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test(expected = IllegalArgumentException.class)
    public void mismatchedShapesAreRefused() throws Exception {
        MatrixProduct.multiply(new float[6], 2, 3, new float[6], 3);
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
