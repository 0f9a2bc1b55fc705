package org.anomalyj.img;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import org.anomalyj.AnomalyJException;

/**
 * Converts ImageJ images into the engine's {@link FloatImage} (values 0..255), with the same rules
 * as {@code data.ImageReader} so that a file gives the same result whether it is read from disk
 * or from an open ImageJ window:
 * <ul>
 * <li>8-bit grey: 1 channel, pixel values as stored (a display LUT such as 'Fire' is ignored).</li>
 * <li>8-bit indexed colour (COLOR_256, e.g. a palette PNG): looked up into 3 channels RGB.</li>
 * <li>16-bit: 1 channel, value / 257 (65535 becomes 255).</li>
 * <li>32-bit: 1 channel, the slice's own min..max stretched to 0..255 (NaN becomes 0).</li>
 * <li>RGB: 3 channels.</li>
 * </ul>
 * This is the only class below {@code fiji/} that imports ImageJ. The user's image is only read,
 * never modified (no conversion of the ImagePlus, no change of its display range).
 */
public final class ImagePlusAdapter {
    private ImagePlusAdapter() {
    }

    /** The processor of a 1-based stack plane (the image's own for a single plane), checked. */
    private static ImageProcessor plane(ImagePlus imp, int slice) {
        if (imp == null) {
            throw new AnomalyJException("No image is open; open an image first.");
        }
        int n = imp.getStackSize();
        if (slice < 1 || slice > n) {
            throw new IllegalArgumentException("slice " + slice + " not in 1.." + n);
        }
        return n == 1 ? imp.getProcessor() : imp.getStack().getProcessor(slice);
    }

    /**
     * One plane of an image.
     *
     * @param slice 1-based index into the image's stack (1..getStackSize())
     */
    public static FloatImage slice(ImagePlus imp, int slice) {
        ImageProcessor ip = plane(imp, slice);
        if (imp.getType() == ImagePlus.COLOR_256) {
            // convertToRGB builds a new processor: the user's image stays as it is.
            return toFloatImage(ip.convertToRGB());
        }
        return toFloatImage(ip);
    }

    /**
     * One plane as a {@link PixelSource} that reads regions straight from the processor's 8-bit,
     * 16-bit or RGB pixels (same values as {@link #slice}), so tiling a large image never makes a
     * float copy of it; 32-bit and indexed-colour planes are converted as {@link #slice} does.
     */
    public static PixelSource pixels(ImagePlus imp, int slice) {
        ImageProcessor ip = plane(imp, slice);
        int depth = ip.getBitDepth();
        if (imp.getType() == ImagePlus.COLOR_256 || (depth != 8 && depth != 16 && depth != 24)) {
            return slice(imp, slice);
        }
        return new ProcessorPixels(ip);
    }

    /** Regions of an 8-bit, 16-bit or RGB processor, converted only where asked for. */
    private static final class ProcessorPixels implements PixelSource {
        private final ImageProcessor ip;

        ProcessorPixels(ImageProcessor ip) {
            this.ip = ip;
        }

        @Override
        public int width() {
            return ip.getWidth();
        }

        @Override
        public int height() {
            return ip.getHeight();
        }

        @Override
        public int channels() {
            return ip.getBitDepth() == 24 ? 3 : 1;
        }

        @Override
        public FloatImage region(int x, int y, int w, int h) {
            FloatImage out = new FloatImage(w, h, channels());
            int iw = width();
            int x0 = Math.max(0, x);
            int x1 = Math.min(iw, x + w);
            int y0 = Math.max(0, y);
            int y1 = Math.min(height(), y + h);
            float[] d = out.data();
            int plane = w * h;
            Object pixels = ip.getPixels();
            for (int yy = y0; yy < y1; yy++) {
                int src = yy * iw;
                int dst = (yy - y) * w - x;
                for (int xx = x0; xx < x1; xx++) {
                    if (pixels instanceof byte[]) {
                        d[dst + xx] = ((byte[]) pixels)[src + xx] & 0xff;
                    } else if (pixels instanceof short[]) {
                        d[dst + xx] = (((short[]) pixels)[src + xx] & 0xffff) / 257f;
                    } else {
                        int c = ((int[]) pixels)[src + xx];
                        d[dst + xx] = c >> 16 & 0xff;
                        d[plane + dst + xx] = c >> 8 & 0xff;
                        d[2 * plane + dst + xx] = c & 0xff;
                    }
                }
            }
            return out;
        }
    }

    /** Pixels of one processor; see the class comment for the rules. */
    public static FloatImage toFloatImage(ImageProcessor ip) {
        int w = ip.getWidth();
        int h = ip.getHeight();
        int plane = w * h;
        Object pixels = ip.getPixels();
        switch (ip.getBitDepth()) {
            case 8: {
                byte[] p = (byte[]) pixels;
                float[] out = new float[plane];
                for (int i = 0; i < plane; i++) {
                    out[i] = p[i] & 0xff;
                }
                return new FloatImage(w, h, 1, out);
            }
            case 16: {
                short[] p = (short[]) pixels;
                float[] out = new float[plane];
                for (int i = 0; i < plane; i++) {
                    // Division (not * 1/257) keeps multiples of 257 exact, as ImageReader does.
                    out[i] = (p[i] & 0xffff) / 257f;
                }
                return new FloatImage(w, h, 1, out);
            }
            case 32:
                return stretched((float[]) pixels, w, h);
            case 24: {
                int[] p = (int[]) ((ColorProcessor) ip).getPixels();
                float[] out = new float[3 * plane];
                for (int i = 0; i < plane; i++) {
                    int c = p[i];
                    out[i] = c >> 16 & 0xff;
                    out[plane + i] = c >> 8 & 0xff;
                    out[2 * plane + i] = c & 0xff;
                }
                return new FloatImage(w, h, 3, out);
            }
            default:
                throw new AnomalyJException("Images of bit depth " + ip.getBitDepth()
                        + " are not supported; convert the image to 8-bit, 16-bit, 32-bit or RGB.");
        }
    }

    /** min..max of the values -> 0..255 (see {@link Intensity}); the user's pixels are not touched. */
    private static FloatImage stretched(float[] p, int w, int h) {
        float[] out = new float[p.length];
        Intensity.stretchToByteRange(p, out, "(32-bit ImageJ image)");
        return new FloatImage(w, h, 1, out);
    }
}
