package org.anomalyj.model.patchcore;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Random;
import org.junit.Test;

public class ProjectedBankSearchTest {
    /** Points near a 12-dimensional subspace of a 384-dimensional space, plus small isotropic noise. */
    private static float[] lowRank(Random r, float[][] directions, int n, int dim, double noise) {
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            for (float[] d : directions) {
                double a = r.nextGaussian() * 3;
                for (int k = 0; k < dim; k++) {
                    x[i * dim + k] += (float) (a * d[k]);
                }
            }
            for (int k = 0; k < dim; k++) {
                x[i * dim + k] += (float) (r.nextGaussian() * noise);
            }
        }
        return x;
    }

    private static float[][] directions(Random r, int count, int dim) {
        float[][] d = new float[count][dim];
        for (float[] v : d) {
            for (int k = 0; k < dim; k++) {
                v[k] = (float) r.nextGaussian();
            }
        }
        return d;
    }

    @Test
    public void basisIsOrthonormal() throws Exception {
        Random r = new Random(3);
        int dim = 64;
        int rank = 8;
        float[] bank = lowRank(r, directions(r, 5, dim), 300, dim, 0.1);
        float[][] q = ProjectedBankSearch.principalBasis(bank, 300, dim, new float[dim], rank, new Random(1));
        for (int a = 0; a < rank; a++) {
            for (int b = 0; b < rank; b++) {
                double dot = 0;
                for (int k = 0; k < dim; k++) {
                    dot += (double) q[k][a] * q[k][b];
                }
                assertEquals(a + "," + b, a == b ? 1.0 : 0.0, dot, 1e-4);
            }
        }
    }

    @Test
    public void findsTheExactNeighbourOnLowRankDataAndNeverReportsLess() throws Exception {
        // the subspace holds nearly all the variance: candidates contain the true neighbour
        searchLowRankData(false, 0.98);
    }

    @Test
    public void eightBitRankingFindsNearlyAllExactNeighboursAndReportsTrueDistances() throws Exception {
        LowRankSearch s = searchLowRankData(true, 0.97);
        // with every entry a candidate, the approximate ranking does not matter: exact search
        int n = s.exactIndex.length;
        float[] fd = new float[n];
        new ProjectedBankSearch(s.exact, 24, s.exact.size(), false, 42, 2, true).nearest(s.queries, n, new int[n], fd);
        for (int q = 0; q < n; q++) {
            assertEquals(s.exactDistance[q], fd[q], 1e-4 * (1 + s.exactDistance[q]));
        }
    }

    /** A low-rank bank, its exact nearest neighbours of some queries, and the queries. */
    private static final class LowRankSearch {
        NearestNeighbours exact;
        float[] queries;
        int[] exactIndex;
        float[] exactDistance;
    }

    /**
     * Searches 400 queries near a 12-dimensional subspace of 384 dimensions with 8 candidates from
     * a rank-24 subspace: every reported distance is the true one to the reported entry, never
     * below the nearest, and at least {@code minRecall} of the winners are the exact ones.
     */
    private static LowRankSearch searchLowRankData(boolean eightBit, double minRecall) throws Exception {
        Random r = new Random(7);
        int dim = 384;
        int size = 1500;
        int n = 400;
        float[][] dirs = directions(r, 12, dim);
        LowRankSearch s = new LowRankSearch();
        s.exact = new NearestNeighbours(lowRank(r, dirs, size, dim, 0.05), size, dim);
        s.queries = lowRank(r, dirs, n, dim, 0.05);
        s.exactIndex = new int[n];
        s.exactDistance = new float[n];
        s.exact.nearest(s.queries, n, s.exactIndex, s.exactDistance);
        int[] fi = new int[n];
        float[] fd = new float[n];
        new ProjectedBankSearch(s.exact, 24, 8, false, 42, 1, eightBit).nearest(s.queries, n, fi, fd);
        int same = 0;
        for (int q = 0; q < n; q++) {
            float nearest = s.exactDistance[q];
            assertEquals(s.exact.distance(s.queries, q * dim, fi[q]), fd[q], 1e-4 * (1 + fd[q]));
            assertTrue("a candidate cannot be nearer than the nearest", fd[q] >= nearest - 1e-4f * (1 + nearest));
            same += fi[q] == s.exactIndex[q] ? 1 : 0;
        }
        assertTrue("recall " + same + "/" + n, same >= n * minRecall);
        return s;
    }

    @Test
    public void eightBitRankingRefusesToCertify() throws Exception {
        Random r = new Random(3);
        int dim = 64;
        int size = 200;
        NearestNeighbours index = new NearestNeighbours(lowRank(r, directions(r, 8, dim), size, dim, 0.1), size, dim);
        try {
            new ProjectedBankSearch(index, 16, 8, true, 42, 1, true);
            fail("two passes exist only to certify");
        } catch (IllegalArgumentException expected) {
            // as documented
        }
        ProjectedBankSearch eightBit = new ProjectedBankSearch(index, 16, 8, false, 42, 1, true);
        try {
            eightBit.nearest(index.bank(), 10, new int[10], new float[10], true);
            fail("approximate products prove nothing");
        } catch (IllegalStateException expected) {
            // as documented
        }
    }

    @Test
    public void allEntriesAsCandidatesIsExactSearch() throws Exception {
        Random r = new Random(11);
        int dim = 96;
        int size = 120;
        int n = 50;
        float[] bank = lowRank(r, directions(r, 40, dim), size, dim, 1.0); // not low rank at all
        float[] queries = lowRank(r, directions(r, 40, dim), n, dim, 1.0);
        NearestNeighbours exact = new NearestNeighbours(bank, size, dim);
        int[] ei = new int[n];
        float[] ed = new float[n];
        exact.nearest(queries, n, ei, ed);
        ProjectedBankSearch all = new ProjectedBankSearch(exact, 4, size, false, 42, 1);
        int[] fi = new int[n];
        float[] fd = new float[n];
        all.nearest(queries, n, fi, fd);
        for (int q = 0; q < n; q++) {
            assertEquals(ed[q], fd[q], 1e-4 * (1 + ed[q]));
        }
    }

    @Test
    public void memoryBankUsesTheFastSearchWhenAsked() {
        Random r = new Random(5);
        int dim = 512;
        int size = 600; // 307,200 values: large enough for the graph searches
        int n = 200;
        float[][] dirs = directions(r, 10, dim);
        float[] entries = lowRank(r, dirs, size, dim, 0.05);
        float[] queries = lowRank(r, dirs, n, dim, 0.05);
        MemoryBank bank = new MemoryBank(entries, size, dim, 1, new int[size]);
        int[] ei = new int[n];
        float[] ed = new float[n];
        bank.index().nearest(queries, n, ei, ed);
        int[] fi = new int[n];
        float[] fd = new float[n];
        search("fast", bank, queries, n, fi, fd);
        int same = 0;
        for (int q = 0; q < n; q++) {
            assertTrue(fd[q] >= ed[q] - 1e-4f * (1 + ed[q]));
            same += fi[q] == ei[q] ? 1 : 0;
        }
        assertTrue("recall " + same + "/" + n, same >= n * 0.98);
    }

    /** Runs the search of {@code bank} in the given mode (the process-wide property, restored after). */
    static void search(String mode, MemoryBank bank, float[] queries, int n, int[] index, float[] distance) {
        String before = System.getProperty(KnnSearch.PROPERTY);
        try {
            System.setProperty(KnnSearch.PROPERTY, mode);
            bank.nearest(queries, n, index, distance);
        } finally {
            if (before == null) {
                System.clearProperty(KnnSearch.PROPERTY);
            } else {
                System.setProperty(KnnSearch.PROPERTY, before);
            }
        }
    }

    /** Bank entries and queries near the same 10 random directions, with isotropic noise: {entries, queries}. */
    private static float[][] nearTenDirections(long seed, int dim, int size, int n, double noise) {
        Random r = new Random(seed);
        float[][] dirs = directions(r, 10, dim);
        return new float[][] {lowRank(r, dirs, size, dim, noise), lowRank(r, dirs, n, dim, noise)};
    }

    /**
     * The certified search (the default "exact") returns brute force's winners, whether the
     * projection certifies nearly every query (data near a low-rank subspace) or almost none
     * (isotropic data, where the subspace says little and the fallback does the work).
     */
    @Test
    public void certifiedSearchEqualsBruteForceWithAndWithoutALowRankStructure() throws Exception {
        for (double noise : new double[] {0.05, 30.0}) {
            int dim = 512;
            int size = 700;
            int n = 300;
            float[][] data = nearTenDirections(13, dim, size, n, noise);
            float[] entries = data[0];
            float[] queries = data[1];
            // a few queries equal to entries (distance 0) and a far outlier
            System.arraycopy(entries, 17 * dim, queries, 0, dim);
            for (int k = 0; k < dim; k++) {
                queries[dim + k] = 50f;
            }
            MemoryBank bank = new MemoryBank(entries, size, dim, 1, new int[size]);
            int[] bi = new int[n];
            float[] bd = new float[n];
            search("brute", bank, queries, n, bi, bd);
            ProjectedBankSearch projected = new ProjectedBankSearch(bank.index(), 32, 8, false, 42, 1);
            int[] pi = new int[n];
            float[] pd = new float[n];
            projected.nearest(queries, n, pi, pd, true);
            int uncertified = 0;
            for (int q = 0; q < n; q++) {
                if (pi[q] < 0) {
                    uncertified++;
                } else {
                    assertEquals("certified query " + q, bi[q], pi[q]);
                }
            }
            if (noise < 1) {
                assertTrue("low-rank data: " + uncertified + " of " + n + " uncertified", uncertified < n / 10);
            } else {
                assertTrue("isotropic data: only " + uncertified + " of " + n + " uncertified", uncertified > n / 2);
            }
            int[] ei = new int[n];
            float[] ed = new float[n];
            search("exact", bank, queries, n, ei, ed);
            for (int q = 0; q < n; q++) {
                assertEquals("query " + q + " noise " + noise, bi[q], ei[q]);
                assertEquals(bd[q], ed[q], 1e-5 * (1 + bd[q]));
            }
            assertEquals(17, ei[0]);
            assertEquals(0f, ed[0], 0f);
        }
        assertTrue(MemoryBank.uncertifiedShare() > 0 && MemoryBank.uncertifiedShare() < 1);
    }

    /**
     * Two passes (4 candidates for every query, all candidates for those the first could not
     * prove) give exactly what one pass with all candidates gives: the same proven queries and
     * winners, which are brute force's; and the second pass is needed (4 candidates alone prove fewer).
     */
    @Test
    public void twoPassesProveWhatOnePassWithAllCandidatesProves() throws Exception {
        for (double noise : new double[] {0.05, 1.0}) {
            int dim = 512;
            int size = 700;
            int n = 300;
            float[][] data = nearTenDirections(21, dim, size, n, noise);
            float[] entries = data[0];
            float[] queries = data[1];
            MemoryBank bank = new MemoryBank(entries, size, dim, 1, new int[size]);
            int[] bi = new int[n];
            float[] bd = new float[n];
            search("brute", bank, queries, n, bi, bd);
            int[] one = new int[n];
            int[] two = new int[n];
            int[] four = new int[n];
            float[] d1 = new float[n];
            float[] d2 = new float[n];
            new ProjectedBankSearch(bank.index(), 32, 16, false, 42, 2).nearest(queries, n, one, d1, true);
            new ProjectedBankSearch(bank.index(), 32, 16, true, 42, 2).nearest(queries, n, two, d2, true);
            new ProjectedBankSearch(bank.index(), 32, 4, false, 42, 2).nearest(queries, n, four, new float[n], true);
            int unprovenByFour = 0;
            int unprovenByTwo = 0;
            for (int q = 0; q < n; q++) {
                assertEquals("query " + q + " noise " + noise, one[q], two[q]);
                if (two[q] >= 0) {
                    assertEquals(bi[q], two[q]);
                    assertEquals(d1[q], d2[q], 0f);
                } else {
                    unprovenByTwo++;
                }
                unprovenByFour += four[q] < 0 ? 1 : 0;
            }
            if (noise >= 1) { // near the subspace, 4 candidates already prove every query
                assertTrue("noise " + noise + ": 4 candidates left " + unprovenByFour + ", two passes " + unprovenByTwo,
                        unprovenByFour > unprovenByTwo);
            }
        }
    }

    /** A bank whose queries the subspace cannot certify switches to brute force after its trial. */
    @Test
    public void exactSearchGivesUpCertifyingWhereItRarelyCertifies() {
        Random r = new Random(21);
        int dim = 512;
        int size = 600;
        float[] entries = new float[size * dim];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = (float) r.nextGaussian();
        }
        int n = 1100;
        float[] queries = new float[n * dim];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = (float) r.nextGaussian();
        }
        MemoryBank bank = new MemoryBank(entries, size, dim, 1, new int[size]);
        assertTrue(bank.certifying());
        int[] idx = new int[n];
        float[] dist = new float[n];
        int[] brute = new int[n];
        float[] bruteDist = new float[n];
        search("brute", bank, queries, n, brute, bruteDist);
        for (int round = 0; round < 4; round++) {
            search("exact", bank, queries, n, idx, dist);
            for (int q = 0; q < n; q++) {
                assertEquals(brute[q], idx[q]);
            }
        }
        assertTrue("4,400 isotropic queries, mostly uncertified: brute force from now on", !bank.certifying());
    }
}
