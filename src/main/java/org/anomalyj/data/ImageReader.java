package org.anomalyj.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

import org.anomalyj.AnomalyJException;
import org.anomalyj.img.FloatImage;
import org.anomalyj.img.Intensity;
import org.anomalyj.img.PixelSource;

/**
 * Reads image files (PNG, TIFF, JPEG, BMP: whatever {@code javax.imageio} can decode) into
 * {@link FloatImage}s with values in 0..255, and reads defect masks.
 *
 * <p>Pixel conversion rules (samples are read from the {@link Raster}, never through
 * {@code getRGB}, so 16-bit data keeps its precision):
 * <ul>
 * <li>8-bit grey: 1 channel, values unchanged.</li>
 * <li>16-bit grey (unsigned): 1 channel, value / 257, so 65535 maps to 255 exactly.</li>
 * <li>Other unsigned integer depths (1, 2, 4, 12 bit...): scaled by 255 / (2^bits - 1); so a
 *     1-bit image becomes 0 / 255.</li>
 * <li>RGB, 8 or 16 bit per sample: 3 channels (16-bit samples / 257). RGBA/ARGB and grey+alpha:
 *     alpha is dropped (the colour samples are used as stored, not composited).</li>
 * <li>Palette (indexed) images: looked up in the palette; 1 channel when every palette entry is
 *     grey (r == g == b), else 3 channels RGB.</li>
 * <li>Floating-point, signed or 32-bit integer samples (e.g. 32-bit float TIFF): the image's own
 *     min..max range is scaled linearly to 0..255 (a constant image becomes all 0). Absolute
 *     values are therefore not comparable between such files; convert them to 8 or 16 bit first
 *     when that matters. NaN samples become 0.</li>
 * <li>Other colour spaces (e.g. CMYK): converted to 8-bit RGB by Java's colour management.</li>
 * </ul>
 * Multi-page files (TIFF stacks): only the first page is read.
 *
 * <p>Plain 8-bit PNGs (grey, grey + alpha, RGB, RGBA, not interlaced) are decoded by
 * {@link PngDecoder}, to the same values, in a fraction of ImageIO's time; every other file, and any
 * PNG that decoder declines, goes through {@code javax.imageio}.
 *
 * <p>Every failure a user can cause (missing file, not an image, unsupported format, truncated or
 * corrupt data, zero-size image) is an {@link AnomalyJException} whose message names the file and
 * says what to do.
 */
public final class ImageReader {
    private ImageReader() {
    }

    /** Reads the first image in {@code file}; see the class comment for the conversion rules. */
    public static FloatImage read(Path file) {
        BufferedImage png = simplePng(file);
        return toFloatImage(png != null ? png : decode(file), file);
    }

    /**
     * Reads a file with {@code javax.imageio} only (never {@link PngDecoder}): for tests that
     * compare the two.
     */
    static FloatImage readWithImageIO(Path file) {
        return toFloatImage(decode(file), file);
    }

    /**
     * A plain 8-bit PNG decoded by {@link PngDecoder} (several times faster than ImageIO, the same
     * samples in the same raster layout), or null for any other file, which then goes through
     * ImageIO and its error messages.
     */
    private static BufferedImage simplePng(Path file) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            return null;
        }
        try {
            PngDecoder.Pixels png = PngDecoder.decode(Files.readAllBytes(file));
            return png == null ? null : png.toImage();
        } catch (IOException | RuntimeException e) {
            return null; // missing, unreadable, odd: ImageIO's path says what is wrong
        }
    }

    /**
     * Opens the first image in {@code file} for reading a region at a time. Grey and RGB images
     * with 8- or 16-bit (or fewer) unsigned samples are read straight from the decoded raster, so
     * a large 8-bit image costs one byte per sample, not a float copy; other kinds are converted
     * to a {@link FloatImage} as {@link #read} does. Values follow the same rules as {@link #read}.
     */
    public static PixelSource open(Path file) {
        BufferedImage png = simplePng(file);
        BufferedImage image = png != null ? png : decode(file);
        PixelSource direct = RasterPixels.wrap(image);
        return direct != null ? direct : toFloatImage(image, file);
    }

    /**
     * Reads a defect mask: {@code true} where any colour sample of the mask is non-zero (alpha is
     * ignored; for palette masks the palette colour counts, not the index). Row-major, index
     * {@code y * width + x}.
     *
     * @throws AnomalyJException when the mask cannot be read or its size is not
     *     {@code expectedWidth x expectedHeight}
     */
    public static boolean[] readMask(Path file, int expectedWidth, int expectedHeight) {
        int[] size = size(file);
        checkMaskSize(file, size[0], size[1], expectedWidth, expectedHeight);
        BufferedImage image = decode(file);
        // A reader could disagree with its own header; check the decoded size too.
        checkMaskSize(file, image.getWidth(), image.getHeight(), expectedWidth, expectedHeight);
        int w = image.getWidth();
        int h = image.getHeight();
        boolean[] mask = new boolean[w * h];
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel) {
            IndexColorModel icm = (IndexColorModel) cm;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int i = row[x];
                    mask[y * w + x] = (icm.getRGB(i) & 0xFFFFFF) != 0;
                }
            }
            return mask;
        }
        int colourBands = colourBands(image);
        double[] row = new double[w];
        for (int b = 0; b < colourBands; b++) {
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, b, row);
                for (int x = 0; x < w; x++) {
                    if (row[x] != 0) {
                        mask[y * w + x] = true;
                    }
                }
            }
        }
        return mask;
    }

    /**
     * Width and height of the first image in {@code file}, from the file header when the format
     * allows it (the pixels are not decoded).
     */
    public static int[] size(Path file) {
        checkExists(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            javax.imageio.ImageReader reader = readerFor(in, file);
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                checkNotEmpty(file, w, h);
                return new int[] {w, h};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw wrap(file, e);
        }
    }

    // --- decoding -------------------------------------------------------------------------------

    private static BufferedImage decode(Path file) {
        checkExists(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            javax.imageio.ImageReader reader = readerFor(in, file);
            try {
                reader.setInput(in, true, true);
                checkNotEmpty(file, reader.getWidth(0), reader.getHeight(0));
                // Some readers (JPEG) only warn on a truncated stream and return a half-grey
                // image; a silently wrong image is worse than an error.
                TruncationWatcher watcher = new TruncationWatcher();
                reader.addIIOReadWarningListener(watcher);
                BufferedImage image = reader.read(0);
                if (watcher.warning != null) {
                    throw corrupt(file, watcher.warning);
                }
                if (image == null) {
                    throw corrupt(file, "no image decoded");
                }
                checkNotEmpty(file, image.getWidth(), image.getHeight());
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw wrap(file, e);
        }
    }

    private static javax.imageio.ImageReader readerFor(ImageInputStream in, Path file) {
        if (in == null) {
            throw new AnomalyJException("Cannot open image file " + file + "; check that it is readable.");
        }
        Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new AnomalyJException("Image file " + file + " is not an image in a supported format"
                    + " (PNG, TIFF, JPEG, BMP); convert it to PNG or TIFF, or remove it from the folder.");
        }
        return readers.next();
    }

    /** Records the first warning that says the data ended early. */
    private static final class TruncationWatcher implements IIOReadWarningListener {
        String warning;

        @Override
        public void warningOccurred(javax.imageio.ImageReader source, String message) {
            String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
            if (warning == null && (m.contains("premature end") || m.contains("truncat")
                    || m.contains("unexpected end"))) {
                warning = message;
            }
        }
    }

    // --- conversion -----------------------------------------------------------------------------

    private static FloatImage toFloatImage(BufferedImage image, Path file) {
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel) {
            return fromPalette(image, (IndexColorModel) cm);
        }
        int colourBands = colourBands(image);
        int type = cm.getColorSpace().getType();
        boolean gray = type == java.awt.color.ColorSpace.TYPE_GRAY && colourBands == 1;
        boolean rgb = type == java.awt.color.ColorSpace.TYPE_RGB && colourBands == 3;
        if (!gray && !rgb) {
            return fromRgbInts(image);
        }
        Raster raster = image.getRaster();
        int w = image.getWidth();
        int h = image.getHeight();
        int channels = gray ? 1 : 3;
        FloatImage out = new FloatImage(w, h, channels);
        float[] data = out.data();
        int dataType = raster.getDataBuffer().getDataType();
        boolean integerSamples = dataType == DataBuffer.TYPE_BYTE || dataType == DataBuffer.TYPE_USHORT
                || dataType == DataBuffer.TYPE_INT;
        boolean stretch = !integerSamples;
        for (int c = 0; c < channels; c++) {
            if (cm.getComponentSize(c) > 16) {
                stretch = true; // 32-bit integer samples have no natural 0..255 mapping
            }
        }
        float[] plane = channels == 1 ? data : new float[w * h];
        for (int c = 0; c < channels; c++) {
            // getSamples fills a whole plane in one call (CHW order, no per-pixel allocation).
            raster.getSamples(0, 0, w, h, c, plane);
            if (plane != data) {
                System.arraycopy(plane, 0, data, out.planeOffset(c), w * h);
            }
            if (!stretch) {
                scaleToByteRange(data, out.planeOffset(c), w * h, cm.getComponentSize(c));
            }
        }
        if (stretch) {
            Intensity.stretchToByteRange(data, data, "file " + file);
        }
        return out;
    }

    /** Unsigned integer samples of {@code bits} bits -> 0..255; 16 bit uses value / 257 exactly. */
    static void scaleToByteRange(float[] data, int offset, int length, int bits) {
        if (bits == 8) {
            return;
        }
        int end = offset + length;
        if (bits == 16) {
            // Division (not multiplication by 1/257) keeps multiples of 257 exact: 65535 -> 255.
            for (int i = offset; i < end; i++) {
                data[i] /= 257f;
            }
            return;
        }
        float scale = 255f / ((1 << bits) - 1);
        for (int i = offset; i < end; i++) {
            data[i] *= scale;
        }
    }

    private static int colourBands(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        int bands = cm.getNumColorComponents();
        return Math.min(bands, image.getRaster().getNumBands());
    }

    private static FloatImage fromPalette(BufferedImage image, IndexColorModel icm) {
        int w = image.getWidth();
        int h = image.getHeight();
        int n = icm.getMapSize();
        boolean grey = true;
        for (int i = 0; i < n; i++) {
            if (icm.getRed(i) != icm.getGreen(i) || icm.getGreen(i) != icm.getBlue(i)) {
                grey = false;
                break;
            }
        }
        FloatImage out = new FloatImage(w, h, grey ? 1 : 3);
        float[] data = out.data();
        int plane = w * h;
        int[] row = new int[w];
        Raster raster = image.getRaster();
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int i = row[x];
                int p = y * w + x;
                data[p] = icm.getRed(i);
                if (!grey) {
                    data[plane + p] = icm.getGreen(i);
                    data[2 * plane + p] = icm.getBlue(i);
                }
            }
        }
        return out;
    }

    /** Fallback for colour spaces other than grey/RGB: Java's colour conversion to 8-bit sRGB. */
    private static FloatImage fromRgbInts(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        FloatImage out = new FloatImage(w, h, 3);
        float[] data = out.data();
        int plane = w * h;
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                int p = y * w + x;
                data[p] = (argb >> 16) & 0xFF;
                data[plane + p] = (argb >> 8) & 0xFF;
                data[2 * plane + p] = argb & 0xFF;
            }
        }
        return out;
    }


    // --- checks and messages --------------------------------------------------------------------

    private static void checkExists(Path file) {
        if (!Files.exists(file)) {
            throw new AnomalyJException("Image file " + file + " does not exist.");
        }
        if (Files.isDirectory(file)) {
            throw new AnomalyJException("Image file " + file + " is a folder, not an image; give the path of an image file.");
        }
    }

    private static void checkNotEmpty(Path file, int w, int h) {
        if (w <= 0 || h <= 0) {
            throw new AnomalyJException("Image file " + file + " has size " + w + "x" + h
                    + " (no pixels); replace it with a valid image or remove it.");
        }
    }

    private static void checkMaskSize(Path mask, int w, int h, int expectedW, int expectedH) {
        if (w != expectedW || h != expectedH) {
            throw new AnomalyJException("Mask " + mask + " is " + w + "x" + h + " but its image is "
                    + expectedW + "x" + expectedH + "; make the mask the same size as its image (or"
                    + " check that it belongs to that image).");
        }
    }

    private static AnomalyJException corrupt(Path file, String detail) {
        return new AnomalyJException("Image file " + file + " is truncated or corrupt (" + detail
                + "); copy it again or remove it from the folder.");
    }

    private static AnomalyJException wrap(Path file, Exception e) {
        if (e instanceof AnomalyJException) {
            return (AnomalyJException) e;
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new AnomalyJException("Image file " + file + " is truncated or corrupt (" + detail
                + "); copy it again or remove it from the folder.", e);
    }
}
