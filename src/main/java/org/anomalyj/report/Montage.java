package org.anomalyj.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * A grid of titled image tiles ("best and worst scored test images"): every image is scaled to
 * {@link #CELL_HEIGHT} pixels high keeping its aspect ratio; all cells share the width of the
 * widest tile so the columns line up. Pure Java2D, works headless.
 */
public final class Montage {
    /** Height of every image in a tile, in pixels. */
    public static final int CELL_HEIGHT = 160;

    private static final int GAP = 4;      // between the images of one tile
    private static final int PADDING = 8;  // inside a tile, around its content
    private static final int SPACING = 10; // between tiles and around the montage
    private static final Color INK = new Color(30, 30, 30);

    private Montage() {
    }

    /**
     * Renders the montage and writes it as a PNG (parent folders are created; the write is atomic).
     *
     * @param columns tiles per row (at least 1; fewer when there are fewer tiles)
     * @throws org.anomalyj.AnomalyJException when the file cannot be written
     */
    public static void write(Path png, List<MontageTile> tiles, int columns) {
        PngFiles.write(render(tiles, columns), png);
    }

    /** Renders the montage into a new RGB image (see {@link #write}). */
    public static BufferedImage render(List<MontageTile> tiles, int columns) {
        if (tiles.isEmpty()) {
            throw new IllegalArgumentException("a montage needs at least one tile");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be at least 1, got " + columns);
        }
        int cols = Math.min(columns, tiles.size());
        int rows = (tiles.size() + cols - 1) / cols;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        FontMetrics fm = fontMetrics(font);
        int maxLines = 1;
        int contentWidth = 0;
        for (MontageTile tile : tiles) {
            maxLines = Math.max(maxLines, tile.title().split("\n", -1).length);
            contentWidth = Math.max(contentWidth, imagesWidth(tile));
        }
        int titleHeight = maxLines * fm.getHeight();
        int cellWidth = contentWidth + 2 * PADDING;
        int cellHeight = titleHeight + GAP + CELL_HEIGHT + 2 * PADDING;
        int width = SPACING + cols * (cellWidth + SPACING);
        int height = SPACING + rows * (cellHeight + SPACING);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(new Color(242, 242, 242));
            g.fillRect(0, 0, width, height);
            g.setFont(font);
            for (int i = 0; i < tiles.size(); i++) {
                int x = SPACING + (i % cols) * (cellWidth + SPACING);
                int y = SPACING + (i / cols) * (cellHeight + SPACING);
                drawTile(g, tiles.get(i), x, y, cellWidth, cellHeight, titleHeight);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void drawTile(Graphics2D g, MontageTile tile, int x, int y, int w, int h, int titleHeight) {
        g.setColor(Color.WHITE);
        g.fillRect(x, y, w, h);
        if (tile.frame() != null) {
            g.setColor(tile.frame());
            for (int k = 0; k < 3; k++) {
                g.drawRect(x + k, y + k, w - 1 - 2 * k, h - 1 - 2 * k);
            }
        }
        FontMetrics fm = g.getFontMetrics();
        g.setColor(INK);
        String[] lines = tile.title().split("\n", -1);
        for (int l = 0; l < lines.length; l++) {
            String text = fit(lines[l], fm, w - 2 * PADDING);
            g.drawString(text, x + PADDING, y + PADDING + l * fm.getHeight() + fm.getAscent());
        }
        int ix = x + PADDING + (w - 2 * PADDING - imagesWidth(tile)) / 2;
        int iy = y + PADDING + titleHeight + GAP;
        for (BufferedImage image : tile.images()) {
            BufferedImage scaled = scaleToHeight(image, CELL_HEIGHT);
            g.drawImage(scaled, ix, iy, null);
            ix += scaled.getWidth() + GAP;
        }
    }

    private static int imagesWidth(MontageTile tile) {
        int width = 0;
        for (BufferedImage image : tile.images()) {
            width += scaledWidth(image) + GAP;
        }
        return width - GAP;
    }

    private static int scaledWidth(BufferedImage image) {
        return Math.max(1, (int) Math.round(image.getWidth() * (double) CELL_HEIGHT / image.getHeight()));
    }

    /**
     * Scales to {@code height} keeping the aspect ratio. Large reductions first halve the image
     * repeatedly, because a single bilinear step from, say, 1024 px to 160 px skips most pixels
     * and aliases fine texture.
     */
    static BufferedImage scaleToHeight(BufferedImage image, int height) {
        int targetWidth = Math.max(1, (int) Math.round(image.getWidth() * (double) height / image.getHeight()));
        BufferedImage current = image;
        int w = image.getWidth();
        int h = image.getHeight();
        do {
            int nextW = Math.max(targetWidth, w / 2);
            int nextH = Math.max(height, h / 2);
            if (h <= 2 * height) {
                nextW = targetWidth;
                nextH = height;
            }
            BufferedImage next = new BufferedImage(nextW, nextH, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(current, 0, 0, nextW, nextH, null);
            } finally {
                g.dispose();
            }
            current = next;
            w = nextW;
            h = nextH;
        } while (h != height || w != targetWidth);
        return current;
    }

    /** The text, shortened with "..." to fit {@code maxWidth} pixels. */
    static String fit(String text, FontMetrics fm, int maxWidth) {
        if (fm.stringWidth(text) <= maxWidth) {
            return text;
        }
        String ellipsis = "...";
        int end = text.length();
        while (end > 0 && fm.stringWidth(text.substring(0, end) + ellipsis) > maxWidth) {
            end--;
        }
        return text.substring(0, end) + ellipsis;
    }

    private static FontMetrics fontMetrics(Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }
}
