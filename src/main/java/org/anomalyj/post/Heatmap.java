package org.anomalyj.post;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

import org.anomalyj.Bands;
import org.anomalyj.img.FloatImage;
import org.anomalyj.img.PixelSource;

/**
 * Renders anomaly maps for people: a perceptually uniform colour map ('inferno': black - purple -
 * orange - pale yellow, readable in grey print and by colour-blind viewers), overlays on the
 * inspected image, and binary masks.
 *
 * <p>The colour map is matplotlib's 'inferno' sampled at 17 evenly spaced points and linearly
 * interpolated (within about 6 of 255 levels of the full 256-entry table).
 */
public final class Heatmap {
    /** Heatmap weight used by {@link #overlay(FloatImage, AnomalyMap)}. */
    public static final float DEFAULT_OPACITY = 0.4f;

    /** 'inferno' at t = 0, 1/16, ..., 1 as 0xRRGGBB. */
    private static final int[] INFERNO = {
        0x000004, 0x0b0724, 0x210c4a, 0x3c0965, 0x57106d, 0x70196e, 0x89226a, 0xa32b61, 0xbb3755,
        0xd14644, 0xe35932, 0xf1711e, 0xf98d0a, 0xfcab0f, 0xf9ca32, 0xf2e865, 0xfcffa4};

    private Heatmap() {
    }

    /** Colour (0xRRGGBB) of a normalised value; values are clamped to 0..1, NaN is drawn as 0. */
    public static int rgb(float normalisedValue) {
        float v = normalisedValue >= 0 ? Math.min(normalisedValue, 1f) : 0f; // also maps NaN to 0
        int segments = INFERNO.length - 1;
        float pos = v * segments;
        int i = Math.min((int) pos, segments - 1);
        float f = pos - i;
        int a = INFERNO[i];
        int b = INFERNO[i + 1];
        int r = mix(a >> 16 & 0xff, b >> 16 & 0xff, f);
        int g = mix(a >> 8 & 0xff, b >> 8 & 0xff, f);
        int bl = mix(a & 0xff, b & 0xff, f);
        return r << 16 | g << 8 | bl;
    }

    private static int mix(int a, int b, float f) {
        return Math.round(a + (b - a) * f);
    }

    /** The map drawn in colour (TYPE_INT_RGB), one image pixel per map pixel. */
    public static BufferedImage colourised(AnomalyMap normalised01) {
        BufferedImage img = new BufferedImage(normalised01.width(), normalised01.height(), BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        float[] v = normalised01.values();
        for (int i = 0; i < px.length; i++) {
            px[i] = rgb(v[i]);
        }
        return img;
    }

    /** {@link #overlay(FloatImage, AnomalyMap, float)} at {@link #DEFAULT_OPACITY}. */
    public static BufferedImage overlay(FloatImage base, AnomalyMap normalised01) {
        return overlay(base, normalised01, DEFAULT_OPACITY);
    }

    /**
     * The base image (grey, or RGB from its first three channels; values 0..255) with the
     * colourised map blended on top: {@code (1 - opacity) * base + opacity * heat}. Map and image
     * must have the same size (resize the map first).
     */
    public static BufferedImage overlay(FloatImage base, AnomalyMap normalised01, float opacity) {
        return overlay(base, normalised01, null, opacity);
    }

    /**
     * As {@link #overlay(FloatImage, AnomalyMap, float)} for an image read a strip at a time, with
     * the map normalised on the fly by {@code normalization} (null: the map is already 0..1). Holds
     * only the result (3 bytes per pixel) and one strip of the image, so it serves very large images.
     */
    public static BufferedImage overlay(PixelSource base, AnomalyMap map, ScoreNormalization normalization, float opacity) {
        int w = base.width();
        int h = base.height();
        if (map.width() != w || map.height() != h) {
            throw new IllegalArgumentException("map " + map + " does not match image " + w + "x" + h);
        }
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be in 0..1: " + opacity);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        float[] v = map.values();
        boolean colour = base.channels() >= 3;
        float keep = 1 - opacity;
        // opacity * heat colour per channel for values 0, 1/1024, ..., 1: a table lookup per pixel
        // instead of interpolating the colour map and rounding three times (exact at those values,
        // within one level of rgb(v) elsewhere); KolektorSDD's 500 x 1250 overlays took ~16 ms
        float[] heatR = new float[HEAT_LEVELS + 1];
        float[] heatG = new float[HEAT_LEVELS + 1];
        float[] heatB = new float[HEAT_LEVELS + 1];
        for (int l = 0; l <= HEAT_LEVELS; l++) {
            int heat = rgb(l / (float) HEAT_LEVELS);
            heatR[l] = opacity * (heat >> 16 & 0xff);
            heatG[l] = opacity * (heat >> 8 & 0xff);
            heatB[l] = opacity * (heat & 0xff);
        }
        int strip = Math.max(1, (1 << 20) / w);
        // the strip's map values, normalised in one loop the JIT vectorises (per pixel, the
        // division in double doubled the overlay's time)
        float[] normalised = normalization == null ? null : new float[Math.min(strip, h) * w];
        for (int y0 = 0; y0 < h; y0 += strip) {
            int rows = Math.min(strip, h - y0);
            FloatImage part = base instanceof FloatImage && rows == h ? (FloatImage) base : base.region(0, y0, w, rows);
            float[] d = part.data();
            int plane = w * rows;
            int first = y0 * w;
            if (normalization != null) {
                normalization.normalize(v, first, plane, normalised);
            }
            float[] heat = normalization == null ? v : normalised;
            int heatAt = normalization == null ? first : 0;
            Bands.Band blendPixels = (from, to) -> {
                for (int i = from; i < to; i++) {
                    int at = first + i;
                    float r = d[i];
                    float g = colour ? d[plane + i] : r;
                    float b = colour ? d[2 * plane + i] : r;
                    float value = heat[heatAt + i];
                    int l = (int) ((value >= 0 ? Math.min(value, 1f) : 0f) * HEAT_LEVELS + 0.5f); // NaN -> 0
                    px[3 * at] = (byte) blend(b, keep, heatB[l]);
                    px[3 * at + 1] = (byte) blend(g, keep, heatG[l]);
                    px[3 * at + 2] = (byte) blend(r, keep, heatR[l]);
                }
            };
            // bands of pixels on both cores: the per-pixel table lookups do not vectorise
            Bands.run(plane, plane, PARALLEL_PIXELS, blendPixels);
        }
        return img;
    }

    /** Pixels of a strip from which its blending is split between the cores (fork/join costs ~20 us). */
    private static final int PARALLEL_PIXELS = 1 << 15;

    /** Steps of the overlay's colour table between 0 and 1. */
    private static final int HEAT_LEVELS = 1024;

    /** {@code round(keep * clamp(base) + heatTerm)}; the sum is never negative, so truncating x + 0.5 rounds. */
    private static int blend(float base, float keep, float heatTerm) {
        float c = base >= 0 ? Math.min(base, 255f) : 0f;
        return (int) (keep * c + heatTerm + 0.5f);
    }

    /** 8-bit grey mask (TYPE_BYTE_GRAY): 255 where {@code map >= threshold}, else 0. */
    public static BufferedImage maskImage(AnomalyMap map, float threshold) {
        BufferedImage img = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        float[] v = map.values();
        for (int i = 0; i < px.length; i++) {
            px[i] = v[i] >= threshold ? (byte) 255 : 0;
        }
        return img;
    }
}
