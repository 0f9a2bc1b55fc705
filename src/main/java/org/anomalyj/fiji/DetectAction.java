package org.anomalyj.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.measure.ResultsTable;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.Calibration;
import org.anomalyj.api.Detection;
import org.anomalyj.api.DetectionWriter;
import org.anomalyj.api.Detector;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.data.Datasets;
import org.anomalyj.img.FloatImage;
import org.anomalyj.img.ImagePlusAdapter;
import org.anomalyj.img.PixelSource;

/**
 * Detect Anomalies without any UI: runs a model on an open image (every z-slice and frame of a
 * stack or hyperstack, see {@link ImagePlanes}) and
 * draws the result on it, or on every image of a folder, writing the results into an output
 * folder. Results go to a {@link ResultsTable}; the optional map and mask come back as new images.
 */
public final class DetectAction {
    private final DetectOptions options;

    public DetectAction(DetectOptions options) {
        this.options = options;
    }

    /** What a detection on an open image produced. */
    public static final class Result {
        public final List<Detection> detections = new ArrayList<>();
        /** 32-bit anomaly map (a stack for a stack), or null when not asked for. */
        public ImagePlus map;
        /** 0/255 mask of pixels above the pixel threshold, or null when not asked for. */
        public ImagePlus mask;
        public Calibration calibration;
        /** A sentence for the Log about channels left out (see {@link ImagePlanes#note()}), or null. */
        public String note;
    }

    private Detector open() {
        if (options.model == null) {
            throw new AnomalyJException("No model given; choose a model bundle (.zip) written by Train Anomaly Model.");
        }
        if (!Files.exists(options.model)) {
            throw new AnomalyJException("The model " + options.model + " does not exist; choose a model bundle (.zip) written by Train Anomaly Model.");
        }
        ModelBundle bundle = ModelBundle.load(options.model);
        return new Detector(bundle, options.threshold, options.threads, options.minArea);
    }

    /**
     * Detects on every image of {@code imp} (every z-slice and time frame; channels as described
     * in {@link ImagePlanes}): overlay on the image, boxes in the ROI Manager (GUI only), one row
     * per image in {@code table} ({@code slice} = z, plus {@code frame} for time series and
     * {@code channel} when one channel of several was inspected). The pixels of {@code imp} are
     * never changed; after a cancel (Esc) or an error its overlay and the table are as before.
     */
    public Result run(ImagePlus imp, ResultsTable table, Progress progress) {
        if (imp == null) {
            throw new AnomalyJException("No image is open; open an image (or a stack) first, or give a folder of images.");
        }
        Result result = new Result();
        ImagePlanes planes = ImagePlanes.of(imp);
        result.note = planes.note();
        // a cancel or an error halfway leaves the image's overlay and the table as they were
        Overlay overlayBefore = imp.getOverlay() == null ? null : imp.getOverlay().duplicate();
        int rowsBefore = table.size();
        try {
            detectAll(imp, planes, table, progress, result);
        } catch (RuntimeException e) {
            imp.setOverlay(overlayBefore);
            if (table.size() > rowsBefore) {
                table.deleteRows(rowsBefore, table.size() - 1);
            }
            throw e;
        }
        return result;
    }

    private void detectAll(ImagePlus imp, ImagePlanes planes, ResultsTable table, Progress progress, Result result) {
        int n = planes.count();
        ImageStack maps = options.showMap ? new ImageStack(imp.getWidth(), imp.getHeight()) : null;
        ImageStack masks = options.showMask ? new ImageStack(imp.getWidth(), imp.getHeight()) : null;
        try (Detector detector = open()) {
            Calibration cal = detector.calibration();
            result.calibration = cal;
            List<List<Roi>> boxes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                progress.checkCancelled();
                PixelSource image = planes.image(i);
                Detection d = detector.detect(image, imp.getTitle());
                result.detections.add(d);
                int at = i;
                boxes.add(OverlayPainter.paint(imp, r -> planes.place(r, at), d, cal, options.opacity));
                DetectionTable.addRow(table, imp.getTitle(), planes.z(i), d);
                if (planes.frames() > 1) {
                    table.addValue(DetectionTable.FRAME, planes.t(i));
                }
                if (planes.channel() > 0) {
                    table.addValue(DetectionTable.CHANNEL, planes.channel());
                }
                if (maps != null) {
                    maps.addSlice(planes.label(i), new FloatProcessor(d.map().width(), d.map().height(), d.map().values().clone()));
                }
                if (masks != null) {
                    masks.addSlice(planes.label(i), mask(d, cal));
                }
                progress.update("detect", i + 1, n);
            }
            for (int i = 0; i < n; i++) {
                int at = i;
                OverlayPainter.addToRoiManager(imp, r -> planes.place(r, at), boxes.get(i));
            }
        }
        if (maps != null) {
            result.map = new ImagePlus(stem(imp.getTitle()) + "_anomaly", maps);
            result.map.setDimensions(1, planes.slices(), planes.frames());
            result.map.resetDisplayRange();
        }
        if (masks != null) {
            result.mask = new ImagePlus(stem(imp.getTitle()) + "_mask", masks);
            result.mask.setDimensions(1, planes.slices(), planes.frames());
        }
    }

    static ByteProcessor mask(Detection d, Calibration cal) {
        float[] v = d.map().values();
        byte[] px = new byte[v.length];
        float t = (float) cal.pixelThreshold();
        for (int i = 0; i < v.length; i++) {
            px[i] = v[i] >= t ? (byte) 255 : 0;
        }
        return new ByteProcessor(d.map().width(), d.map().height(), px);
    }

    /**
     * Batch mode: every image of {@code input} is opened, detected and written into {@code output}:
     * {@code <name>_detected.tif} (the image with heatmap and boxes in its overlay) and the files of
     * the command line (anomaly map TIFF, overlay and mask PNG, results.csv). Input files are never
     * written. Cancelling leaves the images finished so far and no results.csv.
     *
     * @return the number of images found defective
     */
    public int runFolder(Path input, Path output, ResultsTable table, Progress progress) {
        if (input == null || !Files.isDirectory(input)) {
            throw new AnomalyJException("The folder " + input + " does not exist; choose a folder of images.");
        }
        if (output == null || output.toString().isEmpty()) {
            throw new AnomalyJException("No output folder given for the batch run on " + input + "; choose an output folder.");
        }
        List<Path> images = Datasets.listImages(input);
        if (images.isEmpty()) {
            throw new AnomalyJException("The folder " + input + " holds no images (png, tif, jpg, bmp); choose a folder of images.");
        }
        int defective = 0;
        try (Detector detector = open()) {
            DetectionWriter writer = new DetectionWriter(output, images, true);
            Calibration cal = detector.calibration();
            for (int i = 0; i < images.size(); i++) {
                progress.checkCancelled();
                Path p = images.get(i);
                ImagePlus imp = IJ.openImage(p.toString());
                if (imp == null) {
                    throw new AnomalyJException("ImageJ cannot open " + p + "; remove it from the folder or convert it to PNG or TIFF.");
                }
                FloatImage image = ImagePlusAdapter.slice(imp, 1);
                Detection d = detector.detect(image, p.getFileName().toString());
                OverlayPainter.paint(imp, 0, d, cal, options.opacity);
                DetectionTable.addRow(table, p.getFileName().toString(), 1, d);
                writer.write(p, image, d, cal);
                saveTiff(imp, output.resolve(DetectionWriter.stem(p) + "_detected.tif"), images);
                imp.close();
                if (d.anomalous()) {
                    defective++;
                }
                progress.update("detect", i + 1, images.size());
            }
            writer.finish();
        }
        return defective;
    }

    /** Saves with the overlay, atomically (temp file + rename), never over an input image. */
    static void saveTiff(ImagePlus imp, Path target, List<Path> inputs) {
        for (Path in : inputs) {
            if (in.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
                throw new AnomalyJException("Refusing to overwrite the input image " + target + "; choose another output folder.");
            }
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        if (!new FileSaver(imp).saveAsTiff(tmp.toString())) {
            throw new AnomalyJException("Cannot write " + target + "; check that the output folder is writable.");
        }
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AnomalyJException("Cannot write " + target + " (" + e.getMessage() + "); check the output folder.", e);
        }
    }

    static String stem(String title) {
        int dot = title.lastIndexOf('.');
        return dot > 0 ? title.substring(0, dot) : title;
    }
}
