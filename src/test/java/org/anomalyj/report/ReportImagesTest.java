package org.anomalyj.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import javax.imageio.ImageIO;
import org.anomalyj.metrics.Curve;
import org.anomalyj.metrics.Roc;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ReportImagesTest {
    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void curvePlotIsWrittenWithVisibleCurvesAndLegend() throws IOException {
        Curve roc = Roc.curve(new double[] {0.1, 0.4, 0.35, 0.8, 0.9, 0.2}, new boolean[] {false, false, true, true, true, false});
        Curve pro = new Curve(new double[] {0, 0.1, 0.2, 0.3}, new double[] {0, 0.6, 0.8, 0.9});
        Color orange = new Color(213, 94, 0);
        Path png = folder.getRoot().toPath().resolve("nested/roc.png");
        CurvePlot.write(png, "Image ROC", "false positive rate", "true positive rate",
                Arrays.asList(new NamedCurve("image ROC (AUROC 0.889)", roc, Color.BLUE), new NamedCurve("PRO", pro, orange)),
                1.0);
        BufferedImage read = ImageIO.read(png.toFile());
        assertEquals(CurvePlot.WIDTH, read.getWidth());
        assertEquals(CurvePlot.HEIGHT, read.getHeight());
        // Both line colours occur, well beyond the few pixels the legend swatches use.
        assertTrue(countColor(read, Color.BLUE.getRGB()) > 200);
        assertTrue(countColor(read, orange.getRGB()) > 200);
        // The ROC curve's vertical first segment runs up the left axis: blue pixels near x = 70.
        int leftEdgeBlue = 0;
        for (int y = 0; y < read.getHeight(); y++) {
            for (int x = 68; x <= 73; x++) {
                leftEdgeBlue += read.getRGB(x, y) == Color.BLUE.getRGB() ? 1 : 0;
            }
        }
        assertTrue("ROC starts with a vertical run on the y axis", leftEdgeBlue > 50);
        assertTrue(Files.list(png.getParent()).allMatch(p -> p.getFileName().toString().equals("roc.png")));
    }

    @Test
    public void proPlotClipsAtTheFprLimit() throws IOException {
        Curve pro = new Curve(new double[] {0, 0.1, 0.3, 1.0}, new double[] {0, 0.5, 0.9, 1.0});
        BufferedImage plot = CurvePlot.render("PRO", "FPR", "PRO", Collections.singletonList(new NamedCurve("PRO", pro)), 0.3);
        int color = CurvePlot.PALETTE[0].getRGB();
        assertTrue(countColor(plot, color) > 200);
        for (int y = 0; y < plot.getHeight(); y++) {
            for (int x = CurvePlot.WIDTH - 20; x < CurvePlot.WIDTH; x++) {
                assertTrue("nothing drawn right of the plot area", plot.getRGB(x, y) != color);
            }
        }
    }

    @Test
    public void montageHasTheComputedSizeAndShowsTheImages() throws IOException {
        BufferedImage red = solid(320, 320, Color.RED);     // scaled down to 160 x 160
        BufferedImage green = solid(80, 40, Color.GREEN);   // scaled up to 320 x 160
        MontageTile a = new MontageTile("good_001.png\nscore 0.12  good", red, green);
        MontageTile b = new MontageTile("crack_004.png\nscore 3.40  anomalous", Color.ORANGE, red);
        MontageTile c = new MontageTile("a very long file name that will not fit into the cell at all.png", green);
        Path png = folder.getRoot().toPath().resolve("montage.png");
        Montage.write(png, Arrays.asList(a, b, c), 2);
        BufferedImage read = ImageIO.read(png.toFile());
        // Widest tile: 160 + 4 + 320 = 484 content, + 16 padding = 500 per cell; 2 columns, 2 rows.
        assertEquals(10 + 2 * (500 + 10), read.getWidth());
        // Cell height: two title lines + 4 gap + 160 image + 16 padding.
        java.awt.Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        int line = g.getFontMetrics(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12)).getHeight();
        g.dispose();
        int cellHeight = 2 * line + 4 + Montage.CELL_HEIGHT + 16;
        assertEquals(10 + 2 * (cellHeight + 10), read.getHeight());
        assertTrue(countColor(read, Color.RED.getRGB()) >= 2 * 150 * 150);
        assertTrue(countColor(read, Color.GREEN.getRGB()) >= 2 * 150 * 150);
        assertTrue(countColor(read, Color.ORANGE.getRGB()) > 100);
    }

    @Test
    public void scalingKeepsAspectRatio() {
        BufferedImage scaled = Montage.scaleToHeight(solid(1000, 700, Color.BLUE), 160);
        assertEquals(160, scaled.getHeight());
        assertEquals(229, scaled.getWidth());
    }

    private static BufferedImage solid(int w, int h, Color color) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, color.getRGB());
            }
        }
        return image;
    }

    private static int countColor(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                count += image.getRGB(x, y) == rgb ? 1 : 0;
            }
        }
        return count;
    }
}
