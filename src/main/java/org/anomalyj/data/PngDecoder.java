package org.anomalyj.data;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A decoder for the PNGs data sets are made of: 8-bit grey, grey + alpha, RGB or RGBA, not
 * interlaced. Anything else (palette, 16-bit, interlaced, damaged or unusual files) is declined
 * with {@code null}, and {@link ImageReader} reads it with {@code javax.imageio} as before, which
 * also produces the error messages for broken files.
 *
 * <p>Why: {@code ImageIO} took 0.8 ms of a 254 x 347 grey PNG's 1.0 ms read (zlib's inflate
 * 0.45 ms of it) and 6.4 ms of KolektorSDD's 500 x 1254 (inflate 2.5 ms); the rest was its
 * stream, reader and raster machinery. {@link ImageReader#read} with this decoder: 0.95 -> 0.72
 * ms and 6.98 -> 5.67 ms (30 test images each, scratch benchmark); what is left is inflate and,
 * on KolektorSDD, the Paeth filter, sequential byte by byte (2.5 ms). Samples are returned
 * exactly as stored (alpha separate), so the values equal ImageIO's; {@code PngDecoderTest}
 * compares every filter type and colour type with it, and every PNG of the shared data sets' test
 * splits when they are present.
 */
final class PngDecoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** A decoded image: interleaved 8-bit samples, {@code channels} per pixel (alpha last, if any). */
    static final class Pixels {
        final int width;
        final int height;
        final int channels;
        final boolean alpha;
        final byte[] samples;

        Pixels(int width, int height, int channels, boolean alpha, byte[] samples) {
            this.width = width;
            this.height = height;
            this.channels = channels;
            this.alpha = alpha;
            this.samples = samples;
        }

        /**
         * The samples as a {@link BufferedImage} around them (no copy), laid out as ImageIO lays out
         * such a PNG: bands in file order (grey or R, G, B, then alpha), one byte per sample.
         */
        BufferedImage toImage() {
            ColorSpace space = ColorSpace.getInstance(channels - (alpha ? 1 : 0) == 1 ? ColorSpace.CS_GRAY
                    : ColorSpace.CS_sRGB);
            ComponentColorModel model = new ComponentColorModel(space, alpha, false,
                    alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
            int[] bands = new int[channels];
            for (int c = 0; c < channels; c++) {
                bands[c] = c;
            }
            WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(samples, samples.length), width,
                    height, width * channels, channels, bands, null);
            return new BufferedImage(model, raster, false, null);
        }
    }

    private PngDecoder() {
    }

    /** Whether the bytes start with the PNG signature. */
    static boolean isPng(byte[] file) {
        if (file.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (file[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** The file's pixels, or null when this decoder does not handle the file (see the class comment). */
    static Pixels decode(byte[] file) {
        if (!isPng(file)) {
            return null;
        }
        int p = SIGNATURE.length;
        int width = -1;
        int height = -1;
        int channels = 0;
        boolean alpha = false;
        Inflater inflater = new Inflater();
        try {
            byte[] raw = null;
            int got = 0;
            while (p + 8 <= file.length) {
                int length = readInt(file, p);
                int type = readInt(file, p + 4);
                int data = p + 8;
                if (length < 0 || (long) data + length + 4 > file.length) {
                    return null; // truncated: ImageIO reports it
                }
                if (type == chunk("IHDR")) {
                    if (length != 13 || width >= 0) {
                        return null;
                    }
                    width = readInt(file, data);
                    height = readInt(file, data + 4);
                    int depth = file[data + 8];
                    int colourType = file[data + 9];
                    int compression = file[data + 10];
                    int filter = file[data + 11];
                    int interlace = file[data + 12];
                    channels = colourType == 0 ? 1 : colourType == 2 ? 3 : colourType == 4 ? 2 : colourType == 6 ? 4 : 0;
                    alpha = colourType == 4 || colourType == 6;
                    if (width <= 0 || height <= 0 || depth != 8 || channels == 0 || compression != 0 || filter != 0
                            || interlace != 0 || ((long) width * channels + 1) * height > Integer.MAX_VALUE - 8) {
                        return null;
                    }
                    raw = new byte[(width * channels + 1) * height];
                } else if (type == chunk("PLTE")) {
                    if (channels == 0) {
                        return null;
                    }
                } else if (type == chunk("IDAT")) {
                    if (raw == null) {
                        return null;
                    }
                    inflater.setInput(file, data, length);
                    while (got < raw.length && !inflater.needsInput()) {
                        int n = inflater.inflate(raw, got, raw.length - got);
                        got += n;
                        if (n == 0 && (inflater.finished() || inflater.needsDictionary())) {
                            break;
                        }
                    }
                } else if (type == chunk("IEND")) {
                    break;
                } else if (type == chunk("tRNS") || type == chunk("iCCP") || type == chunk("sBIT")) {
                    return null; // transparency, colour profiles, significant bits: ImageIO's business
                } else if ((file[p + 4] & 0x20) == 0) {
                    return null; // an unknown critical chunk
                }
                p = data + length + 4; // skip the CRC
            }
            if (raw == null || got != raw.length) {
                return null;
            }
            byte[] samples = unfilter(raw, width, height, channels);
            return samples == null ? null : new Pixels(width, height, channels, alpha, samples);
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    /** The image's rows with their filters undone (PNG spec, 9.2), or null for an unknown filter type. */
    static byte[] unfilter(byte[] raw, int width, int height, int bpp) {
        int stride = width * bpp;
        byte[] out = new byte[stride * height];
        for (int y = 0; y < height; y++) {
            int in = y * (stride + 1) + 1;
            int row = y * stride;
            int up = row - stride; // the previous row; absent (zeros) for the first
            switch (raw[in - 1]) {
                case 0:
                    System.arraycopy(raw, in, out, row, stride);
                    break;
                case 1: // Sub
                    System.arraycopy(raw, in, out, row, bpp);
                    for (int i = bpp; i < stride; i++) {
                        out[row + i] = (byte) (raw[in + i] + out[row + i - bpp]);
                    }
                    break;
                case 2: // Up
                    if (y == 0) {
                        System.arraycopy(raw, in, out, row, stride);
                    } else {
                        for (int i = 0; i < stride; i++) {
                            out[row + i] = (byte) (raw[in + i] + out[up + i]);
                        }
                    }
                    break;
                case 3: // Average
                    if (y == 0) {
                        System.arraycopy(raw, in, out, row, bpp);
                        for (int i = bpp; i < stride; i++) {
                            out[row + i] = (byte) (raw[in + i] + ((out[row + i - bpp] & 0xFF) >>> 1));
                        }
                        break;
                    }
                    for (int i = 0; i < bpp; i++) {
                        out[row + i] = (byte) (raw[in + i] + ((out[up + i] & 0xFF) >>> 1));
                    }
                    for (int i = bpp; i < stride; i++) {
                        out[row + i] = (byte) (raw[in + i] + (((out[row + i - bpp] & 0xFF) + (out[up + i] & 0xFF)) >>> 1));
                    }
                    break;
                case 4: // Paeth
                    if (y == 0) { // no row above: the left neighbour, as Sub
                        System.arraycopy(raw, in, out, row, bpp);
                        for (int i = bpp; i < stride; i++) {
                            out[row + i] = (byte) (raw[in + i] + out[row + i - bpp]);
                        }
                        break;
                    }
                    for (int i = 0; i < bpp; i++) { // no left neighbour: the one above
                        out[row + i] = (byte) (raw[in + i] + out[up + i]);
                    }
                    if (bpp == 1) { // grey: the left and upper-left neighbours stay in registers
                        int a = out[row] & 0xFF;
                        int c = out[up] & 0xFF;
                        for (int i = 1; i < stride; i++) {
                            int b = out[up + i] & 0xFF;
                            a = (raw[in + i] + paeth(a, b, c)) & 0xFF;
                            out[row + i] = (byte) a;
                            c = b;
                        }
                        break;
                    }
                    for (int i = bpp; i < stride; i++) {
                        int a = out[row + i - bpp] & 0xFF;
                        int x = (raw[in + i] + paeth(a, out[up + i] & 0xFF, out[up + i - bpp] & 0xFF)) & 0xFF;
                        out[row + i] = (byte) x;
                    }
                    break;
                default:
                    return null;
            }
        }
        return out;
    }

    /**
     * The Paeth predictor (the spec's order: a, then b, then c on ties) without branches: on
     * KolektorSDD, whose rows are all Paeth-filtered, the branches were mispredicted so often that
     * undoing the filter took 3.5 ms per image.
     */
    static int paeth(int a, int b, int c) {
        int pa = Math.abs(b - c);
        int pb = Math.abs(a - c);
        int pc = Math.abs(a + b - 2 * c);
        int m1 = (pb - pa) >> 31; // -1 when pa > pb
        int x = a ^ ((a ^ b) & m1);
        int px = pa ^ ((pa ^ pb) & m1);
        int m2 = (pc - px) >> 31; // -1 when the best so far is beaten by c
        return x ^ ((x ^ c) & m2);
    }

    private static int chunk(String name) {
        return name.charAt(0) << 24 | name.charAt(1) << 16 | name.charAt(2) << 8 | name.charAt(3);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
