package org.anomalyj.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.anomalyj.img.FloatImage;
import org.anomalyj.img.PixelSource;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The PNG fast path against javax.imageio, which remains the reference. */
public class PngDecoderTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Every colour type the decoder takes, every filter type (and all mixed row by row), odd sizes. */
    @Test
    public void everyFilterAndColourTypeDecodesAsImageIODoes() throws IOException {
        int[] colourTypes = {0, 2, 4, 6};
        int[][] sizes = {{1, 1}, {1, 9}, {9, 1}, {37, 23}};
        Random r = new Random(3);
        int files = 0;
        for (int colourType : colourTypes) {
            for (int filter = 0; filter <= 5; filter++) { // 5: filters 0..4 cycling row by row
                for (int[] size : sizes) {
                    byte[] png = encode(size[0], size[1], colourType, filter, r);
                    Path f = tmp.getRoot().toPath().resolve("t" + files++ + ".png");
                    Files.write(f, png);
                    assertNotNull("the fast path takes colour type " + colourType, PngDecoder.decode(png));
                    FloatImage expected = ImageReader.readWithImageIO(f);
                    FloatImage actual = ImageReader.read(f);
                    String what = "colour type " + colourType + ", filter " + filter + ", " + size[0] + "x" + size[1];
                    assertEquals(what, expected.channels(), actual.channels());
                    assertArrayEquals(what, expected.data(), actual.data(), 0f);
                    PixelSource opened = ImageReader.open(f);
                    assertArrayEquals(what + " (open)", expected.data(),
                            opened.region(0, 0, size[0], size[1]).data(), 0f);
                }
            }
        }
    }

    @Test
    public void declinesWhatItDoesNotHandle() throws IOException {
        Random r = new Random(4);
        byte[] png = encode(8, 8, 0, 4, r);
        assertNotNull(PngDecoder.decode(png));
        // truncated inside the image data
        assertNull(PngDecoder.decode(java.util.Arrays.copyOf(png, png.length - 20)));
        // 16-bit, interlaced, palette: ImageIO's
        assertNull(PngDecoder.decode(withHeaderByte(png, 8, 16)));
        assertNull(PngDecoder.decode(withHeaderByte(png, 12, 1)));
        assertNull(PngDecoder.decode(withHeaderByte(png, 9, 3)));
        assertNull(PngDecoder.decode("not a png".getBytes(StandardCharsets.US_ASCII)));
        // an unknown filter type
        byte[] raw = new byte[2 * 3];
        raw[0] = 7;
        assertNull(PngDecoder.unfilter(raw, 2, 2, 1));
    }

    /** Every PNG of the shared data sets' test splits: the same floats as ImageIO. Skips without ../shared. */
    @Test
    public void sharedDataSetsDecodeAsImageIODoes() throws IOException {
        Path datasets = Paths.get("../shared/datasets");
        Assume.assumeTrue("needs ../shared", Files.isDirectory(datasets));
        List<Path> pngs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(datasets)) {
            s.filter(p -> p.toString().endsWith(".png") && p.toString().contains("/test/")).forEach(pngs::add);
        }
        assertTrue(pngs.size() > 100);
        int fast = 0;
        for (Path f : pngs) {
            FloatImage expected = ImageReader.readWithImageIO(f);
            FloatImage actual = ImageReader.read(f);
            assertEquals(f.toString(), expected.channels(), actual.channels());
            assertArrayEquals(f.toString(), expected.data(), actual.data(), 0f);
            fast += PngDecoder.decode(Files.readAllBytes(f)) != null ? 1 : 0;
        }
        assertEquals("every shared test image takes the fast path", pngs.size(), fast);
    }

    /** The PNG with IHDR byte {@code at} (counted from the IHDR data) replaced; the CRC is not fixed. */
    private static byte[] withHeaderByte(byte[] png, int at, int value) {
        byte[] copy = png.clone();
        copy[8 + 8 + at] = (byte) value;
        return copy;
    }

    /**
     * A PNG of random but locally smooth samples, every row filtered with {@code filter} (5:
     * filters 0..4 in turn), written by hand so that each filter type is certain to occur.
     */
    static byte[] encode(int w, int h, int colourType, int filter, Random r) throws IOException {
        int bpp = colourType == 0 ? 1 : colourType == 2 ? 3 : colourType == 4 ? 2 : 4;
        int stride = w * bpp;
        byte[] img = new byte[stride * h];
        for (int i = 0; i < img.length; i++) {
            img[i] = (byte) (r.nextInt(40) + (i % stride) * 3 + (i / stride) * 5);
        }
        byte[] raw = new byte[(stride + 1) * h];
        for (int y = 0; y < h; y++) {
            int f = filter == 5 ? y % 5 : filter;
            raw[y * (stride + 1)] = (byte) f;
            for (int i = 0; i < stride; i++) {
                int x = img[y * stride + i] & 0xFF;
                int a = i >= bpp ? img[y * stride + i - bpp] & 0xFF : 0;
                int b = y > 0 ? img[(y - 1) * stride + i] & 0xFF : 0;
                int c = i >= bpp && y > 0 ? img[(y - 1) * stride + i - bpp] & 0xFF : 0;
                int pred;
                switch (f) {
                    case 1: pred = a; break;
                    case 2: pred = b; break;
                    case 3: pred = (a + b) >>> 1; break;
                    case 4: {
                        int p = a + b - c;
                        int pa = Math.abs(p - a);
                        int pb = Math.abs(p - b);
                        int pc = Math.abs(p - c);
                        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                        break;
                    }
                    default: pred = 0;
                }
                raw[y * (stride + 1) + 1 + i] = (byte) (x - pred);
            }
        }
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!deflater.finished()) {
            z.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        writeInt(ihdr, w);
        writeInt(ihdr, h);
        ihdr.write(new byte[] {8, (byte) colourType, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        byte[] data = z.toByteArray();
        // two IDAT chunks: the decoder must join them
        int half = data.length / 2;
        chunk(out, "IDAT", java.util.Arrays.copyOfRange(data, 0, half));
        chunk(out, "IDAT", java.util.Arrays.copyOfRange(data, half, data.length));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        writeInt(out, data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        writeInt(out, (int) crc.getValue());
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
