package org.anomalyj.api;

import java.util.List;
import org.anomalyj.backbone.BackboneDescriptor;
import org.anomalyj.backbone.FeatureExtractor;
import org.anomalyj.backbone.FilterBankBackbone;
import org.anomalyj.backbone.OnnxBackbone;

/** Opens a backbone from a descriptor and its ONNX bytes (null bytes: the built-in extractor). */
final class BackboneSource {
    private BackboneSource() {
    }

    static FeatureExtractor open(BackboneDescriptor d, byte[] onnx, List<String> layers, int threads, String source) {
        return open(d, onnx, layers, threads, source, false);
    }

    /** As {@link #open(BackboneDescriptor, byte[], List, int, String)}; see {@link OnnxBackbone#fromBytes} for the spinning. */
    static FeatureExtractor open(BackboneDescriptor d, byte[] onnx, List<String> layers, int threads, String source,
            boolean spinWithinRuns) {
        if (onnx == null) {
            return new FilterBankBackbone(layers, threads);
        }
        return OnnxBackbone.fromBytes(onnx, d, layers, threads, source, spinWithinRuns);
    }
}
