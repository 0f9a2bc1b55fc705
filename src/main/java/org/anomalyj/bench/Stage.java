package org.anomalyj.bench;

/** The stages of detecting one image, in order, as the benchmark times them. */
public enum Stage {
    /** Reading and decoding the image file. */
    DECODE("decode"),
    /** Resizing to the model's geometry (and cutting tiles). */
    PREPROCESS("preprocess"),
    /** The backbone's feature extraction. */
    BACKBONE("backbone"),
    /** The model head: k-NN to the memory bank (PatchCore) or Mahalanobis distances (PaDiM). */
    HEAD("head"),
    /** Upsampling, blur, tile merge, image score, verdict and regions. */
    POST("post"),
    /** Rendering the heatmap overlay over the image (in memory; no file is written). */
    OVERLAY("overlay");

    private final String id;

    Stage(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
