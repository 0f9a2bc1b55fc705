package org.anomalyj.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.Detection;
import org.anomalyj.api.DetectionWriter;
import org.anomalyj.api.HeapWatch;
import org.anomalyj.api.Detector;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.data.Datasets;
import org.anomalyj.data.ImageReader;
import org.anomalyj.img.PixelSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "detect", mixinStandardHelpOptions = true,
        description = "Score images with a model: anomaly map TIFF, overlay PNG and mask PNG per image, plus results.csv.")
final class DetectCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model bundle (.zip) written by train.")
    Path model;

    @Option(names = "--input", required = true, description = "An image file or a folder of images.")
    Path input;

    @Option(names = "--out", required = true, description = "Output folder (created if needed).")
    Path out;

    @Option(names = "--threshold", description = "Image threshold on the raw score; overrides the calibrated one (see 'info').")
    Double threshold;

    @Option(names = "--min-area", defaultValue = "1", description = "Smallest region reported, in pixels (default: ${DEFAULT-VALUE}).")
    int minArea;

    @Option(names = "--csv-only", description = "Write only results.csv, no per-image files.")
    boolean csvOnly;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime threads, 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @picocli.CommandLine.Mixin
    KnnOptionMixin knn;

    @Option(names = "--memory", description = "Report the largest live Java heap and the process's peak resident memory on stderr.")
    boolean memory;

    @Override
    public Integer call() {
        knn.apply();
        ModelBundle bundle = ModelBundle.load(model);
        List<Path> images;
        if (Files.isDirectory(input)) {
            images = Datasets.listImages(input);
            if (images.isEmpty()) {
                throw new AnomalyJException("The folder " + input + " holds no images (png, tif, jpg, bmp); give an image or a folder of images.");
            }
        } else if (Files.isRegularFile(input)) {
            images = Collections.singletonList(input);
        } else {
            throw new AnomalyJException("The input " + input + " does not exist; give an image file or a folder of images.");
        }
        Progress progress = new StderrProgress(System.err);
        DetectionWriter writer = new DetectionWriter(out, images, !csvOnly);
        int defective = 0;
        HeapWatch heap = memory ? new HeapWatch() : null;
        try (Detector detector = new Detector(bundle, threshold == null ? Double.NaN : threshold, threads, minArea)) {
            for (int i = 0; i < images.size(); i++) {
                Path p = images.get(i);
                PixelSource image = ImageReader.open(p);
                Detection d;
                try {
                    d = detector.detect(image, p.getFileName().toString());
                } catch (AnomalyJException e) {
                    throw e.getMessage().contains(p.toString()) ? e : new AnomalyJException(p + ": " + e.getMessage(), e);
                }
                writer.write(p, image, d, detector.calibration());
                if (d.anomalous()) {
                    defective++;
                }
                progress.update("detect", i + 1, images.size());
            }
        }
        Path csv = writer.finish();
        System.out.printf("%d images, %d defective; results in %s%n", images.size(), defective, csv);
        if (heap != null) {
            System.err.printf(java.util.Locale.ROOT, "memory: peak live Java heap %.0f MB, peak resident set %s%n",
                    heap.peakMb(), ProcessMemory.peakResidentText());
        }
        return 0;
    }
}
