package org.anomalyj.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.anomalyj.AnomalyJException;
import org.anomalyj.img.PixelSource;
import org.anomalyj.post.AnomalyMap;
import org.anomalyj.post.Heatmap;
import org.anomalyj.post.MapFiles;
import org.anomalyj.post.Region;

/**
 * Writes detection outputs into a folder: per image {@code <stem>_anomaly.tif} (32-bit raw map),
 * {@code <stem>_overlay.png} (heatmap at 40% over the image), {@code <stem>_mask.png} (0/255), and one
 * {@code results.csv}. Never writes over an input image.
 */
public final class DetectionWriter {
    public static final String CSV_HEADER = "file,width,height,score,normalized_score,label,regions,region_area,boxes";
    private final Path dir;
    private final Set<Path> inputs = new HashSet<>();
    private final StringBuilder csv = new StringBuilder(CSV_HEADER + "\n");
    private final boolean images;

    public DetectionWriter(Path dir, List<Path> inputImages, boolean writeImages) {
        this.dir = dir;
        this.images = writeImages;
        for (Path p : inputImages) {
            inputs.add(p.toAbsolutePath().normalize());
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AnomalyJException("Cannot create the output folder " + dir + " (" + e.getMessage()
                    + "); choose a writable --out folder.", e);
        }
    }

    /** File-name stem used for an input's outputs. */
    public static String stem(Path input) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    public void write(Path input, PixelSource image, Detection d, Calibration calibration) {
        String stem = stem(input);
        if (images) {
            MapFiles.writeTiff(d.map(), target(stem + "_anomaly.tif"));
            MapFiles.writePng(Heatmap.overlay(image, d.map(), calibration.pixel(), Heatmap.DEFAULT_OPACITY),
                    target(stem + "_overlay.png"));
            MapFiles.writePng(Heatmap.maskImage(d.map(), (float) calibration.pixelThreshold()), target(stem + "_mask.png"));
        }
        csv.append(csvRow(input.getFileName().toString(), image.width(), image.height(), d)).append('\n');
    }

    static String csvRow(String file, int width, int height, Detection d) {
        StringBuilder boxes = new StringBuilder();
        for (Region r : d.regions()) {
            if (boxes.length() > 0) {
                boxes.append(';');
            }
            boxes.append(String.format(Locale.ROOT, "%d %d %d %d %.5g", r.x(), r.y(), r.width(), r.height(), r.maxScore()));
        }
        String name = file.contains(",") || file.contains("\"") ? '"' + file.replace("\"", "\"\"") + '"' : file;
        return String.format(Locale.ROOT, "%s,%d,%d,%.6g,%.4f,%s,%d,%d,%s", name, width, height, d.score(),
                d.normalizedScore(), d.anomalous() ? "defective" : "normal", d.regions().size(), d.totalRegionArea(), boxes);
    }

    private Path target(String name) {
        Path t = dir.resolve(name);
        if (inputs.contains(t.toAbsolutePath().normalize())) {
            throw new AnomalyJException("Refusing to overwrite the input image " + t + "; choose another --out folder.");
        }
        return t;
    }

    /** Writes results.csv (temp file + rename, so a reader never sees half a table). */
    public Path finish() {
        Path file = target("results.csv");
        Path tmp = dir.resolve(".results.csv.tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(csv.toString());
        } catch (IOException e) {
            throw new AnomalyJException("Cannot write " + file + " (" + e.getMessage() + ").", e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AnomalyJException("Cannot write " + file + " (" + e.getMessage() + ").", e);
        }
        return file;
    }
}
