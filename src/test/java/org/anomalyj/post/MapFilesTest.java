package org.anomalyj.post;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.anomalyj.img.FloatImage;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import ij.ImagePlus;
import ij.io.Opener;
import ij.process.ImageProcessor;

public class MapFilesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static AnomalyMap randomMap(int w, int h) {
        Random r = new Random(7);
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = (r.nextFloat() - 0.3f) * 1000f;
        }
        v[0] = Float.MIN_VALUE;
        v[1] = -0f;
        return new AnomalyMap(w, h, v);
    }

    @Test
    public void floatTiffRoundTripsExactly() throws IOException {
        AnomalyMap m = randomMap(37, 23);
        Path f = tmp.getRoot().toPath().resolve("out/maps/a.tif");
        MapFiles.writeTiff(m, f);
        AnomalyMap back = MapFiles.readTiff(f);
        assertEquals(37, back.width());
        assertEquals(23, back.height());
        assertArrayEquals(m.values(), back.values(), 0f);
        assertNoTemp(f.getParent());
    }

    @Test
    public void imageJOpensTheTiffAs32BitWithTheSameValues() {
        AnomalyMap m = randomMap(64, 40);
        Path f = tmp.getRoot().toPath().resolve("map.tif");
        MapFiles.writeTiff(m, f);
        ImagePlus imp = new Opener().openImage(f.toString());
        assertTrue("ImageJ could not open the TIFF", imp != null);
        assertEquals(32, imp.getBitDepth());
        assertEquals(64, imp.getWidth());
        assertEquals(40, imp.getHeight());
        ImageProcessor ip = imp.getProcessor();
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(m.get(x, y), ip.getf(x, y), 0f);
            }
        }
    }

    @Test
    public void pngRoundTripsAndReplacesOnlyTheChosenDestination() throws IOException {
        FloatImage base = new FloatImage(5, 4, 3);
        AnomalyMap m = new AnomalyMap(5, 4, new float[20]);
        for (int i = 0; i < 20; i++) {
            m.values()[i] = i / 19f;
            base.data()[i] = 10 * i;
        }
        BufferedImage overlay = Heatmap.overlay(base, m);
        Path f = tmp.getRoot().toPath().resolve("overlay.png");
        Files.write(f, new byte[] {1, 2, 3}); // an old result at the destination is replaced
        MapFiles.writePng(overlay, f);
        BufferedImage back = ImageIO.read(f.toFile());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(overlay.getRGB(x, y), back.getRGB(x, y));
            }
        }
        Path mask = tmp.getRoot().toPath().resolve("mask.png");
        MapFiles.writePng(Heatmap.maskImage(m, 0.5f), mask);
        BufferedImage mb = ImageIO.read(mask.toFile());
        assertEquals(0, mb.getRaster().getSample(0, 0, 0));
        assertEquals(255, mb.getRaster().getSample(4, 3, 0));
        assertNoTemp(f.getParent());
    }

    private static void assertNoTemp(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".tmp")));
        }
    }
}
