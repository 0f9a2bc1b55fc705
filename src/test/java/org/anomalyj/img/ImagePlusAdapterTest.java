package org.anomalyj.img;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.anomalyj.data.ImageReader;
import org.junit.Test;

public class ImagePlusAdapterTest {
    @Test
    public void eightBitKeepsValues() {
        ByteProcessor bp = new ByteProcessor(3, 2, new byte[] {0, 1, (byte) 128, (byte) 200, (byte) 255, 7});
        FloatImage f = ImagePlusAdapter.slice(new ImagePlus("b", bp), 1);
        assertEquals(1, f.channels());
        assertArrayEquals(new float[] {0, 1, 128, 200, 255, 7}, f.data(), 0f);
    }

    @Test
    public void sixteenBitDividesBy257() {
        ShortProcessor sp = new ShortProcessor(2, 2, new short[] {0, 257, (short) 65535, 1000}, null);
        FloatImage f = ImagePlusAdapter.slice(new ImagePlus("s", sp), 1);
        assertArrayEquals(new float[] {0, 1, 255, 1000 / 257f}, f.data(), 1e-6f);
    }

    @Test
    public void floatStretchesMinMaxAndNaNBecomesZero() {
        FloatProcessor fp = new FloatProcessor(2, 2, new float[] {-1, 1, 0, Float.NaN});
        ImagePlus imp = new ImagePlus("f", fp);
        FloatImage f = ImagePlusAdapter.slice(imp, 1);
        assertArrayEquals(new float[] {0, 255, 127.5f, 0}, f.data(), 1e-4f);
        // the user's pixels are untouched
        assertEquals(-1f, imp.getProcessor().getf(0), 0f);
        assertEquals(Float.NaN, imp.getProcessor().getf(3), 0f);
    }

    @Test
    public void rgbBecomesThreePlanes() {
        ColorProcessor cp = new ColorProcessor(2, 1, new int[] {0x102030, 0xff8001});
        FloatImage f = ImagePlusAdapter.slice(new ImagePlus("c", cp), 1);
        assertEquals(3, f.channels());
        assertArrayEquals(new float[] {0x10, 0xff, 0x20, 0x80, 0x30, 0x01}, f.data(), 0f);
    }

    @Test
    public void readsTheRequestedStackSlice() {
        ImageStack st = new ImageStack(2, 1);
        st.addSlice(new ByteProcessor(2, 1, new byte[] {1, 2}));
        st.addSlice(new ByteProcessor(2, 1, new byte[] {30, 40}));
        ImagePlus imp = new ImagePlus("st", st);
        assertArrayEquals(new float[] {30, 40}, ImagePlusAdapter.slice(imp, 2).data(), 0f);
        assertArrayEquals(new float[] {1, 2}, ImagePlusAdapter.slice(imp, 1).data(), 0f);
    }

    @Test
    public void sameAsImageReaderOnASampleFile() throws Exception {
        Path file = java.nio.file.Paths.get("sample-data/grain/test/good/000.png");
        org.junit.Assume.assumeTrue(Files.isRegularFile(file));
        FloatImage fromDisk = ImageReader.read(file);
        FloatImage fromIj = ImagePlusAdapter.slice(ij.IJ.openImage(file.toString()), 1);
        assertEquals(fromDisk.channels(), fromIj.channels());
        assertArrayEquals(fromDisk.data(), fromIj.data(), 0f);
    }

    @Test
    public void regionReadsMatchTheFullConversion() {
        java.util.Random r = new java.util.Random(4);
        ij.process.ImageProcessor[] ps = {new ij.process.ByteProcessor(40, 30), new ij.process.ShortProcessor(40, 30),
            new ij.process.ColorProcessor(40, 30)};
        for (ij.process.ImageProcessor ip : ps) {
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 40; x++) {
                    ip.set(x, y, ip instanceof ij.process.ColorProcessor ? r.nextInt(1 << 24) : r.nextInt(ip instanceof ij.process.ShortProcessor ? 65536 : 256));
                }
            }
            ij.ImagePlus imp = new ij.ImagePlus("t", ip);
            FloatImage full = ImagePlusAdapter.slice(imp, 1);
            PixelSource direct = ImagePlusAdapter.pixels(imp, 1);
            org.junit.Assert.assertFalse(direct instanceof FloatImage);
            int[][] regions = {{0, 0, 40, 30}, {-3, 5, 16, 16}, {30, 20, 16, 16}};
            for (int[] g : regions) {
                org.junit.Assert.assertArrayEquals(ip.getBitDepth() + " " + java.util.Arrays.toString(g),
                        full.region(g[0], g[1], g[2], g[3]).data(), direct.region(g[0], g[1], g[2], g[3]).data(), 0f);
            }
        }
    }
}
