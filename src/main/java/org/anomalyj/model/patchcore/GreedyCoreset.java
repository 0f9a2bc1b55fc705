package org.anomalyj.model.patchcore;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.anomalyj.Progress;

/**
 * Greedy k-center coreset selection as anomalib's {@code KCenterGreedy}: project the points with a
 * seeded Gaussian random projection, start from a seeded random point, keep every point's squared
 * distance to the nearest selected center, and repeatedly select the farthest point (ties: lowest
 * index, as {@code argmax}). The random start point only seeds the distances; it is not itself
 * selected (as in anomalib).
 *
 * <p>Exact but fast. The naive update compares every point with every new center (N*M*d, and a
 * full pass over the projected data per iteration). Here every point remembers the center it is
 * closest to, and points are grouped in clusters by that center. When a new center c arrives, a
 * point x of cluster j with distance r to c_j can only get closer to c if
 * {@code |c - c_j| < 2r} (triangle inequality); so whole clusters with {@code |c - c_j| >= 2 max r}
 * are skipped, and inside a scanned cluster single points are skipped by the same test.
 *
 * <p>On real patch features that test alone is weak in 64 dimensions (on Magnetic Tile it passed
 * about half of all 700k points in every iteration, and reading their rows at random dominated the
 * time). So every point also keeps its coordinates on the 16 leading principal axes of the
 * projected data ({@link PrincipalAxes}); for orthonormal axes their squared distance is a lower
 * bound on the full one, and on the leading axes a tight one (about 10x fewer exact distances
 * there). Those coordinates are stored per cluster, dimension-major, next to the members'
 * distances, so a scan streams them and sums element-wise over the members (a loop the JIT
 * vectorises); a cluster whose bounding box on those axes is out of reach is skipped whole. Only
 * points that pass both bounds get their exact distance, with a partial distance search (in blocks
 * of 16 dimensions, stopping as soon as eight points at once cannot move). Big clusters are
 * scanned in chunks by both threads.
 *
 * <p>Every test uses a small relative safety margin (and, for the principal-axis bound, an
 * absolute one covering the float rounding of the coordinates), so a skipped point's computed
 * distance could never have replaced its current one: the selection is identical to the naive
 * algorithm's, bit for bit (the point-to-center distances are computed with the same sequential
 * float sums).
 */
public final class GreedyCoreset {

    /** Relative slack on the pruning bound: far above float rounding of the distance sums. */
    private static final float MARGIN = 1e-3f;
    /** Below this many points to examine, one thread does it (fork/join costs more). */
    private static final int PARALLEL_THRESHOLD = 16384;
    /** Dimensions summed between two early-exit checks in the distance update. */
    private static final int EARLY_EXIT_BLOCK = 16;
    /** Principal components kept per point for the lower bound that filters the exact distances. */
    static final int BOUND_DIMS = 16;
    /**
     * The principal-axis bound is used only when its axes hold at least this fraction of the
     * variance: on data without dominant directions (iid noise: 16 of 64 axes hold a quarter) it
     * prunes too little to pay for streaming the coordinates (JMH on such data: 1.06 s without,
     * 1.5 s with it).
     */
    static final double MIN_CAPTURED_VARIANCE = 0.5;
    /** Relative slack on the principal-component lower bound (covers float rounding of both sums). */
    private static final float BOUND_REL = 1.002f;
    /** Points whose lower bounds are computed together (the partial sums stay in the L1 cache). */
    private static final int TILE = 1024;
    /** Members of one cluster scanned by one task (big clusters are split between threads). */
    private static final int SCAN_CHUNK = 8 * 1024;
    /** Points sampled for the covariance the principal axes come from. */
    private static final int COVARIANCE_SAMPLE = 65536;

    private GreedyCoreset() {
    }

    /** Patch count above which the automatic projection drops from 128 to 64 dimensions. */
    public static final long LARGE_PATCH_SET = 400_000;

    /**
     * The automatic projection size: 128 dimensions, or 64 for more than {@link #LARGE_PATCH_SET}
     * patches. The greedy selection costs about ratio * N^2 * d, so on large sets the projection is
     * what keeps the fit within minutes. Measured with ResNet50v2 (coreset 1%): on Magnetic Tile
     * (700k patches) 64 dims kept image AUROC at 0.953 (128: 0.956) and cut the fit from 222 s to
     * 171 s; on KolektorSDD (256k patches) 64 dims lost 1.4 points of image AUROC (0.904 vs 0.918)
     * while 128 dims cost only about a minute.
     */
    public static int projectionDimFor(long patches) {
        return patches > LARGE_PATCH_SET ? 64 : 128;
    }

    /** Coreset size for N points: max(1, round(ratio * N)), at most N. */
    public static int coresetSize(long n, double ratio) {
        return (int) Math.min(n, Math.max(1L, Math.round(ratio * n)));
    }

    /**
     * The coreset of the {@code n} rows of {@code dim} floats held in {@code chunks} (in order): a
     * random projection to {@code projectionDim} seeded by {@code seed}, greedy k-center selection of
     * {@link #coresetSize} rows on it, and those rows at full dimension, in selection order. What every
     * PatchCore fitter does with the patches it keeps in memory.
     */
    public static float[] coresetRows(List<float[]> chunks, int dim, int n, int projectionDim, double ratio, long seed,
            Progress progress) {
        int size = coresetSize(n, ratio);
        Random random = new Random(seed);
        float[][] matrix = projectionMatrix(dim, projectionDim, random);
        float[] projected = project(chunks, dim, matrix, projectionDim);
        progress.checkCancelled();
        int[] selected = select(projected, n, projectionDim, size, random.nextInt(n), progress);
        projected = null; // the projection is as large as a tenth of the patches: free it before gathering
        return gather(chunks, dim, selected);
    }

    /**
     * Gaussian random projection matrix ({@code dimIn x dimOut}, row-major), entries N(0, 1/dimOut)
     * drawn in order from {@code random} (so distances are preserved in expectation).
     */
    public static float[][] projectionMatrix(int dimIn, int dimOut, Random random) {
        float[][] r = new float[dimIn][dimOut];
        double s = 1.0 / Math.sqrt(dimOut);
        for (int i = 0; i < dimIn; i++) {
            for (int j = 0; j < dimOut; j++) {
                r[i][j] = (float) (random.nextGaussian() * s);
            }
        }
        return r;
    }

    /**
     * Projects points given as chunks (each {@code n_i x dimIn}, row-major) to one row-major array
     * {@code N x dimOut}. Parallel over chunks; the inner loop is element-wise over the output
     * dimensions and handles four points per pass over the matrix.
     */
    public static float[] project(List<float[]> chunks, int dimIn, float[][] matrix, int dimOut) {
        int[] start = new int[chunks.size() + 1];
        for (int i = 0; i < chunks.size(); i++) {
            start[i + 1] = Math.addExact(start[i], chunks.get(i).length / dimIn);
        }
        float[] out = new float[Math.multiplyExact(start[chunks.size()], dimOut)];
        IntStream.range(0, chunks.size()).parallel().forEach(ci -> {
            float[] x = chunks.get(ci);
            int n = x.length / dimIn;
            float[] acc0 = new float[dimOut];
            float[] acc1 = new float[dimOut];
            float[] acc2 = new float[dimOut];
            float[] acc3 = new float[dimOut];
            for (int i = 0; i < n; i += 4) {
                int p0 = i * dimIn;
                int p1 = Math.min(i + 1, n - 1) * dimIn;
                int p2 = Math.min(i + 2, n - 1) * dimIn;
                int p3 = Math.min(i + 3, n - 1) * dimIn;
                Arrays.fill(acc0, 0f);
                Arrays.fill(acc1, 0f);
                Arrays.fill(acc2, 0f);
                Arrays.fill(acc3, 0f);
                for (int k = 0; k < dimIn; k++) {
                    axpy4(acc0, acc1, acc2, acc3, matrix[k], x[p0 + k], x[p1 + k], x[p2 + k], x[p3 + k]);
                }
                int o = (start[ci] + i) * dimOut;
                int rows = Math.min(4, n - i);
                System.arraycopy(acc0, 0, out, o, dimOut);
                if (rows > 1) {
                    System.arraycopy(acc1, 0, out, o + dimOut, dimOut);
                }
                if (rows > 2) {
                    System.arraycopy(acc2, 0, out, o + 2 * dimOut, dimOut);
                }
                if (rows > 3) {
                    System.arraycopy(acc3, 0, out, o + 3 * dimOut, dimOut);
                }
            }
        });
        return out;
    }

    /** acc_i += a_i * b for four rows: the loop shape C2 vectorises (one loaded array, no offsets). */
    private static void axpy4(float[] acc0, float[] acc1, float[] acc2, float[] acc3, float[] b, float a0,
            float a1, float a2, float a3) {
        for (int j = 0; j < b.length; j++) {
            float v = b[j];
            acc0[j] += a0 * v;
            acc1[j] += a1 * v;
            acc2[j] += a2 * v;
            acc3[j] += a3 * v;
        }
    }

    /** Squared distance with a sequential float sum over dimensions (the reference arithmetic). */
    static float squaredDistance(float[] points, int p, float[] c, int d) {
        float s = 0f;
        for (int k = 0; k < d; k++) {
            float t = points[p + k] - c[k];
            s += t * t;
        }
        return s;
    }

    /**
     * Selects {@code size} point indices from {@code points} ({@code n x d}, row-major) by greedy
     * k-center starting from {@code start}.
     * Reports {@code progress.update("coreset", i, size)} and honours cancellation.
     */
    public static int[] select(float[] points, int n, int d, int size, int start, Progress progress) {
        if (size < 1 || size > n) {
            throw new IllegalArgumentException("coreset size " + size + " not in 1.." + n);
        }
        return new Selection(points, n, d, size).run(start, progress);
    }

    /** The mutable state of one selection run. */
    private static final class Selection {
        final float[] points;
        final int n;
        final int d;
        final int size;
        final int capacity;
        /**
         * Per cluster, the squared distance of each member to its center, parallel to
         * {@code members}: the bound checks and extent scans read contiguous memory instead of
         * jumping through a global array by point index.
         */
        float[][] dists;
        /** Centers' projected coordinates, one array per dimension: center-center distances vectorise. */
        final float[][] centers;
        final float[] centerCenter;
        int[][] members;
        int[] count;
        float[] radius;
        int[] farthest;
        /** Per cluster: how many members moved to the newest center in this iteration. */
        final int[] movedCount;
        /** The principal axes the lower bounds are taken on. */
        final PrincipalAxes axes;
        /** Number of principal coordinates per point ({@code min(BOUND_DIMS, d)}). */
        final int m;
        /**
         * Per cluster, its members' principal coordinates, dimension-major ({@code lb[j][k * cap + q]}
         * with {@code cap = members[j].length}): a scan streams them and sums element-wise over the
         * members, a loop the JIT vectorises, instead of reading every point's full row at random.
         */
        final float[][] lb;
        /** Absolute slack of the lower bound test: the float rounding of the principal coordinates. */
        float boundAbs;
        /**
         * Per cluster ({@code j * m + k}), the box its members' principal coordinates span when the
         * cluster was made or last shrunk; members only leave in between, so it stays a bounding box.
         */
        final float[] boxLo;
        final float[] boxHi;
        /** Scan tasks of one iteration: cluster, first member position, members that moved. */
        int[] taskCluster;
        int[] taskFrom;
        int[] taskMoved;

        Selection(float[] points, int n, int d, int size) {
            this.points = points;
            this.n = n;
            this.d = d;
            this.size = size;
            this.capacity = size + 1;
            this.dists = new float[capacity][];
            this.centers = new float[d][capacity];
            this.centerCenter = new float[capacity];
            this.members = new int[capacity][];
            this.count = new int[capacity];
            this.radius = new float[capacity];
            this.farthest = new int[capacity];
            this.movedCount = new int[capacity];
            this.axes = PrincipalAxes.of(points, n, d, Math.min(BOUND_DIMS, d), COVARIANCE_SAMPLE);
            // without the bound (m = 0) every lower bound is 0 and every point goes to the exact test
            this.m = axes.capturedVariance() >= MIN_CAPTURED_VARIANCE ? axes.rank() : 0;
            this.lb = new float[capacity][];
            this.boxLo = new float[capacity * m];
            this.boxHi = new float[capacity * m];
        }

        int[] run(int start, Progress progress) {
            // center 0: the random start point; every point belongs to it
            float[] c = new float[d];
            setCenter(0, start, c);
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            members[0] = all;
            count[0] = n;
            float[] minDist = new float[n];
            dists[0] = minDist;
            IntStream.range(0, (n + 4095) / 4096).parallel().forEach(b -> {
                int lo = b * 4096;
                int hi = Math.min(n, lo + 4096);
                for (int i = lo; i < hi; i++) {
                    minDist[i] = squaredDistance(points, i * d, c, d);
                }
            });
            updateExtent(0);
            float[] lb0 = new float[Math.multiplyExact(m, n)];
            float[] largest = new float[(n + 4095) / 4096];
            IntStream.range(0, m > 0 ? largest.length : 0).parallel().forEach(b -> {
                float[] y = new float[m];
                int lo = b * 4096;
                int hi = Math.min(n, lo + 4096);
                float big = 0f;
                for (int i = lo; i < hi; i++) {
                    axes.rotate(points, i * d, y);
                    for (int k = 0; k < m; k++) {
                        lb0[k * n + i] = y[k];
                        big = Math.max(big, Math.abs(y[k]));
                    }
                }
                largest[b] = big;
            });
            float ymax = 0f;
            for (float v : largest) {
                ymax = Math.max(ymax, v);
            }
            lb[0] = lb0;
            updateBox(0);
            // |rounding error| of a coordinate difference <= 4 ulp(ymax) per dimension, so the
            // bound's norm is off by at most e = sqrt(m) * 4 * 2^-24 * ymax; (a + e)^2 <= a^2 (1 + 1e-3)
            // + 1001 e^2, and a factor of 2 on top
            double e = Math.sqrt(m) * 4 * Math.ulp(1f) / 2 * ymax;
            boundAbs = (float) (2002 * e * e);

            int[] selected = new int[size];
            float[] yc = new float[m];
            int[] candidates = new int[capacity];
            int maxTasks = capacity + n / SCAN_CHUNK + 1;
            taskCluster = new int[maxTasks];
            taskFrom = new int[maxTasks];
            taskMoved = new int[maxTasks];
            int reportEvery = Math.max(1, size / 200);
            for (int t = 0; t < size; t++) {
                if ((t & 63) == 0) {
                    progress.checkCancelled();
                }
                if (t % reportEvery == 0) {
                    progress.update("coreset", t, size);
                }
                int clusters = t + 1;
                int best = 0;
                for (int j = 1; j < clusters; j++) {
                    if (radius[j] > radius[best] || (radius[j] == radius[best] && farthest[j] < farthest[best])) {
                        best = j;
                    }
                }
                int next = farthest[best];
                selected[t] = next;
                int id = t + 1;
                setCenter(id, next, c);
                if (m > 0) {
                    axes.rotate(points, next * d, yc);
                }
                distancesToCenters(id, c);

                int nc = 0;
                long work = 0;
                for (int j = 0; j < clusters; j++) {
                    float r2 = radius[j];
                    if (centerCenter[j] <= 4f * r2 * (1f + MARGIN) && boxDistance(j, yc) < r2 * BOUND_REL + boundAbs) {
                        candidates[nc++] = j;
                        work += count[j];
                    }
                }
                // split the scan into tasks of at most SCAN_CHUNK members, so one big cluster (early
                // on, nearly all points are in a few) still keeps both cores busy
                int nt = 0;
                for (int q = 0; q < nc; q++) {
                    int j = candidates[q];
                    for (int from = 0; from < count[j]; from += SCAN_CHUNK) {
                        taskCluster[nt] = j;
                        taskFrom[nt++] = from;
                    }
                }
                final int ntf = nt;
                if (work >= PARALLEL_THRESHOLD && nt > 1) {
                    IntStream.range(0, ntf).parallel().forEach(q -> taskMoved[q] = scanRange(taskCluster[q], taskFrom[q], c, yc));
                } else {
                    for (int q = 0; q < nt; q++) {
                        taskMoved[q] = scanRange(taskCluster[q], taskFrom[q], c, yc);
                    }
                }
                for (int q = 0; q < nt; q++) {
                    movedCount[taskCluster[q]] += taskMoved[q];
                }
                for (int q = 0; q < nc; q++) {
                    int j = candidates[q];
                    if (movedCount[j] > 0) {
                        partition(j);
                    }
                }
                // movers sit after each scanned cluster's new count: gather them into the new cluster
                int moved = 0;
                for (int q = 0; q < nc; q++) {
                    moved += movedCount[candidates[q]];
                }
                int cap = Math.max(1, moved);
                int[] mine = new int[cap];
                float[] mineDist = new float[cap];
                float[] mineLb = new float[m * cap];
                int at = 0;
                for (int q = 0; q < nc; q++) {
                    int j = candidates[q];
                    int mv = movedCount[j];
                    if (mv > 0) {
                        int capJ = members[j].length;
                        System.arraycopy(members[j], count[j], mine, at, mv);
                        System.arraycopy(dists[j], count[j], mineDist, at, mv);
                        for (int k = 0; k < m; k++) {
                            System.arraycopy(lb[j], k * capJ + count[j], mineLb, k * cap + at, mv);
                        }
                        at += mv;
                        movedCount[j] = 0;
                    }
                    if (count[j] * 4 < members[j].length && members[j].length > 64) {
                        shrink(j);
                    }
                }
                members[id] = mine;
                dists[id] = mineDist;
                lb[id] = mineLb;
                count[id] = moved;
                updateExtent(id);
                updateBox(id);
            }
            progress.update("coreset", size, size);
            return selected;
        }


        /** Reallocates cluster j's arrays to its member count (after most members left). */
        private void shrink(int j) {
            int cnt = count[j];
            int capJ = members[j].length;
            members[j] = Arrays.copyOf(members[j], cnt);
            dists[j] = Arrays.copyOf(dists[j], cnt);
            float[] l = new float[m * cnt];
            for (int k = 0; k < m; k++) {
                System.arraycopy(lb[j], k * capJ, l, k * cnt, cnt);
            }
            lb[j] = l;
            updateBox(j);
        }

        /** Bounding box of cluster j's members' principal coordinates (empty: an inverted box). */
        private void updateBox(int j) {
            float[] l = lb[j];
            int cap = members[j].length;
            int cnt = count[j];
            for (int k = 0; k < m; k++) {
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int q = k * cap, end = q + cnt; q < end; q++) {
                    lo = Math.min(lo, l[q]);
                    hi = Math.max(hi, l[q]);
                }
                boxLo[j * m + k] = lo;
                boxHi[j * m + k] = hi;
            }
        }

        /**
         * Squared distance from yc to cluster j's box: at most every member's principal-axis bound
         * (float rounding is monotonic, so this holds for the computed values too).
         */
        private float boxDistance(int j, float[] yc) {
            float s = 0f;
            for (int k = 0, o = j * m; k < m; k++, o++) {
                float v = yc[k];
                float t = v < boxLo[o] ? boxLo[o] - v : v > boxHi[o] ? v - boxHi[o] : 0f;
                s += t * t;
            }
            return s;
        }

        private void setCenter(int id, int point, float[] c) {
            System.arraycopy(points, point * d, c, 0, d);
            for (int k = 0; k < d; k++) {
                centers[k][id] = c[k];
            }
        }

        /** Squared distances from new center c to centers 0..id-1, element-wise over centers. */
        private void distancesToCenters(int id, float[] c) {
            Arrays.fill(centerCenter, 0, id, 0f);
            for (int k = 0; k < d; k++) {
                accumulateSquares(centerCenter, centers[k], c[k], id);
            }
        }

        private static void accumulateSquares(float[] acc, float[] row, float v, int n) {
            for (int j = 0; j < n; j++) {
                float t = row[j] - v;
                acc[j] += t * t;
            }
        }

        /**
         * Updates members {@code from .. from + SCAN_CHUNK} of cluster j against new center c
         * (principal coordinates yc): points that get closer get their new distance and are marked
         * as movers ({@code ~index}); returns how many. A point's exact distance is only taken when
         * both the triangle test and the lower bound on the principal axes say it could be below
         * its current one.
         */
        private int scanRange(int j, int from, float[] c, float[] yc) {
            int[] mem = members[j];
            float[] dl = dists[j];
            float[] l = lb[j];
            int to = Math.min(count[j], from + SCAN_CHUNK);
            int cap = mem.length;
            float bound = centerCenter[j] / (4f * (1f + MARGIN));
            float abs = boundAbs;
            int moved = 0;
            float[] acc = new float[Math.min(TILE, to - from)];
            float[] axis = new float[acc.length];
            // positions (in mem) of points that pass the bounds, evaluated eight at a time so the
            // eight sequential sums run as independent chains (a single sum is latency-bound)
            int[] pending = new int[8];
            int np = 0;
            for (int t0 = from; t0 < to; t0 += TILE) {
                int len = Math.min(TILE, to - t0);
                lowerBounds(l, cap, t0, len, yc, acc, axis);
                for (int i = 0; i < len; i++) {
                    int q = t0 + i;
                    float v = dl[q];
                    if (v >= bound && acc[i] < v * BOUND_REL + abs) {
                        pending[np++] = q;
                        if (np == 8) {
                            moved += update(mem, dl, pending, np, c);
                            np = 0;
                        }
                    }
                }
            }
            if (np > 0) {
                moved += update(mem, dl, pending, np, c);
            }
            return moved;
        }

        /**
         * Moves cluster j's marked members (movedCount[j] of them) behind the others, unmarked, and
         * recomputes its radius. Order inside either group does not matter (ties are broken by
         * point index).
         */
        private void partition(int j) {
            int[] mem = members[j];
            float[] dl = dists[j];
            float[] l = lb[j];
            int cap = mem.length;
            int lo = 0;
            int hi = count[j] - 1;
            while (true) {
                while (lo <= hi && mem[lo] >= 0) {
                    lo++;
                }
                while (lo <= hi && mem[hi] < 0) {
                    mem[hi] = ~mem[hi];
                    hi--;
                }
                if (lo >= hi) {
                    break;
                }
                int t = mem[lo];
                float td = dl[lo];
                mem[lo] = mem[hi];
                dl[lo] = dl[hi];
                mem[hi] = ~t;
                dl[hi] = td;
                for (int k = 0, o = 0; k < m; k++, o += cap) {
                    float tl = l[o + lo];
                    l[o + lo] = l[o + hi];
                    l[o + hi] = tl;
                }
                lo++;
                hi--;
            }
            count[j] -= movedCount[j];
            updateExtent(j);
        }

        /**
         * acc[i] = squared distance on the principal axes between member from + i and the center,
         * for len members: element-wise over members, one axis at a time. Each axis's slice is first
         * copied into {@code axis}: on JDK 17, C2 leaves the loop scalar when it reads the bounds at
         * a run-time offset (130 against 40 ns per 256 members and axis, scratch benchmark).
         */
        private void lowerBounds(float[] l, int cap, int from, int len, float[] yc, float[] acc, float[] axis) {
            Arrays.fill(acc, 0, len, 0f);
            for (int k = 0; k < m; k++) {
                System.arraycopy(l, k * cap + from, axis, 0, len);
                accumulateSquares(acc, axis, yc[k], len);
            }
        }

        /**
         * Distances of up to eight points (mem[pending[i]]) to c with the reference arithmetic;
         * closer points get their new distance and are marked as movers (~index).
         */
        private int update(int[] mem, float[] dl, int[] pending, int np, float[] c) {
            int p0 = mem[pending[0]] * d;
            int p1 = mem[pending[Math.min(1, np - 1)]] * d;
            int p2 = mem[pending[Math.min(2, np - 1)]] * d;
            int p3 = mem[pending[Math.min(3, np - 1)]] * d;
            int p4 = mem[pending[Math.min(4, np - 1)]] * d;
            int p5 = mem[pending[Math.min(5, np - 1)]] * d;
            int p6 = mem[pending[Math.min(6, np - 1)]] * d;
            int p7 = mem[pending[Math.min(7, np - 1)]] * d;
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
            float m0 = dl[pending[0]];
            float m1 = dl[pending[Math.min(1, np - 1)]];
            float m2 = dl[pending[Math.min(2, np - 1)]];
            float m3 = dl[pending[Math.min(3, np - 1)]];
            float m4 = dl[pending[Math.min(4, np - 1)]];
            float m5 = dl[pending[Math.min(5, np - 1)]];
            float m6 = dl[pending[Math.min(6, np - 1)]];
            float m7 = dl[pending[Math.min(7, np - 1)]];
            float[] x = points;
            // Partial distance search: the sums only grow, so once every one of the eight has
            // reached its point's current distance none of them can move and the rest of the
            // dimensions need not be read (most scanned points do not move; this saves most of
            // the memory traffic). Points that can move still get the full sum in the same order.
            for (int k0 = 0; k0 < d; k0 += EARLY_EXIT_BLOCK) {
                int k1 = Math.min(d, k0 + EARLY_EXIT_BLOCK);
                for (int k = k0; k < k1; k++) {
                    float ck = c[k];
                    float t0 = x[p0 + k] - ck;
                    float t1 = x[p1 + k] - ck;
                    float t2 = x[p2 + k] - ck;
                    float t3 = x[p3 + k] - ck;
                    float t4 = x[p4 + k] - ck;
                    float t5 = x[p5 + k] - ck;
                    float t6 = x[p6 + k] - ck;
                    float t7 = x[p7 + k] - ck;
                    s0 += t0 * t0;
                    s1 += t1 * t1;
                    s2 += t2 * t2;
                    s3 += t3 * t3;
                    s4 += t4 * t4;
                    s5 += t5 * t5;
                    s6 += t6 * t6;
                    s7 += t7 * t7;
                }
                if (s0 >= m0 && s1 >= m1 && s2 >= m2 && s3 >= m3 && s4 >= m4 && s5 >= m5 && s6 >= m6 && s7 >= m7) {
                    return 0;
                }
            }
            float[] sums = {s0, s1, s2, s3, s4, s5, s6, s7};
            int moved = 0;
            for (int i = 0; i < np; i++) {
                int q = pending[i];
                int idx = mem[q];
                if (sums[i] < dl[q]) {
                    dl[q] = sums[i];
                    mem[q] = ~idx; // mark as mover
                    moved++;
                }
            }
            return moved;
        }

        /** Radius (largest squared distance) and its point (lowest index on ties) of cluster j. */
        private void updateExtent(int j) {
            int[] mem = members[j];
            float[] dl = dists[j];
            int cnt = count[j];
            float r = -1f;
            int f = Integer.MAX_VALUE;
            for (int q = 0; q < cnt; q++) {
                int i = mem[q];
                float v = dl[q];
                if (v > r || (v == r && i < f)) {
                    r = v;
                    f = i;
                }
            }
            radius[j] = cnt == 0 ? -1f : r;
            farthest[j] = f;
        }
    }

    /** The rows of the selected indices, counted over the chunks in order, in selection order. */
    static float[] gather(List<float[]> chunks, int dim, int[] selected) {
        int[] start = new int[chunks.size() + 1];
        for (int i = 0; i < chunks.size(); i++) {
            start[i + 1] = start[i] + chunks.get(i).length / dim;
        }
        float[] out = new float[Math.multiplyExact(selected.length, dim)];
        for (int s = 0; s < selected.length; s++) {
            int g = selected[s];
            int c = java.util.Arrays.binarySearch(start, g);
            if (c < 0) {
                c = -c - 2; // the last chunk whose start is below g
            } else {
                while (c + 1 < start.length && start[c + 1] == g) {
                    c++; // skip empty chunks
                }
            }
            System.arraycopy(chunks.get(c), (g - start[c]) * dim, out, s * dim, dim);
        }
        return out;
    }
}
