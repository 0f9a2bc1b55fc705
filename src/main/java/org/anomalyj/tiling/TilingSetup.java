package org.anomalyj.tiling;

import java.util.Locale;
import org.anomalyj.AnomalyJException;

/**
 * A named input geometry + tiling, as compared in the tiled-ensemble paper's Table 1: presets
 * {@code SM256}, {@code SM512}, {@code ST9}, {@code ENS4}, {@code ENS9}, or the general form
 * {@code mode:size[:tile:stride]} (e.g. {@code ens:1024:256:256}; size may be {@code native}).
 */
public final class TilingSetup {
    private final String name;
    private final int size;
    private final Tiling tiling;

    public TilingSetup(String name, int size, Tiling tiling) {
        this.name = name;
        this.size = size;
        this.tiling = tiling;
    }

    public String name() {
        return name;
    }

    /** Input size (square), 0 = native. */
    public int size() {
        return size;
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
            int size = parseSize(p.length > 1 ? p[1] : "");
            if (mode == TilingMode.SM && p.length == 2) {
                return new TilingSetup(s, size, Tiling.SINGLE);
            }
            if (mode != TilingMode.SM && p.length == 4) {
                return new TilingSetup(s, size, new Tiling(mode, Integer.parseInt(p[2]), Integer.parseInt(p[3]), seamBand, score));
            }
        } catch (NumberFormatException | AnomalyJException e) {
            // falls through to the message below, which lists what is accepted
        }
        throw new AnomalyJException("Unknown setup '" + spec + "'; use SM256, SM512, ST9, ENS4, ENS9 or mode:size[:tile:stride],"
                + " e.g. sm:384 or ens:1024:256:256.");
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
