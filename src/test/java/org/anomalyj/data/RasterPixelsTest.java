package org.anomalyj.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.anomalyj.img.FloatImage;
import org.anomalyj.img.PixelSource;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Region reads straight from the decoded raster give exactly what the full float conversion gives. */
public class RasterPixelsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path write(int type, String name) throws IOException {
        BufferedImage img = new BufferedImage(70, 50, type);
        WritableRaster r = img.getRaster();
        Random rnd = new Random(name.hashCode());
        int max = type == BufferedImage.TYPE_USHORT_GRAY ? 65535 : 255;
        for (int b = 0; b < r.getNumBands(); b++) {
            for (int y = 0; y < 50; y++) {
                for (int x = 0; x < 70; x++) {
                    r.setSample(x, y, b, rnd.nextInt(max + 1));
                }
            }
        }
        Path p = tmp.getRoot().toPath().resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test
    public void regionsMatchTheFullConversionForGrey8Grey16AndRgb() throws IOException {
        Path[] files = {write(BufferedImage.TYPE_BYTE_GRAY, "g8.png"), write(BufferedImage.TYPE_USHORT_GRAY, "g16.png"),
            write(BufferedImage.TYPE_3BYTE_BGR, "rgb.png")};
        for (Path f : files) {
            PixelSource direct = ImageReader.open(f);
            assertTrue(f + " is read from its raster", direct instanceof RasterPixels);
            FloatImage full = ImageReader.read(f);
            assertEquals(full.channels(), direct.channels());
            int[][] regions = {{0, 0, 70, 50}, {10, 5, 20, 30}, {-4, -3, 16, 16}, {60, 45, 32, 32}};
            for (int[] g : regions) {
                assertArrayEquals(f + " region " + java.util.Arrays.toString(g),
                        full.region(g[0], g[1], g[2], g[3]).data(), direct.region(g[0], g[1], g[2], g[3]).data(), 0f);
            }
        }
    }
}
