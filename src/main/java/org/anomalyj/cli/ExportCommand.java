package org.anomalyj.cli;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.anomalyj.export.CompiledModelExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Compile a fitted model (backbone + head: aggregation, distances, anomaly map, upsampling, blur,"
                + " image score) into ONE ONNX graph that any ONNX Runtime runs; inputs, preprocessing, thresholds and"
                + " normalisation are documented in its metadata_props.")
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Model bundle (.zip or unpacked folder), untiled, with an ONNX backbone.")
    Path model;

    @Option(names = "--out", required = true, description = "Compiled model to write (.onnx; atomically, temp file + rename).")
    Path out;

    @Option(names = "--size", defaultValue = "0",
            description = "Input size of the graph (square); 0 = the model's own. PatchCore may use another multiple of the"
                    + " backbone's largest stride; PaDiM only its own.")
    int size;

    @Override
    public Integer call() throws Exception {
        OnnxMl.ModelProto m = CompiledModelExporter.export(model, out, size, new StderrProgress(System.err));
        Map<String, String> meta = CompiledModelExporter.metadata(m);
        System.out.printf("wrote %s (%d bytes; %s on %s; input '%s' [%s] %s, normalised by the caller as its metadata says;"
                + " outputs %s [1,1,%s,%s], %s [1]; image threshold %s, pixel threshold %s)%n", out, Files.size(out),
                meta.get("anomalyj.method"), meta.get("anomalyj.backbone"), meta.get("input.name"), meta.get("input.shape"),
                meta.get("input.color"), CompiledModelExporter.MAP_OUTPUT, meta.get("input.image_size"),
                meta.get("input.image_size"), CompiledModelExporter.SCORE_OUTPUT, meta.get("calibration.image_threshold"),
                meta.get("calibration.pixel_threshold"));
        return 0;
    }
}
