package org.anomalyj.quant;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the tiny test backbone with its sidecar, for tests in other packages. */
public final class TinyBackbones {
    private TinyBackbones() {
    }

    /** Writes {@code dir/name.onnx} and {@code dir/name.json}; returns the .onnx path. */
    public static Path write(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        Path onnx = dir.resolve(name + ".onnx");
        Files.write(onnx, TinyBackbone.build(1));
        Files.write(dir.resolve(name + ".json"), descriptorJson().getBytes(StandardCharsets.UTF_8));
        return onnx;
    }

    public static String descriptorJson() {
        return TinyBackbone.descriptorJson();
    }
}
