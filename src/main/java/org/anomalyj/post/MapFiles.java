package org.anomalyj.post;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferFloat;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.anomalyj.AnomalyJException;
import org.anomalyj.io.AtomicFile;

/**
 * Writes result images: anomaly maps as 32-bit float grey TIFFs (exact values, open in ImageJ
 * and numpy/tifffile as 32-bit images) and rendered images as PNG.
 *
 * <p>The caller always passes the destination path, so an input image is never chosen
 * implicitly; each file is written to a temporary name in the same folder and renamed into
 * place, so an interrupted run never leaves a truncated result.
 */
public final class MapFiles {

    private MapFiles() {
    }

    /** Writes {@code map} as an uncompressed single-channel 32-bit float TIFF. */
    public static void writeTiff(AnomalyMap map, Path dest) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        WritableRaster raster = Raster.createWritableRaster(
                cm.createCompatibleSampleModel(map.width(), map.height()),
                new DataBufferFloat(map.values(), map.values().length), null);
        BufferedImage img = new BufferedImage(cm, raster, false, null);
        write(img, "tiff", dest);
    }

    /** Writes a rendered image (overlay, heatmap, mask) as PNG. */
    public static void writePng(BufferedImage img, Path dest) {
        write(img, "png", dest);
    }

    /** Reads a single-channel TIFF written by {@link #writeTiff} (or any 1-band image) back as a map. */
    public static AnomalyMap readTiff(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw new AnomalyJException("Map file " + file + " is not a readable image: write it again with AnomalyJ.");
            }
            Raster r = img.getRaster();
            float[] v = r.getSamples(0, 0, r.getWidth(), r.getHeight(), 0, (float[]) null);
            return new AnomalyMap(r.getWidth(), r.getHeight(), v);
        } catch (IOException e) {
            throw new AnomalyJException("Map file " + file + " cannot be read (" + e.getMessage() + "): check that it exists and is a TIFF.", e);
        }
    }

    private static void write(BufferedImage img, String format, Path dest) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IllegalStateException("this Java runtime has no " + format + " writer");
        }
        ImageWriter writer = writers.next();
        try {
            AtomicFile.write(dest, out -> {
                try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                    writer.setOutput(ios);
                    writer.write(img);
                }
            });
        } finally {
            writer.dispose();
        }
    }
}
