package org.anomalyj.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import org.anomalyj.img.FloatImage;
import org.anomalyj.img.PixelSource;

/**
 * A decoded grey or RGB image with unsigned integer samples of at most 16 bits, read region by
 * region from its raster: the samples are converted to 0..255 floats only for the region asked
 * for, with the same scaling as {@link ImageReader#read}.
 */
final class RasterPixels implements PixelSource {
    private final Raster raster;
    private final int channels;
    private final int[] bits;

    private RasterPixels(Raster raster, int channels, int[] bits) {
        this.raster = raster;
        this.channels = channels;
        this.bits = bits;
    }

    /** The image as a raster source, or null when it needs {@link ImageReader#read}'s general conversion. */
    static RasterPixels wrap(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        if (!(cm instanceof ComponentColorModel)) {
            return null;
        }
        int type = cm.getColorSpace().getType();
        int colour = Math.min(cm.getNumColorComponents(), image.getRaster().getNumBands());
        boolean grey = type == ColorSpace.TYPE_GRAY && colour == 1;
        boolean rgb = type == ColorSpace.TYPE_RGB && colour == 3;
        int dataType = image.getRaster().getDataBuffer().getDataType();
        if (!(grey || rgb) || (dataType != DataBuffer.TYPE_BYTE && dataType != DataBuffer.TYPE_USHORT)) {
            return null;
        }
        int[] bits = new int[colour];
        for (int c = 0; c < colour; c++) {
            bits[c] = cm.getComponentSize(c);
            if (bits[c] > 16) {
                return null;
            }
        }
        return new RasterPixels(image.getRaster(), colour, bits);
    }

    @Override
    public int width() {
        return raster.getWidth();
    }

    @Override
    public int height() {
        return raster.getHeight();
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public FloatImage region(int x, int y, int w, int h) {
        FloatImage out = new FloatImage(w, h, channels);
        int x0 = Math.max(0, x);
        int x1 = Math.min(width(), x + w);
        int y0 = Math.max(0, y);
        int y1 = Math.min(height(), y + h);
        if (x0 >= x1 || y0 >= y1) {
            return out;
        }
        int rw = x1 - x0;
        float[] row = new float[rw];
        float[] data = out.data();
        for (int c = 0; c < channels; c++) {
            for (int yy = y0; yy < y1; yy++) {
                raster.getSamples(raster.getMinX() + x0, raster.getMinY() + yy, rw, 1, c, row);
                ImageReader.scaleToByteRange(row, 0, rw, bits[c]);
                System.arraycopy(row, 0, data, out.planeOffset(c) + (yy - y) * w + x0 - x, rw);
            }
        }
        return out;
    }
}
