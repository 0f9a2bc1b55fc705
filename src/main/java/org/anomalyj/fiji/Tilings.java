package org.anomalyj.fiji;

import org.anomalyj.tiling.TileScore;
import org.anomalyj.tiling.Tiling;
import org.anomalyj.tiling.TilingMode;

/** The tiling the Train dialogs ask for: mode, tile and stride, with the default seam band and mean tile score. */
public final class Tilings {
    private Tilings() {
    }

    public static Tiling of(String mode, int tile, int stride) {
        TilingMode m = TilingMode.parse(mode);
        return m == TilingMode.SM ? Tiling.SINGLE : new Tiling(m, tile, stride, Tiling.DEFAULT_SEAM_BAND, TileScore.MEAN);
    }
}
