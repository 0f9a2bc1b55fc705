package org.anomalyj.fiji;

import ij.ImagePlus;
import ij.gui.Roi;
import java.util.Locale;
import org.anomalyj.img.FloatImage;
import org.anomalyj.img.ImagePlusAdapter;
import org.anomalyj.img.PixelSource;

/**
 * How Detect Anomalies reads an image with z-slices, time frames and channels: every (z, t)
 * position is one inspected image, visited z first then t. Channels are not separate images:
 * <ul>
 * <li>1 channel (a plain image, stack or time series): the plane itself (RGB stays colour);</li>
 * <li>exactly 3 channels (e.g. a composite opened from a colour TIFF or made by Merge Channels):
 * channels 1, 2, 3 become red, green and blue of one colour image, each converted with
 * {@link ImagePlusAdapter}'s rules (16-bit / 257, 32-bit stretched per plane);</li>
 * <li>2 or more than 3 channels: only the current channel (the one shown, {@code Stack.setChannel}
 * in a macro) is inspected, and {@link #note()} says so.</li>
 * </ul>
 * The user's image is only read.
 */
public final class ImagePlanes {
    private final ImagePlus imp;
    private final int channels;
    private final int slices;
    private final int frames;
    /** The channel inspected, or 0 when all three make one colour image (or there is one). */
    private final int channel;

    private ImagePlanes(ImagePlus imp) {
        this.imp = imp;
        int c = imp.getNChannels();
        int z = imp.getNSlices();
        int t = imp.getNFrames();
        if (c * z * t != imp.getStackSize()) {
            // inconsistent dimensions (should not happen): every stack slice is one image
            c = 1;
            z = imp.getStackSize();
            t = 1;
        }
        this.channels = c;
        this.slices = z;
        this.frames = t;
        this.channel = c == 1 || c == 3 ? 0 : Math.max(1, Math.min(c, imp.getC()));
    }

    /** The planes of {@code imp} (not null). */
    public static ImagePlanes of(ImagePlus imp) {
        return new ImagePlanes(imp);
    }

    /** Number of inspected images: z-slices times frames. */
    public int count() {
        return slices * frames;
    }

    /** The z-slice (1-based) of image {@code i} (0-based). */
    public int z(int i) {
        return i % slices + 1;
    }

    /** The frame (1-based) of image {@code i} (0-based). */
    public int t(int i) {
        return i / slices + 1;
    }

    /** Number of time frames. */
    public int frames() {
        return frames;
    }

    /** The single channel inspected (1-based), or 0 when channels are not picked from. */
    public int channel() {
        return channel;
    }

    /** True when three channels are combined into one colour image. */
    public boolean combinesChannels() {
        return channels == 3;
    }

    /** A sentence for the Log when channels were left out, else null. */
    public String note() {
        if (channel == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "%s has %d channels; only channel %d (the current one) was inspected."
                + " Select another channel to inspect it, or merge three channels into one colour image.",
                imp.getTitle(), channels, channel);
    }

    /** Image {@code i} (0-based) for the engine: read a region at a time (no float copy of 8/16-bit/RGB planes). */
    public PixelSource image(int i) {
        int z = z(i);
        int t = t(i);
        if (channels == 3) {
            return colour(z, t);
        }
        return ImagePlusAdapter.pixels(imp, imp.getStackIndex(channel == 0 ? 1 : channel, z, t));
    }

    private FloatImage colour(int z, int t) {
        int w = imp.getWidth();
        int h = imp.getHeight();
        int plane = w * h;
        float[] rgb = new float[3 * plane];
        for (int c = 1; c <= 3; c++) {
            FloatImage one = ImagePlusAdapter.slice(imp, imp.getStackIndex(c, z, t)).toGrey();
            System.arraycopy(one.data(), 0, rgb, (c - 1) * plane, plane);
        }
        return new FloatImage(w, h, 3, rgb);
    }

    /**
     * Puts an overlay element at image {@code i}: nowhere in particular for a single image, at
     * its (z, t) on every channel for a hyperstack, else at its stack slice.
     */
    public void place(Roi roi, int i) {
        if (imp.getStackSize() == 1) {
            roi.setPosition(0);
        } else if (imp.isHyperStack()) {
            roi.setPosition(0, z(i), t(i));
        } else {
            roi.setPosition(imp.getStackIndex(channel == 0 ? 1 : channel, z(i), t(i)));
        }
    }

    /** Label of image {@code i} for the map/mask stacks. */
    public String label(int i) {
        if (count() == 1) {
            return imp.getTitle();
        }
        String l = imp.getStack().getShortSliceLabel(imp.getStackIndex(channel == 0 ? 1 : channel, z(i), t(i)));
        if (l != null && !l.isEmpty()) {
            return l;
        }
        return frames == 1 ? "z" + z(i) : slices == 1 ? "t" + t(i) : "z" + z(i) + " t" + t(i);
    }

    /** Dimensions (z, t) of the map/mask stacks: one plane per inspected image. */
    public int slices() {
        return slices;
    }
}
