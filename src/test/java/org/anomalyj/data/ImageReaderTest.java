package org.anomalyj.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.anomalyj.AnomalyJException;
import org.anomalyj.img.FloatImage;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ImageReaderTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path write(BufferedImage image, String format, String name) throws IOException {
        Path file = tmp.getRoot().toPath().resolve(name);
        assertTrue("no ImageIO writer for " + format, ImageIO.write(image, format, file.toFile()));
        return file;
    }

    /** A 16-bit grey image whose pixel (x, y) holds {@code values[y * w + x]}. */
    private static BufferedImage grey16(int w, int h, int[] values) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setPixels(0, 0, w, h, values);
        return img;
    }

    private static void assertMessage(AnomalyJException e, String... parts) {
        for (String p : parts) {
            assertTrue("message '" + e.getMessage() + "' lacks '" + p + "'", e.getMessage().contains(p));
        }
    }

    @Test
    public void eightBitGreyKeepsValues() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] v = {0, 1, 127, 128, 254, 255};
        img.getRaster().setPixels(0, 0, 3, 2, v);
        FloatImage f = ImageReader.read(write(img, "png", "g8.png"));
        assertEquals(1, f.channels());
        assertEquals(3, f.width());
        assertEquals(2, f.height());
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i], f.data()[i], 0f);
        }
    }

    @Test
    public void sixteenBitGreyPngAndTiffAreScaledBy257() throws IOException {
        int[] v = {0, 257, 1000, 32768, 65534, 65535};
        BufferedImage img = grey16(2, 3, v);
        for (String format : new String[] {"png", "tiff"}) {
            FloatImage f = ImageReader.read(write(img, format, "g16." + format));
            assertEquals(format, 1, f.channels());
            assertEquals(format, 2, f.width());
            assertEquals(format, 3, f.height());
            for (int i = 0; i < v.length; i++) {
                assertEquals(format + " pixel " + i, v[i] / 257.0, f.data()[i], 1e-4);
            }
            // Values that 8-bit conversion would merge stay distinct.
            assertTrue(f.data()[1] > f.data()[0]);
            assertEquals(255f, f.data()[5], 0f);
        }
    }

    @Test
    public void sixteenBitRgbPngIsScaledPerChannel() throws IOException {
        ColorSpace cs = ColorSpace.getInstance(ColorSpace.CS_sRGB);
        ComponentColorModel cm = new ComponentColorModel(cs, false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
        raster.setPixels(0, 0, 2, 1, new int[] {65535, 257, 0, 514, 1000, 65535});
        FloatImage f = ImageReader.read(write(new BufferedImage(cm, raster, false, null), "png", "rgb16.png"));
        assertEquals(3, f.channels());
        // CHW: R plane (65535, 514), G plane (257, 1000), B plane (0, 65535), each / 257.
        assertArrayEquals(new float[] {255f, 2f, 1f, 1000f / 257f, 0f, 255f}, f.data(), 1e-4f);
    }

    @Test
    public void rgbaDropsAlphaAndKeepsColour() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, (128 << 24) | (10 << 16) | (20 << 8) | 30);
        img.setRGB(1, 0, (255 << 24) | (200 << 16) | (100 << 8) | 50);
        FloatImage f = ImageReader.read(write(img, "png", "rgba.png"));
        assertEquals(3, f.channels());
        assertArrayEquals(new float[] {10, 200, 20, 100, 30, 50}, f.data(), 0f);
    }

    @Test
    public void rgbPngAndBmpAreExactJpegIsClose() throws IOException {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, (200 << 16) | (100 << 8) | 40);
            }
        }
        for (String format : new String[] {"png", "bmp"}) {
            FloatImage f = ImageReader.read(write(img, format, "rgb." + format));
            assertEquals(3, f.channels());
            assertEquals(200f, f.get(5, 7, 0), 0f);
            assertEquals(100f, f.get(5, 7, 1), 0f);
            assertEquals(40f, f.get(5, 7, 2), 0f);
        }
        FloatImage j = ImageReader.read(write(img, "jpg", "rgb.jpg"));
        assertEquals(3, j.channels());
        assertEquals(200f, j.get(5, 7, 0), 4f);
        assertEquals(100f, j.get(5, 7, 1), 4f);
        assertEquals(40f, j.get(5, 7, 2), 4f);
    }

    @Test
    public void paletteIsRgbUnlessThePaletteIsGrey() throws IOException {
        byte[] r = {0, (byte) 255, 10};
        byte[] g = {0, 0, 20};
        byte[] b = {0, 0, 30};
        BufferedImage colour = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, r, g, b));
        colour.getRaster().setPixels(0, 0, 3, 1, new int[] {2, 1, 0});
        FloatImage c = ImageReader.read(write(colour, "png", "pal.png"));
        assertEquals(3, c.channels());
        assertArrayEquals(new float[] {10, 255, 0, 20, 0, 0, 30, 0, 0}, c.data(), 0f);

        byte[] grey = {0, 77, (byte) 200};
        BufferedImage greyPal = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, grey, grey, grey));
        greyPal.getRaster().setPixels(0, 0, 3, 1, new int[] {2, 1, 0});
        FloatImage gp = ImageReader.read(write(greyPal, "png", "greypal.png"));
        assertEquals(1, gp.channels());
        assertArrayEquals(new float[] {200, 77, 0}, gp.data(), 0f);
    }

    @Test
    public void oneBitBecomesZeroAnd255() throws IOException {
        BufferedImage img = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY);
        img.getRaster().setPixels(0, 0, 4, 1, new int[] {0, 1, 1, 0});
        for (String format : new String[] {"png", "tiff", "bmp"}) {
            FloatImage f = ImageReader.read(write(img, format, "bin." + format));
            assertEquals(format, 1, f.channels());
            assertArrayEquals(format, new float[] {0, 255, 255, 0}, f.data(), 0f);
        }
    }

    @Test
    public void floatTiffIsStretchedMinToMax() throws IOException {
        ColorSpace cs = ColorSpace.getInstance(ColorSpace.CS_GRAY);
        ComponentColorModel cm = new ComponentColorModel(cs, false, false, Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        WritableRaster raster = cm.createCompatibleWritableRaster(4, 1);
        raster.setPixels(0, 0, 4, 1, new float[] {-1f, 0f, 1f, 3f});
        BufferedImage img = new BufferedImage(cm, raster, false, null);
        FloatImage f = ImageReader.read(write(img, "tiff", "f32.tif"));
        assertEquals(1, f.channels());
        // (v - min) / (max - min) * 255 with min = -1, max = 3.
        assertArrayEquals(new float[] {0f, 63.75f, 127.5f, 255f}, f.data(), 1e-3f);
    }

    @Test
    public void missingFileIsReported() {
        Path missing = tmp.getRoot().toPath().resolve("nope.png");
        try {
            ImageReader.read(missing);
            fail();
        } catch (AnomalyJException e) {
            assertEquals("Image file " + missing + " does not exist.", e.getMessage());
        }
        try {
            ImageReader.size(missing);
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, missing.toString(), "does not exist");
        }
    }

    @Test
    public void textFileWithImageExtensionIsNotAnImage() throws IOException {
        Path file = tmp.getRoot().toPath().resolve("notes.png");
        Files.write(file, "these are not pixels".getBytes(StandardCharsets.UTF_8));
        try {
            ImageReader.read(file);
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, file.toString(), "not an image", "convert it");
        }
    }

    @Test
    public void truncatedPngIsReportedAsCorrupt() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.getRaster().setSample(x, y, 0, (x * 7 + y * 13) ^ (x * y) & 0xFF);
            }
        }
        Path full = write(img, "png", "full.png");
        byte[] bytes = Files.readAllBytes(full);
        Path half = tmp.getRoot().toPath().resolve("half.png");
        Files.write(half, Arrays.copyOf(bytes, bytes.length / 2));
        try {
            ImageReader.read(half);
            fail("a half PNG must not decode");
        } catch (AnomalyJException e) {
            assertMessage(e, half.toString(), "truncated or corrupt", "copy it again");
        }
        // The header is intact, so the size is still known.
        assertArrayEquals(new int[] {64, 64}, ImageReader.size(half));
    }

    @Test
    public void truncatedJpegIsReportedAsCorrupt() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4 << 16) | (y * 4 << 8) | ((x ^ y) * 4 & 0xFF));
            }
        }
        byte[] bytes = Files.readAllBytes(write(img, "jpg", "full.jpg"));
        Path half = tmp.getRoot().toPath().resolve("half.jpg");
        Files.write(half, Arrays.copyOf(bytes, bytes.length / 2));
        try {
            ImageReader.read(half);
            fail("a half JPEG must not decode silently");
        } catch (AnomalyJException e) {
            assertMessage(e, half.toString(), "truncated or corrupt");
        }
    }

    @Test
    public void zeroSizePngIsReported() throws IOException {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        byte[] bytes = pngBytes(img);
        // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); width is its first int.
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.putInt(16, 0);
        CRC32 crc = new CRC32();
        crc.update(bytes, 12, 4 + 13);
        buf.putInt(16 + 13, (int) crc.getValue());
        Path file = tmp.getRoot().toPath().resolve("empty.png");
        Files.write(file, bytes);
        for (int k = 0; k < 2; k++) {
            try {
                if (k == 0) {
                    ImageReader.read(file);
                } else {
                    ImageReader.size(file);
                }
                fail();
            } catch (AnomalyJException e) {
                assertMessage(e, file.toString());
            }
        }
    }

    private static byte[] pngBytes(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    public void sizeReadsTheHeader() throws IOException {
        Path file = write(new BufferedImage(37, 11, BufferedImage.TYPE_INT_RGB), "tiff", "s.tif");
        assertArrayEquals(new int[] {37, 11}, ImageReader.size(file));
    }

    @Test
    public void maskIsTrueWhereNonZero() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setPixels(0, 0, 3, 2, new int[] {0, 255, 0, 1, 0, 255});
        boolean[] m = ImageReader.readMask(write(img, "png", "m_mask.png"), 3, 2);
        assertArrayEquals(new boolean[] {false, true, false, true, false, true}, m);

        // A 1-bit mask with a black/white palette works too.
        BufferedImage bin = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY);
        bin.getRaster().setPixels(0, 0, 3, 1, new int[] {1, 0, 1});
        boolean[] mb = ImageReader.readMask(write(bin, "png", "b_mask.png"), 3, 1);
        assertArrayEquals(new boolean[] {true, false, true}, mb);
    }

    @Test
    public void maskOfTheWrongSizeNamesBothSizes() throws IOException {
        Path mask = write(new BufferedImage(10, 20, BufferedImage.TYPE_BYTE_GRAY), "png", "x_mask.png");
        try {
            ImageReader.readMask(mask, 30, 40);
            fail();
        } catch (AnomalyJException e) {
            assertMessage(e, mask.toString(), "10x20", "30x40", "same size", "image");
        }
        assertFalse(ImageReader.readMask(mask, 10, 20)[0]);
    }
}
