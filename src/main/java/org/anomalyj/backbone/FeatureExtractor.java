package org.anomalyj.backbone;

import java.util.ArrayList;
import java.util.List;
import org.anomalyj.img.FloatImage;

/**
 * A frozen feature extractor: an ONNX CNN or the built-in filter bank. Input is an image already
 * resized to the model's input size, 3 channels (RGB order) or 1 (grey, read as three equal
 * channels), values 0..255; the extractor applies its own normalisation from its descriptor.
 * Output: the requested layers, shallowest first.
 */
public interface FeatureExtractor extends AutoCloseable {

    BackboneDescriptor descriptor();

    /** Layers this extractor returns, in order (a subset of the descriptor's outputs). */
    List<String> layers();

    /** The returned maps belong to the caller: an extractor never reuses or changes them later. */
    List<FeatureMap> extract(FloatImage rgb);

    /** Several images at once; backbones that batch natively override this. */
    default List<List<FeatureMap>> extractBatch(List<FloatImage> images) {
        List<List<FeatureMap>> out = new ArrayList<>(images.size());
        for (FloatImage image : images) {
            out.add(extract(image));
        }
        return out;
    }

    @Override
    void close();
}
