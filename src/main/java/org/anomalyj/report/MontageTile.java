package org.anomalyj.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One cell of a {@link Montage}: a title (file name, score, label; '\n' starts a new line), one or
 * two images shown side by side (typically the original and its heatmap overlay), and an optional
 * frame colour (for example red for anomalous, green for good).
 */
public final class MontageTile {
    private final String title;
    private final List<BufferedImage> images;
    private final Color frame;

    /** A tile without a frame colour. */
    public MontageTile(String title, BufferedImage... images) {
        this(title, null, images);
    }

    /**
     * @param frame  the colour of a border around the tile, or null for none
     * @param images one or two images
     */
    public MontageTile(String title, Color frame, BufferedImage... images) {
        if (images.length < 1 || images.length > 2) {
            throw new IllegalArgumentException("a montage tile shows one or two images, got " + images.length);
        }
        for (BufferedImage image : images) {
            if (image == null) {
                throw new IllegalArgumentException("a montage tile image is null");
            }
        }
        this.title = title == null ? "" : title;
        this.images = Collections.unmodifiableList(Arrays.asList(images.clone()));
        this.frame = frame;
    }

    public String title() {
        return title;
    }

    public List<BufferedImage> images() {
        return images;
    }

    /** The border colour, or null. */
    public Color frame() {
        return frame;
    }
}
