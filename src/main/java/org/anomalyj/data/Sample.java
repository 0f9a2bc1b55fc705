package org.anomalyj.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One test image of a data set: its file, its defect type (the name of its folder under
 * {@code test/}; {@value #GOOD} means normal) and its ground-truth mask, if there is one.
 */
public final class Sample {
    /** The defect type of normal samples, as in the MVTec AD layout. */
    public static final String GOOD = "good";

    private final Path image;
    private final String defectType;
    private final Path mask;

    /**
     * @param image the image file
     * @param defectType folder name under {@code test/}; {@value #GOOD} for normal images
     * @param mask the ground-truth mask file, or {@code null} when there is none
     */
    public Sample(Path image, String defectType, Path mask) {
        this.image = Objects.requireNonNull(image, "image");
        this.defectType = Objects.requireNonNull(defectType, "defectType");
        this.mask = mask;
    }

    public Path image() {
        return image;
    }

    public String defectType() {
        return defectType;
    }

    /** The ground-truth mask file, or {@code null} (normal samples, or no ground truth given). */
    public Path mask() {
        return mask;
    }

    /** True for every defect type other than {@value #GOOD}. */
    public boolean anomalous() {
        return !GOOD.equals(defectType);
    }

    /** Short, unique name within a category: {@code <defectType>/<file name>}, e.g. "crack/003.png". */
    public String name() {
        return defectType + "/" + image.getFileName();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Sample)) {
            return false;
        }
        Sample s = (Sample) o;
        return image.equals(s.image) && defectType.equals(s.defectType) && Objects.equals(mask, s.mask);
    }

    @Override
    public int hashCode() {
        return Objects.hash(image, defectType, mask);
    }

    @Override
    public String toString() {
        return "Sample[" + name() + (mask == null ? "" : ", mask=" + mask.getFileName()) + "]";
    }
}
