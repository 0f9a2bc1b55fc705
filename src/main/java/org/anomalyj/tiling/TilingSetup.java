package org.anomalyj.tiling;

import java.util.Locale;
import org.anomalyj.AnomalyJException;

/**
 * A named input geometry + tiling, as compared in the tiled-ensemble paper's Table 1: presets
 * {@code SM256}, {@code SM512}, {@code ST9}, {@code ENS4}, {@code ENS9}, or the general form
 * {@code mode:size[:tile:stride]} (e.g. {@code ens:1024:256:256}; size may be {@code native}, or
 * {@code WxH} for a tiled setup, e.g. {@code ens:384x896:256:128} for tall images).
 */
public final class TilingSetup {
    private final String name;
    private final int size;
    private final int height;
    private final Tiling tiling;

    public TilingSetup(String name, int size, Tiling tiling) {
        this(name, size, 0, tiling);
    }

    /** @param height input height of a non-square tiled geometry, 0 = square */
    public TilingSetup(String name, int size, int height, Tiling tiling) {
        this.name = name;
        this.size = size;
        this.height = height;
        this.tiling = tiling;
    }

    public String name() {
        return name;
    }

    /** Input size (the width if {@link #height()} is set), 0 = native. */
    public int size() {
        return size;
    }

    /** Input height of a non-square geometry, 0 = square ({@link #size()}). */
    public int height() {
        return height;
    }

    public Tiling tiling() {
        return tiling;
    }

    public static TilingSetup parse(String spec, double seamBand, TileScore score) {
        String s = spec.trim();
        switch (s.toUpperCase(Locale.ROOT)) {
            case "SM256":
                return new TilingSetup("SM256", 256, Tiling.SINGLE);
            case "SM512":
                return new TilingSetup("SM512", 512, Tiling.SINGLE);
            case "ST9":
                return new TilingSetup("ST9", 512, new Tiling(TilingMode.ST, 256, 128, seamBand, score));
            case "ENS4":
                return new TilingSetup("ENS4", 512, new Tiling(TilingMode.ENS, 256, 256, seamBand, score));
            case "ENS9":
                return new TilingSetup("ENS9", 512, new Tiling(TilingMode.ENS, 256, 128, seamBand, score));
            default:
                break;
        }
        String[] p = s.split(":");
        try {
            TilingMode mode = TilingMode.parse(p[0]);
            int[] geometry = parseGeometry(p.length > 1 ? p[1] : "");
            if (mode == TilingMode.SM && p.length == 2 && geometry[1] == 0) {
                return new TilingSetup(s, geometry[0], Tiling.SINGLE);
            }
            if (mode != TilingMode.SM && p.length == 4) {
                return new TilingSetup(s, geometry[0], geometry[1],
                        new Tiling(mode, Integer.parseInt(p[2]), Integer.parseInt(p[3]), seamBand, score));
            }
        } catch (NumberFormatException | AnomalyJException e) {
            // falls through to the message below, which lists what is accepted
        }
        throw new AnomalyJException("Unknown setup '" + spec + "'; use SM256, SM512, ST9, ENS4, ENS9 or mode:size[:tile:stride],"
                + " e.g. sm:384, ens:1024:256:256 or ens:384x896:256:128.");
    }

    /**
     * {@code "WxH"} -> {W, H} (a non-square input, for tiled models), otherwise {@link #parseSize} -> {size, 0}.
     */
    public static int[] parseGeometry(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int x = t.indexOf('x');
        if (x < 0) {
            return new int[] {parseSize(t), 0};
        }
        try {
            int w = Integer.parseInt(t.substring(0, x).trim());
            int h = Integer.parseInt(t.substring(x + 1).trim());
            if (w > 0 && h > 0) {
                return new int[] {w, h == w ? 0 : h};
            }
        } catch (NumberFormatException e) {
            // message below
        }
        throw new AnomalyJException("Size '" + text + "' is not usable; give WIDTHxHEIGHT in pixels (e.g. 384x896),"
                + " a number of pixels (e.g. 256) or native.");
    }

    /** "native" -> 0, otherwise a positive number of pixels. */
    public static int parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("native")) {
            return 0;
        }
        try {
            int v = Integer.parseInt(t);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // message below
        }
        throw new AnomalyJException("Size '" + text + "' is not usable; give a number of pixels (e.g. 256) or native.");
    }
}
