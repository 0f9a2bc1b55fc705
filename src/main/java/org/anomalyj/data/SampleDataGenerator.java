package org.anomalyj.data;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.SplittableRandom;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.anomalyj.AnomalyJException;

/**
 * Writes a small synthetic data set in MVTec AD layout, so that every feature can be tried and
 * tested without downloading anything:
 * <ul>
 * <li>{@code grain}: 8-bit grey brushed-metal / wood-grain texture; defects {@code scratch},
 *     {@code stain}, {@code pit}.</li>
 * <li>{@code weave}: RGB plain-woven fabric; defects {@code hole}, {@code missing_thread},
 *     {@code stain}.</li>
 * </ul>
 * Each category has {@value #TRAIN_GOOD} training images, {@value #TEST_GOOD} good test images and
 * {@value #PER_DEFECT} images per defect type, all {@value #SIZE}x{@value #SIZE} PNG, with 0/255
 * masks in {@code ground_truth/<type>/<name>_mask.png}. The output depends only on the seed: every
 * image has its own random stream derived from (seed, category, folder, index), and the PNG
 * encoder writes no time stamps, so the same seed gives byte-identical files.
 */
public final class SampleDataGenerator {
    /** Seed of the committed {@code sample-data/} folder. */
    public static final long DEFAULT_SEED = 20240611L;
    static final int SIZE = 256;
    static final int TRAIN_GOOD = 30;
    static final int TEST_GOOD = 10;
    static final int PER_DEFECT = 6;

    private static final String[] GRAIN_DEFECTS = {"pit", "scratch", "stain"};
    private static final String[] WEAVE_DEFECTS = {"hole", "missing_thread", "stain"};

    private SampleDataGenerator() {
    }

    /**
     * Writes (or overwrites) the folders {@code grain/} and {@code weave/} under {@code root};
     * other files in {@code root} are left alone.
     */
    public static void generate(Path root, long seed) {
        try {
            writeCategory(root, "grain", 0, GRAIN_DEFECTS, seed);
            writeCategory(root, "weave", 1, WEAVE_DEFECTS, seed);
        } catch (IOException e) {
            throw new AnomalyJException("Cannot write the sample data to " + root + " (" + e.getMessage()
                    + "); choose a folder you can write to.", e);
        }
    }

    /** Usage: {@code SampleDataGenerator <output folder> [seed]}. */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("Usage: java -cp anomalyj.jar " + SampleDataGenerator.class.getName()
                    + " <output folder> [seed, default " + DEFAULT_SEED + "]");
            System.exit(2);
        }
        long seed = args.length == 2 ? Long.parseLong(args[1]) : DEFAULT_SEED;
        try {
            generate(Paths.get(args[0]), seed);
        } catch (AnomalyJException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        System.err.println("Wrote sample data (seed " + seed + ") to " + args[0]);
    }

    private static void writeCategory(Path root, String name, int categoryIndex, String[] defects, long seed)
            throws IOException {
        Path dir = root.resolve(name);
        for (int i = 0; i < TRAIN_GOOD; i++) {
            float[][] planes = normal(categoryIndex, rng(seed, categoryIndex, 0, i));
            writePng(toImage(planes), dir.resolve("train/good").resolve(fileName(i, ".png")));
        }
        for (int i = 0; i < TEST_GOOD; i++) {
            float[][] planes = normal(categoryIndex, rng(seed, categoryIndex, 1, i));
            writePng(toImage(planes), dir.resolve("test/good").resolve(fileName(i, ".png")));
        }
        for (int d = 0; d < defects.length; d++) {
            for (int i = 0; i < PER_DEFECT; i++) {
                Defective sample = defective(seed, categoryIndex, d, i);
                writePng(toImage(sample.planes), dir.resolve("test").resolve(defects[d]).resolve(fileName(i, ".png")));
                writePng(toMask(sample.mask), dir.resolve("ground_truth").resolve(defects[d]).resolve(fileName(i, "_mask.png")));
            }
        }
    }

    /** A defective image, the same texture without the defect, and the defect's mask. */
    static final class Defective {
        final float[][] clean;
        final float[][] planes;
        final boolean[] mask;

        Defective(float[][] clean, float[][] planes, boolean[] mask) {
            this.clean = clean;
            this.planes = planes;
            this.mask = mask;
        }
    }

    /** Image {@code index} of defect type {@code defect} (index into the category's defect list). */
    static Defective defective(long seed, int categoryIndex, int defect, int index) {
        SplittableRandom rnd = rng(seed, categoryIndex, 2 + defect, index);
        float[][] planes;
        boolean[] mask;
        float[][] clean;
        if (categoryIndex == 0) {
            planes = new float[][] {GrainTexture.render(SIZE, SIZE, rnd)};
            clean = copy(planes);
            mask = grainDefect(GRAIN_DEFECTS[defect], planes, rnd);
        } else {
            WeaveTexture weave = new WeaveTexture(rnd);
            planes = new float[3][SIZE * SIZE];
            weave.render(planes, SIZE, SIZE);
            clean = copy(planes);
            mask = weaveDefect(WEAVE_DEFECTS[defect], planes, weave, rnd);
        }
        return new Defective(clean, planes, mask);
    }

    private static float[][] copy(float[][] planes) {
        float[][] out = new float[planes.length][];
        for (int c = 0; c < planes.length; c++) {
            out[c] = planes[c].clone();
        }
        return out;
    }

    private static float[][] normal(int categoryIndex, SplittableRandom rnd) {
        if (categoryIndex == 0) {
            return new float[][] {GrainTexture.render(SIZE, SIZE, rnd)};
        }
        float[][] planes = new float[3][SIZE * SIZE];
        new WeaveTexture(rnd).render(planes, SIZE, SIZE);
        return planes;
    }

    private static boolean[] grainDefect(String type, float[][] planes, SplittableRandom rnd) {
        switch (type) {
            case "scratch":
                return SyntheticDefects.scratch(planes, SIZE, SIZE, rnd);
            case "stain":
                return SyntheticDefects.stain(planes, SIZE, SIZE, rnd);
            case "pit":
                return SyntheticDefects.pit(planes, SIZE, SIZE, rnd);
            default:
                throw new IllegalArgumentException(type);
        }
    }

    private static boolean[] weaveDefect(String type, float[][] planes, WeaveTexture weave, SplittableRandom rnd) {
        switch (type) {
            case "hole":
                return SyntheticDefects.hole(planes, SIZE, SIZE, rnd);
            case "missing_thread":
                return SyntheticDefects.missingThread(planes, SIZE, SIZE, weave, rnd);
            case "stain":
                return SyntheticDefects.stain(planes, SIZE, SIZE, rnd);
            default:
                throw new IllegalArgumentException(type);
        }
    }

    /** Independent stream per image, so changing one folder's count leaves the others unchanged. */
    private static SplittableRandom rng(long seed, int category, int folder, int index) {
        long z = ValueNoise.mix(seed ^ 0x5DEECE66DL);
        z = ValueNoise.mix(z + category * 0x9E3779B97F4A7C15L);
        z = ValueNoise.mix(z + folder * 0xC2B2AE3D27D4EB4FL);
        z = ValueNoise.mix(z + index * 0x165667B19E3779F9L);
        return new SplittableRandom(z);
    }

    private static String fileName(int index, String suffix) {
        return String.format("%03d%s", index, suffix);
    }

    private static BufferedImage toImage(float[][] planes) {
        int type = planes.length == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
        BufferedImage img = new BufferedImage(SIZE, SIZE, type);
        WritableRaster raster = img.getRaster();
        int[] row = new int[SIZE];
        for (int c = 0; c < planes.length; c++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    row[x] = (int) Math.max(0, Math.min(255, Math.round(planes[c][y * SIZE + x])));
                }
                raster.setSamples(0, y, SIZE, 1, c, row);
            }
        }
        return img;
    }

    private static BufferedImage toMask(boolean[] mask) {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        int[] row = new int[SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                row[x] = mask[y * SIZE + x] ? 255 : 0;
            }
            img.getRaster().setSamples(0, y, SIZE, 1, 0, row);
        }
        return img;
    }

    /** PNG with the strongest deflate level, to keep the committed folder small. */
    private static void writePng(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        ImageWriter writer = writers.next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0f);
        Files.deleteIfExists(file);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
