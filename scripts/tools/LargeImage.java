import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.File;
import javax.imageio.ImageIO;

/**
 * Writes an 8-bit grey n x n PNG by repeating a smaller image (for memory tests of large images).
 * Usage: java scripts/tools/LargeImage.java SOURCE.png N OUT.png
 */
public class LargeImage {
    public static void main(String[] args) throws Exception {
        BufferedImage src = ImageIO.read(new File(args[0]));
        int n = Integer.parseInt(args[1]);
        BufferedImage out = new BufferedImage(n, n, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = out.getRaster();
        Raster s = src.getRaster();
        int sw = s.getWidth();
        int[] row = new int[sw];
        for (int y = 0; y < n; y++) {
            s.getSamples(0, y % s.getHeight(), sw, 1, 0, row);
            for (int x = 0; x < n; x += sw) {
                r.setSamples(x, y, Math.min(sw, n - x), 1, 0, row);
            }
        }
        ImageIO.write(out, "png", new File(args[2]));
    }
}
