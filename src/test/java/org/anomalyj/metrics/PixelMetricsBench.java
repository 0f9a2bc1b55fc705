package org.anomalyj.metrics;

import java.util.Random;

/**
 * Not a test: times pixel AUROC and AUPRO on a synthetic MVTec-sized test set.
 * Run: {@code java -Xmx1g -cp target/classes:target/test-classes org.anomalyj.metrics.PixelMetricsBench [images] [side]}
 */
public final class PixelMetricsBench {
    private PixelMetricsBench() {
    }

    public static void main(String[] args) {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int side = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        Random random = new Random(1);
        PixelMetrics metrics = new PixelMetrics();
        float[] map = new float[side * side];
        boolean[] mask = new boolean[side * side];
        long t0 = System.nanoTime();
        for (int i = 0; i < images; i++) {
            java.util.Arrays.fill(mask, false);
            boolean defective = i % 3 != 0;
            int cx = random.nextInt(side);
            int cy = random.nextInt(side);
            int r = 5 + random.nextInt(20);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int p = y * side + x;
                    boolean inside = defective && (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
                    mask[p] = inside;
                    map[p] = (float) (random.nextGaussian() + (inside ? 2 : 0));
                }
            }
            metrics.add(map, mask, side, side);
        }
        long t1 = System.nanoTime();
        double aupro = metrics.aupro();
        long t2 = System.nanoTime();
        double auroc = metrics.auroc();
        long t3 = System.nanoTime();
        Curve pro = metrics.proCurve(0.3);
        long t4 = System.nanoTime();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("%d images %dx%d = %d pixels, %d regions%n", images, side, side, metrics.pixelCount(),
                metrics.regionCount());
        System.out.printf("add %.2f s, aupro (incl. sort) %.2f s = %.4f, auroc %.2f s = %.4f, proCurve %.2f s (%d pts)%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, aupro, (t3 - t2) / 1e9, auroc, (t4 - t3) / 1e9, pro.size());
        System.out.printf("heap used %d MB of max %d MB%n", (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
    }
}
