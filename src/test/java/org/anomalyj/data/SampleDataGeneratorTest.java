package org.anomalyj.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

import org.anomalyj.img.FloatImage;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SampleDataGeneratorTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Path first;

    @BeforeClass
    public static void generateOnce() throws IOException {
        first = tmp.newFolder("a").toPath();
        SampleDataGenerator.generate(first, SampleDataGenerator.DEFAULT_SEED);
    }

    private static final String[] SOME_FILES = {
        "grain/train/good/000.png", "grain/test/scratch/003.png", "grain/ground_truth/stain/005_mask.png",
        "weave/train/good/029.png", "weave/test/missing_thread/001.png", "weave/ground_truth/hole/002_mask.png",
    };

    @Test
    public void sameSeedGivesIdenticalBytesOtherSeedDiffers() throws IOException {
        Path second = tmp.newFolder("b").toPath();
        SampleDataGenerator.generate(second, SampleDataGenerator.DEFAULT_SEED);
        Path other = tmp.newFolder("c").toPath();
        SampleDataGenerator.generate(other, SampleDataGenerator.DEFAULT_SEED + 1);
        for (String f : SOME_FILES) {
            byte[] a = Files.readAllBytes(first.resolve(f));
            assertArrayEquals(f, a, Files.readAllBytes(second.resolve(f)));
            assertFalse(f, Arrays.equals(a, Files.readAllBytes(other.resolve(f))));
        }
    }

    @Test
    public void datasetHasBothCategoriesWithMatchingMasks() {
        List<Category> cats = Datasets.open(first);
        assertEquals(2, cats.size());
        assertEquals("grain", cats.get(0).name());
        assertEquals("weave", cats.get(1).name());
        int perDefect = SampleDataGenerator.PER_DEFECT;
        for (Category c : cats) {
            int expectedChannels = c.name().equals("grain") ? 1 : 3;
            assertEquals(SampleDataGenerator.TRAIN_GOOD, c.trainGood().size());
            assertEquals(SampleDataGenerator.TEST_GOOD + 3 * perDefect, c.test().size());
            assertEquals(3 * perDefect, c.anomalousCount());
            assertTrue(c.hasPixelMasks());
            for (Sample s : c.test()) {
                if (!s.anomalous()) {
                    assertNull(s.mask());
                    continue;
                }
                assertNotNull(s.name(), s.mask());
                FloatImage img = ImageReader.read(s.image());
                assertEquals(expectedChannels, img.channels());
                assertArrayEquals(s.name(), new int[] {img.width(), img.height()}, ImageReader.size(s.mask()));
                boolean[] mask = ImageReader.readMask(s.mask(), img.width(), img.height());
                int area = 0;
                for (boolean m : mask) {
                    area += m ? 1 : 0;
                }
                // Defects are 6-40 px: never empty, never a large part of the image.
                assertTrue(s.name() + " area " + area, area >= 10 && area <= 40 * 40);
            }
        }
    }

    /**
     * Masks cover the defect exactly: compared with the same texture drawn without the defect,
     * masked pixels change clearly on average, and pixels that change by more than a few grey
     * levels lie in the mask or within 2 px of it (the anti-aliased rim).
     */
    @Test
    public void masksCoverExactlyTheChangedPixels() {
        int n = SampleDataGenerator.SIZE;
        for (int category = 0; category < 2; category++) {
            for (int defect = 0; defect < 3; defect++) {
                for (int i = 0; i < SampleDataGenerator.PER_DEFECT; i += 2) {
                    SampleDataGenerator.Defective d = SampleDataGenerator.defective(7, category, defect, i);
                    String what = "category " + category + " defect " + defect + " image " + i;
                    double insideChange = 0;
                    int inside = 0;
                    for (int y = 0; y < n; y++) {
                        for (int x = 0; x < n; x++) {
                            int p = y * n + x;
                            double change = 0;
                            for (int c = 0; c < d.planes.length; c++) {
                                change = Math.max(change, Math.abs(d.planes[c][p] - d.clean[c][p]));
                            }
                            if (d.mask[p]) {
                                insideChange += change;
                                inside++;
                            } else if (change > 4) {
                                assertTrue(what + ": pixel " + x + "," + y + " changed by " + change + " outside the mask",
                                        nearMask(d.mask, n, x, y, 2));
                            }
                        }
                    }
                    assertTrue(what + ": empty mask", inside > 0);
                    assertTrue(what + ": mean change in mask " + insideChange / inside, insideChange / inside > 10);
                }
            }
        }
    }

    private static boolean nearMask(boolean[] mask, int n, int x, int y, int r) {
        for (int yy = Math.max(0, y - r); yy <= Math.min(n - 1, y + r); yy++) {
            for (int xx = Math.max(0, x - r); xx <= Math.min(n - 1, x + r); xx++) {
                if (mask[yy * n + xx]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The committed sample-data/ decodes to exactly what the generator produces (pixels, not bytes: zlib may differ). */
    @Test
    public void committedSampleDataMatchesTheGenerator() {
        Path committed = Paths.get("sample-data");
        Assume.assumeTrue(Files.isDirectory(committed.resolve("grain")));
        for (String f : SOME_FILES) {
            assertArrayEquals(f, ImageReader.read(first.resolve(f)).data(), ImageReader.read(committed.resolve(f)).data(), 0f);
        }
    }
}
