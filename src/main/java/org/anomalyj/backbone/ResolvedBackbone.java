package org.anomalyj.backbone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.anomalyj.AnomalyJException;

/**
 * A backbone found and checked but not yet opened: its descriptor (with the sha256 of the ONNX
 * file filled in), where the ONNX model is (a file, or bytes embedded in a bundle) and a name to
 * show. The built-in filter bank has neither file nor bytes.
 */
public final class ResolvedBackbone {
    private final BackboneDescriptor descriptor;
    private final Path onnxFile;
    private final byte[] onnxBytes;
    private final String displayName;

    private ResolvedBackbone(BackboneDescriptor descriptor, Path onnxFile, byte[] onnxBytes, String displayName) {
        this.descriptor = descriptor;
        this.onnxFile = onnxFile;
        this.onnxBytes = onnxBytes;
        this.displayName = displayName;
    }

    /** The weight-free built-in extractor. */
    public static ResolvedBackbone builtin() {
        return new ResolvedBackbone(FilterBankBackbone.builtinDescriptor(), null, null, FilterBankBackbone.NAME);
    }

    /** An ONNX file whose descriptor already carries its verified sha256. */
    static ResolvedBackbone ofFile(Path onnxFile, BackboneDescriptor withSha) {
        return new ResolvedBackbone(withSha, onnxFile, null, withSha.name());
    }

    /**
     * An ONNX model held in memory (e.g. embedded in a model bundle). If the descriptor records a
     * sha256 it must match the bytes.
     *
     * @param sourceName where the bytes came from, for messages (e.g. "model.zip!backbone.onnx")
     */
    public static ResolvedBackbone ofBytes(byte[] onnx, BackboneDescriptor descriptor, String sourceName) {
        if (descriptor.name().equals(FilterBankBackbone.NAME) && onnx == null) {
            return builtin();
        }
        String sha = Hashes.sha256(onnx);
        if (descriptor.sha256() != null && !descriptor.sha256().equalsIgnoreCase(sha)) {
            throw new AnomalyJException("Backbone " + sourceName + " has sha256 " + sha + " but its descriptor records "
                    + descriptor.sha256() + "; the file is damaged or does not belong to this model: re-create or"
                    + " re-download it.");
        }
        return new ResolvedBackbone(descriptor.withSha256(sha), null, onnx.clone(), sourceName);
    }

    public BackboneDescriptor descriptor() {
        return descriptor;
    }

    /** The ONNX file, or null (built-in, or embedded bytes). */
    public Path onnxFile() {
        return onnxFile;
    }

    /** Name to show users: the backbone name, or the source of embedded bytes. */
    public String displayName() {
        return displayName;
    }

    public boolean isBuiltin() {
        return onnxFile == null && onnxBytes == null;
    }

    /** The ONNX model's bytes (to embed in a bundle); null for the built-in extractor. */
    public byte[] onnxBytes() {
        if (onnxBytes != null) {
            return onnxBytes.clone();
        }
        if (onnxFile == null) {
            return null;
        }
        try {
            return Files.readAllBytes(onnxFile);
        } catch (IOException e) {
            throw new AnomalyJException("Backbone file " + onnxFile + " cannot be read (" + e.getMessage()
                    + "); check its permissions.", e);
        }
    }

    /**
     * Opens the extractor.
     *
     * @param layers  null or empty for the descriptor's default layers
     * @param threads {@code <= 0} for all cores
     */
    public FeatureExtractor open(List<String> layers, int threads) {
        if (isBuiltin()) {
            return new FilterBankBackbone(layers, threads);
        }
        if (onnxFile != null) {
            return OnnxBackbone.open(onnxFile, descriptor, layers, threads);
        }
        return OnnxBackbone.fromBytes(onnxBytes, descriptor, layers, threads, displayName);
    }

    @Override
    public String toString() {
        return displayName + (onnxFile != null ? " (" + onnxFile + ")" : "");
    }
}
