package org.anomalyj.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.anomalyj.AnomalyJException;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DatasetsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static void image(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        String format = name.substring(name.lastIndexOf('.') + 1).toLowerCase();
        assertTrue(ImageIO.write(new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY), format, file.toFile()));
    }

    private static void text(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, "x".getBytes(StandardCharsets.UTF_8));
    }

    /** A small category with 3 train images, 2 good + 2 crack + 1 hole test images. */
    private static Path category(Path dir) throws IOException {
        image(dir.resolve("train/good/b.png"));
        image(dir.resolve("train/good/a.PNG"));
        image(dir.resolve("train/good/c.tif"));
        text(dir.resolve("train/good/.hidden.png"));
        text(dir.resolve("train/good/readme.txt"));
        image(dir.resolve("train/good/a_mask.png")); // a stray mask is not a training image
        image(dir.resolve("test/good/000.png"));
        image(dir.resolve("test/good/001.png"));
        image(dir.resolve("test/crack/001.png"));
        image(dir.resolve("test/crack/000.png"));
        image(dir.resolve("test/hole/x.bmp"));
        image(dir.resolve("ground_truth/crack/000_mask.png"));
        image(dir.resolve("ground_truth/crack/001.png")); // mask named like its image
        return dir;
    }

    private static List<String> names(List<Path> paths) {
        List<String> n = new ArrayList<>();
        for (Path p : paths) {
            n.add(p.getFileName().toString());
        }
        return n;
    }

    private static void expectError(Path dir, String... parts) {
        try {
            Datasets.open(dir);
            fail("expected an error for " + dir);
        } catch (AnomalyJException e) {
            for (String p : parts) {
                assertTrue("message '" + e.getMessage() + "' lacks '" + p + "'", e.getMessage().contains(p));
            }
        }
    }

    @Test
    public void categoryFolderIsOneSortedCategory() throws IOException {
        Path dir = category(tmp.getRoot().toPath().resolve("bottle"));
        List<Category> cats = Datasets.open(dir);
        assertEquals(1, cats.size());
        Category c = cats.get(0);
        assertEquals("bottle", c.name());
        assertEquals(dir, c.root());
        assertEquals(List.of("a.PNG", "b.png", "c.tif"), names(c.trainGood()));
        List<String> testNames = new ArrayList<>();
        for (Sample s : c.test()) {
            testNames.add(s.name());
        }
        assertEquals(List.of("crack/000.png", "crack/001.png", "good/000.png", "good/001.png", "hole/x.bmp"), testNames);
        Sample crack0 = c.test().get(0);
        assertTrue(crack0.anomalous());
        assertEquals(dir.resolve("ground_truth/crack/000_mask.png"), crack0.mask());
        assertEquals(dir.resolve("ground_truth/crack/001.png"), c.test().get(1).mask());
        assertFalse(c.test().get(2).anomalous());
        assertNull(c.test().get(2).mask());
        // No ground_truth/hole folder: allowed, no mask.
        assertTrue(c.test().get(4).anomalous());
        assertNull(c.test().get(4).mask());
        assertTrue(c.hasPixelMasks());
        assertEquals(3, c.anomalousCount());
    }

    @Test
    public void maskWithTheImagesExtensionIsPreferred() throws IOException {
        Path dir = tmp.getRoot().toPath().resolve("cat");
        image(dir.resolve("train/good/a.png"));
        image(dir.resolve("test/scratch/s.tif"));
        image(dir.resolve("ground_truth/scratch/s_mask.png"));
        image(dir.resolve("ground_truth/scratch/s_mask.tif"));
        image(dir.resolve("ground_truth/scratch/s.bmp"));
        Sample s = Datasets.open(dir).get(0).test().get(0);
        assertEquals(dir.resolve("ground_truth/scratch/s_mask.tif"), s.mask());
    }

    @Test
    public void categoryWithoutMasksHasNoPixelMasks() throws IOException {
        Path dir = tmp.getRoot().toPath().resolve("cat");
        image(dir.resolve("train/good/a.png"));
        image(dir.resolve("test/good/g.png"));
        image(dir.resolve("test/dent/d.png"));
        Category c = Datasets.open(dir).get(0);
        assertEquals(2, c.test().size());
        assertFalse(c.hasPixelMasks());
    }

    @Test
    public void rootWithSeveralCategoriesIncludingASymlink() throws IOException {
        Path root = tmp.newFolder("root").toPath();
        category(root.resolve("carpet"));
        category(root.resolve("zipper"));
        Path elsewhere = category(tmp.getRoot().toPath().resolve("elsewhere/grid"));
        try {
            Files.createSymbolicLink(root.resolve("grid"), elsewhere);
        } catch (UnsupportedOperationException | IOException e) {
            Assume.assumeNoException("symbolic links not supported here", e);
        }
        Files.createDirectories(root.resolve("results")); // not a category: ignored
        text(root.resolve("license.txt"));
        List<Category> cats = Datasets.open(root);
        assertEquals(3, cats.size());
        assertEquals("carpet", cats.get(0).name());
        assertEquals("grid", cats.get(1).name());
        assertEquals("zipper", cats.get(2).name());
        for (Category c : cats) {
            assertEquals(3, c.trainGood().size());
            assertEquals(5, c.test().size());
        }
        assertEquals(root.resolve("grid/train/good/a.PNG"), cats.get(1).trainGood().get(0));
    }

    @Test
    public void plainFolderIsOneCategoryWithoutTests() throws IOException {
        Path dir = tmp.newFolder("parts").toPath();
        image(dir.resolve("p2.jpg"));
        image(dir.resolve("p1.JPEG"));
        image(dir.resolve("p3.tiff"));
        text(dir.resolve("notes.txt"));
        image(dir.resolve("sub/deep.png")); // sub-folders are not searched
        List<Category> cats = Datasets.open(dir);
        assertEquals(1, cats.size());
        assertEquals("parts", cats.get(0).name());
        assertEquals(List.of("p1.JPEG", "p2.jpg", "p3.tiff"), names(cats.get(0).trainGood()));
        assertTrue(cats.get(0).test().isEmpty());
        assertFalse(cats.get(0).hasPixelMasks());
        assertEquals(cats.get(0).trainGood(), Datasets.listImages(dir));
    }

    @Test
    public void missingFolder() {
        Path missing = tmp.getRoot().toPath().resolve("missing");
        expectError(missing, missing.toString(), "does not exist");
        try {
            Datasets.listImages(missing);
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage().contains(missing.toString()));
        }
    }

    @Test
    public void fileInsteadOfFolder() throws IOException {
        Path file = tmp.getRoot().toPath().resolve("a.png");
        image(file);
        expectError(file, file.toString(), "not a folder");
    }

    @Test
    public void emptyFolder() throws IOException {
        Path dir = tmp.newFolder("empty").toPath();
        text(dir.resolve("notes.txt"));
        expectError(dir, dir.toString(), "no images");
        assertTrue(Datasets.listImages(dir).isEmpty());
    }

    @Test
    public void categoryWithEmptyTrainGood() throws IOException {
        Path dir = tmp.getRoot().toPath().resolve("cat");
        Files.createDirectories(dir.resolve("train/good"));
        image(dir.resolve("test/good/a.png"));
        expectError(dir, dir.resolve("train/good").toString(), "no images", "training images");
    }

    @Test
    public void rootWithoutCategoriesOrImages() throws IOException {
        Path root = tmp.newFolder("root").toPath();
        image(root.resolve("a/test/good/x.png"));
        image(root.resolve("b/y.png"));
        expectError(root, root.toString(), "a, b", "train/good");
    }

    private static void expectRootError(Path dir, String... parts) {
        try {
            Datasets.openRoot(dir);
            fail("expected an error for " + dir);
        } catch (AnomalyJException e) {
            for (String p : parts) {
                assertTrue("message '" + e.getMessage() + "' lacks '" + p + "'", e.getMessage().contains(p));
            }
        }
    }

    @Test
    public void openRootListsCategoriesAlsoThroughSymlinks() throws IOException {
        Path root = tmp.newFolder("root").toPath();
        category(root.resolve("carpet"));
        Path elsewhere = category(tmp.getRoot().toPath().resolve("elsewhere/grid"));
        try {
            Files.createSymbolicLink(root.resolve("grid"), elsewhere);
        } catch (UnsupportedOperationException | IOException e) {
            Assume.assumeNoException("symbolic links not supported here", e);
        }
        Files.createDirectories(root.resolve("results")); // neither train/ nor test/: not a category, ignored
        List<Category> cats = Datasets.openRoot(root);
        assertEquals(2, cats.size());
        assertEquals("carpet", cats.get(0).name());
        assertEquals("grid", cats.get(1).name());
        assertEquals(3, cats.get(1).trainGood().size());
    }

    @Test
    public void openRootRefusesACategoryFolder() throws IOException {
        Path dir = category(tmp.getRoot().toPath().resolve("data/carpet"));
        expectRootError(dir, dir.toString(), "is one category", tmp.getRoot().toPath().resolve("data").toString(),
                "--unified");
    }

    @Test
    public void openRootRefusesARootWithoutCategories() throws IOException {
        Path root = tmp.newFolder("root").toPath();
        image(root.resolve("loose.png")); // a plain folder of images is no root of categories
        Files.createDirectories(root.resolve("other"));
        expectRootError(root, root.toString(), "holds no categories", "train/good");
    }

    @Test
    public void openRootRefusesACategoryWithoutGoodImages() throws IOException {
        Path root = tmp.newFolder("root").toPath();
        category(root.resolve("carpet"));
        Files.createDirectories(root.resolve("grid/train/good"));
        image(root.resolve("grid/test/good/a.png"));
        expectRootError(root, root.resolve("grid/train/good").toString(), "no images");
        // a category with test/ but no train/good at all is not skipped silently either
        Path root2 = tmp.newFolder("root2").toPath();
        category(root2.resolve("carpet"));
        image(root2.resolve("zipper/test/good/a.png"));
        expectRootError(root2, root2.resolve("zipper").toString(), "no train/good",
                root2.resolve("zipper/train/good").toString());
    }

    @Test
    public void magneticTileCounts() {
        Path dir = Paths.get("../shared/datasets/magnetic_tile");
        Assume.assumeTrue(Files.isDirectory(dir));
        List<Category> cats = Datasets.open(dir);
        assertEquals(1, cats.size());
        Category c = cats.get(0);
        assertEquals("magnetic_tile", c.name());
        assertEquals(762, c.trainGood().size());
        assertEquals(582, c.test().size());
        assertEquals(392, c.anomalousCount());
        for (Sample s : c.test()) {
            assertEquals(s.name(), s.anomalous(), s.mask() != null);
        }
    }

    @Test
    public void kolektorCounts() {
        Path dir = Paths.get("../shared/datasets/kolektorsdd");
        Assume.assumeTrue(Files.isDirectory(dir));
        List<Category> cats = Datasets.open(dir);
        assertEquals(1, cats.size());
        Category c = cats.get(0);
        assertEquals(278, c.trainGood().size());
        assertEquals(121, c.test().size());
        assertEquals(52, c.anomalousCount());
        for (Sample s : c.test()) {
            assertEquals(s.name(), s.anomalous(), s.mask() != null);
        }
    }

    @Test
    public void sharedRootHoldsBothDataSets() {
        Path dir = Paths.get("../shared/datasets");
        Assume.assumeTrue(Files.isDirectory(dir.resolve("magnetic_tile")) && Files.isDirectory(dir.resolve("kolektorsdd")));
        List<Category> cats = Datasets.open(dir);
        assertEquals(2, cats.size());
        assertEquals("kolektorsdd", cats.get(0).name());
        assertEquals("magnetic_tile", cats.get(1).name());
    }

    @Test
    public void testSubsetKeepsTheShareOfDefectsAndTheOrder() throws java.io.IOException {
        java.nio.file.Path root = java.nio.file.Files.createTempDirectory("subset");
        SampleDataGenerator.generate(root, 3);
        Category c = Datasets.open(root).get(0);
        Category sub = c.withTestSubset(10, 1);
        org.junit.Assert.assertEquals(10, sub.test().size());
        double share = (double) c.anomalousCount() / c.test().size();
        org.junit.Assert.assertEquals(Math.round(10 * share), sub.anomalousCount());
        int last = -1;
        for (Sample s : sub.test()) {
            int at = c.test().indexOf(s);
            org.junit.Assert.assertTrue("in the original order", at > last);
            last = at;
        }
        org.junit.Assert.assertEquals(sub.test(), c.withTestSubset(10, 1).test());
        org.junit.Assert.assertSame(c, c.withTestSubset(0, 1));
    }
}
