package org.anomalyj.model.padim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Random;
import org.junit.Test;

public class MahalanobisTest {
    @Test
    public void symmetricKernelOnAHandComputedCase() {
        // diff = (1, 2), S^-1 = [[2, 1], [1, 3]]: 2*1 + 2*(1*1*2) + 3*4 = 18
        float[] x = {1, 2};
        float[] mean = {0, 0};
        float[] inv = {2, 1, 1, 3};
        float[] tri = PackedSymmetric.ofUpper(inv, 1, 2).data();
        assertEquals(Math.sqrt(18), Mahalanobis.distancePacked(x, 0, mean, 0, tri, 0, 2, new Mahalanobis.Workspace(2)), 1e-6);
        assertEquals(Math.sqrt(18), Mahalanobis.distance(x, 0, mean, 0, inv, 0, 2, new double[2]), 1e-6);
    }

    @Test
    public void symmetricKernelMatchesTheFullProductAtOffsets() {
        Random r = new Random(9);
        for (int d : new int[] {1, 3, 4, 37, 64}) {
            double[] a = new double[d * d];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextGaussian();
            }
            double[] s = new double[d * d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    for (int k = 0; k < d; k++) {
                        s[i * d + j] += a[i * d + k] * a[j * d + k];
                    }
                }
                s[i * d + i] += 0.5;
            }
            double[] invD = Mahalanobis.invert(s, d);
            int positions = 3;
            float[] inv = new float[positions * d * d];
            float[] x = new float[positions * d];
            float[] mean = new float[positions * d];
            for (int p = 0; p < positions; p++) {
                for (int i = 0; i < d * d; i++) {
                    inv[p * d * d + i] = (float) invD[i];
                }
                for (int i = 0; i < d; i++) {
                    x[p * d + i] = (float) r.nextGaussian();
                    mean[p * d + i] = (float) r.nextGaussian();
                }
            }
            PackedSymmetric packed = PackedSymmetric.ofUpper(inv, positions, d);
            for (int p = 0; p < positions; p++) {
                float full = Mahalanobis.distance(x, p * d, mean, p * d, inv, (long) p * d * d, d, new double[d]);
                float half = Mahalanobis.distancePacked(x, p * d, mean, p * d, packed.data(), packed.offset(p), d,
                        new Mahalanobis.Workspace(d));
                assertEquals("d=" + d, full, half, 1e-4 * (1 + full));
            }
        }
    }

    /** A random SPD matrix A A^T / d + 0.5 I (eigenvalues in [0.5, ~4.5]), inverted, as floats. */
    private static float[] randomInverse(Random r, int d) {
        double[] a = new double[d * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        double[] s = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = 0;
                for (int k = 0; k < d; k++) {
                    v += a[i * d + k] * a[j * d + k];
                }
                s[i * d + j] = v / d;
                s[j * d + i] = v / d;
            }
            s[i * d + i] += 0.5;
        }
        double[] inv = Mahalanobis.invert(s, d);
        float[] out = new float[d * d];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) inv[i];
        }
        return out;
    }

    /**
     * The four-rows-at-a-time kernel against the full double-precision product, for every d up to
     * 40 (all remainders of d mod 4 and 8, and the d < 4 paths without a four-row block) and
     * PaDiM's d = 550, at non-zero offsets; one workspace serves all d.
     */
    @Test
    public void workspaceKernelMatchesTheDoubleProductWithin1e5Relative() {
        Random r = new Random(17);
        Mahalanobis.Workspace work = new Mahalanobis.Workspace(550);
        int[] sizes = new int[41];
        for (int d = 1; d <= 40; d++) {
            sizes[d - 1] = d;
        }
        sizes[40] = 550;
        for (int d : sizes) {
            int positions = 2;
            float[] one = randomInverse(r, d);
            float[] inv = new float[positions * d * d + 5];
            float[] x = new float[positions * d + 3];
            float[] mean = new float[positions * d + 1];
            for (int p = 0; p < positions; p++) {
                // the second position gets its own scaled copy, so a wrong offset changes the result
                for (int i = 0; i < d * d; i++) {
                    inv[5 + p * d * d + i] = one[i] * (1 + p);
                }
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (float) (0.3 * r.nextGaussian());
            }
            // the packed triangles, also behind 5 leading values
            float[] packed = PackedSymmetric.ofUpper(java.util.Arrays.copyOfRange(inv, 5, inv.length), positions, d)
                    .data();
            float[] tri = new float[5 + packed.length];
            System.arraycopy(packed, 0, tri, 5, packed.length);
            for (int p = 0; p < positions; p++) {
                long io = 5 + (long) p * d * d;
                float full = Mahalanobis.distance(x, 3 + p * d, mean, 1 + p * d, inv, io, d, new double[d]);
                float fast = Mahalanobis.distancePacked(x, 3 + p * d, mean, 1 + p * d, tri,
                        5 + p * PackedSymmetric.triangle(d), d, work);
                assertTrue("d=" + d, full > 0);
                assertEquals("d=" + d + " p=" + p, full, fast, 1e-5 * full);
            }
        }
    }

    /** Packing keeps each upper triangle row after row; unpacking mirrors it into symmetric matrices. */
    @Test
    public void packedTrianglesHoldTheUpperTrianglesAndUnpackSymmetric() {
        int d = 5;
        int count = 3;
        float[] full = new float[count * d * d];
        for (int p = 0; p < count; p++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    // the lower triangle differs from the upper one, to show it is not read
                    full[p * d * d + i * d + j] = j >= i ? 100 * p + 10 * i + j : -1;
                }
            }
        }
        PackedSymmetric packed = PackedSymmetric.ofUpper(full, count, d);
        assertEquals(15, PackedSymmetric.triangle(d));
        assertEquals(count * 15, packed.data().length);
        for (int p = 0; p < count; p++) {
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    assertEquals(100 * p + 10 * i + j,
                            packed.data()[(int) packed.offset(p) + PackedSymmetric.rowStart(i, d) + j - i], 0f);
                }
            }
        }
        float[] back = packed.unpack();
        for (int p = 0; p < count; p++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(100 * p + 10 * Math.min(i, j) + Math.max(i, j), back[p * d * d + i * d + j], 0f);
                }
            }
        }
    }

    @Test
    public void aWorkspaceTooSmallIsRefused() {
        float[] v = new float[5];
        try {
            Mahalanobis.distancePacked(v, 0, v, 0, new float[15], 0, 5, new Mahalanobis.Workspace(4));
            fail("a workspace for 4 channels was accepted for 5");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("need 5"));
        }
    }
}
