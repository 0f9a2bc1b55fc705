package org.anomalyj.export;

import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.backbone.BackboneDescriptor;
import org.anomalyj.io.AtomicFile;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.padim.PadimModel;
import org.anomalyj.model.patchcore.PatchCoreModel;

/**
 * Compiles a fitted model bundle into ONE ONNX graph that any ONNX Runtime (Java, Python, C++)
 * runs without AnomalyJ: the bundle's embedded backbone graph (float, FP16 or already quantized,
 * copied node for node) followed by the head as ONNX nodes ({@code PatchCoreHeadGraph},
 * {@code PadimHeadGraph}: feature aggregation, distances, anomaly map, upsampling, blur, image
 * score).
 *
 * <p>Input: the backbone's own input, {@code [1, 3, size, size]} float NCHW, normalised as the
 * backbone descriptor says (the normalisation is done by the caller, as AnomalyJ does before it
 * runs the backbone; the metadata spells it out). Outputs: {@link #MAP_OUTPUT}
 * {@code [1, 1, size, size]} (raw anomaly scores, the map AnomalyJ's pipeline produces at the
 * model's input size) and {@link #SCORE_OUTPUT} {@code [1]} (raw image score). Thresholds and
 * normalisation statistics travel in the model's {@code metadata_props} ({@link ExportMetadata}).
 *
 * <p>Untiled models only (a tiled ensemble is many models plus a merge); bundles with the
 * built-in filter-bank backbone have no ONNX graph to start from and are refused.
 */
public final class CompiledModelExporter {
    /** Name of the anomaly-map output, {@code [1, 1, size, size]}. */
    public static final String MAP_OUTPUT = "anomaly_map";
    /** Name of the image-score output, {@code [1]}. */
    public static final String SCORE_OUTPUT = "image_score";

    private CompiledModelExporter() {
    }

    /**
     * Loads {@code bundleFile}, compiles it and writes the graph to {@code out} atomically
     * (temporary file + rename); the bundle itself is never written.
     *
     * @param size input size of the graph; 0 = the model's input size
     * @return the compiled model (as written)
     * @throws AnomalyJException for a bundle that cannot be exported or an unusable output path
     */
    public static OnnxMl.ModelProto export(Path bundleFile, Path out, int size, Progress progress) {
        checkTarget(bundleFile, out);
        progress.update("loading " + bundleFile.getFileName(), 0, 3);
        ModelBundle bundle = ModelBundle.load(bundleFile);
        progress.checkCancelled();
        progress.update("compiling", 1, 3);
        OnnxMl.ModelProto model = compile(bundle, size, bundleFile.toString());
        progress.checkCancelled();
        progress.update("writing " + out.getFileName(), 2, 3);
        write(model, out);
        progress.update("done", 3, 3);
        return model;
    }

    /** Checks before any work that {@code out} is a .onnx file in an existing folder and not the bundle itself. */
    public static void checkTarget(Path bundleFile, Path out) {
        if (out == null || out.getFileName() == null) {
            throw new AnomalyJException("No output file given; choose where to write the compiled model (a .onnx file).");
        }
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            throw new AnomalyJException("The compiled model file " + out + " must end in .onnx.");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new AnomalyJException("The folder " + parent + " for the compiled model does not exist; create it or choose another output file.");
        }
        if (bundleFile != null && out.toAbsolutePath().normalize().equals(bundleFile.toAbsolutePath().normalize())) {
            throw new AnomalyJException("The output " + out + " is the model bundle itself; choose another output file.");
        }
    }

    /** Writes a compiled model atomically (the protobuf is streamed, never held twice). */
    public static void write(OnnxMl.ModelProto model, Path out) {
        AtomicFile.write(out, model::writeTo);
    }

    /**
     * Compiles a loaded bundle.
     *
     * @param size   input size of the graph; 0 = the model's input size. PatchCore may be exported
     *               at another size (a multiple of the backbone's largest stride); PaDiM's
     *               Gaussians are per position, so only at its own.
     * @param source the bundle's name for messages
     */
    public static OnnxMl.ModelProto compile(ModelBundle bundle, int size, String source) {
        String where = "The model " + source;
        if (bundle.tiling().tiled()) {
            throw new AnomalyJException("export supports untiled models; " + source + " is a tiled model ("
                    + bundle.tiling() + ", " + bundle.models().size() + " tile model(s)): train it with --tiling sm to export it.");
        }
        byte[] onnx = bundle.backboneOnnx();
        if (onnx == null) {
            throw new AnomalyJException(where + " uses the built-in filter-bank backbone, which has no ONNX graph to export;"
                    + " train it with an ONNX backbone (--backbone FILE.onnx or a name) to export it.");
        }
        if (size < 0) {
            throw new AnomalyJException("The export size " + size + " is negative; give a size in pixels or 0 for the model's own.");
        }
        int trained = bundle.inputWidth();
        int s = size > 0 ? size : trained;
        AnomalyModel model = bundle.model();
        if (model instanceof PadimModel && s != trained) {
            throw new AnomalyJException(where + " is a PaDiM model fitted at " + trained + " pixels, whose Gaussians are per"
                    + " position; export it at its own size (leave out --size or give " + trained + ").");
        }
        BackboneDescriptor descriptor = bundle.backbone();
        List<LayerTensor> layers = layers(model, descriptor, s, where);

        OnnxMl.ModelProto backbone;
        try {
            backbone = OnnxMl.ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new AnomalyJException(where + " has an embedded backbone that is not a readable ONNX model ("
                    + e.getMessage() + "); retrain the model.", e);
        }
        long opset = defaultOpset(backbone);
        if (opset < 11) {
            throw new AnomalyJException(where + " has a backbone graph of ONNX opset " + opset
                    + "; export needs opset 11 or newer (re-export the backbone with a newer opset and retrain).");
        }
        OnnxMl.GraphProto graph = backbone.getGraph();
        checkNames(graph, where);
        Set<String> needed = new HashSet<>();
        for (LayerTensor l : layers) {
            needed.add(l.name);
        }
        List<OnnxMl.NodeProto> kept = prune(graph.getNodeList(), needed);

        HeadBuilder h = new HeadBuilder(opset);
        if (model instanceof PatchCoreModel) {
            PatchCoreHeadGraph.append(h, (PatchCoreModel) model, layers, s, bundle.blurSigma(), MAP_OUTPUT, SCORE_OUTPUT);
        } else if (model instanceof PadimModel) {
            PadimHeadGraph.append(h, (PadimModel) model, layers, s, bundle.blurSigma(), MAP_OUTPUT, SCORE_OUTPUT);
        } else {
            throw new AnomalyJException(where + " uses the method '" + model.method()
                    + "', which export does not know; export supports patchcore and padim.");
        }

        boolean pruned = kept.size() < graph.getNodeCount();
        Set<String> used = new HashSet<>();
        for (OnnxMl.NodeProto n : kept) {
            used.addAll(n.getInputList());
        }
        OnnxMl.GraphProto.Builder g = graph.toBuilder();
        g.clearNode().addAllNode(kept).addAllNode(h.nodes());
        Set<String> produced = new HashSet<>();
        for (OnnxMl.NodeProto n : kept) {
            produced.addAll(n.getOutputList());
        }
        g.clearValueInfo();
        for (OnnxMl.ValueInfoProto v : graph.getValueInfoList()) {
            if (produced.contains(v.getName())) {
                g.addValueInfo(v);
            }
        }
        g.clearInitializer();
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            if (!pruned || used.contains(t.getName())) {
                g.addInitializer(t);
            }
        }
        g.addAllInitializer(h.initializers());
        g.clearInput();
        boolean found = false;
        for (OnnxMl.ValueInfoProto v : graph.getInputList()) {
            if (v.getName().equals(descriptor.input())) {
                g.addInput(tensorInfo(descriptor.input(), 1, 3, s, s));
                found = true;
            } else if (!pruned || used.contains(v.getName())) {
                g.addInput(v);
            }
        }
        if (!found) {
            throw new AnomalyJException(where + ": its backbone graph has no input '" + descriptor.input()
                    + "' as its descriptor says; retrain the model.");
        }
        g.clearOutput();
        g.addOutput(tensorInfo(MAP_OUTPUT, 1, 1, s, s));
        g.addOutput(tensorInfo(SCORE_OUTPUT, 1));
        g.setName("anomalyj_" + model.method() + "_" + descriptor.name());
        g.setDocString("AnomalyJ " + model.method() + " on " + descriptor.name() + " compiled to one graph: backbone, "
                + "head, anomaly map (" + MAP_OUTPUT + ") and image score (" + SCORE_OUTPUT + "); see metadata_props.");

        OnnxMl.ModelProto.Builder m = backbone.toBuilder().setGraph(g);
        m.setProducerName("anomalyj").setProducerVersion(org.anomalyj.api.Version.get());
        m.setDocString(g.getDocString());
        m.clearMetadataProps();
        for (Map.Entry<String, String> e : ExportMetadata.of(bundle, s).entrySet()) {
            m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return m.build();
    }

    /** The model's layers in aggregation order (as recorded at fitting) with their shapes at {@code size}. */
    static List<LayerTensor> layers(AnomalyModel model, BackboneDescriptor descriptor, int size, String where) {
        JsonArray recorded = model.parameters().getAsJsonArray("layers");
        List<LayerTensor> out = new ArrayList<>();
        int maxStride = 1;
        for (JsonElement e : recorded) {
            maxStride = Math.max(maxStride, descriptor.output(e.getAsJsonObject().get("name").getAsString()).stride);
        }
        if (size % maxStride != 0) {
            throw new AnomalyJException(where + " needs an input size divisible by " + maxStride
                    + " (its backbone's largest stride), not " + size + "; choose e.g. " + (size / maxStride + 1) * maxStride + ".");
        }
        for (JsonElement e : recorded) {
            JsonObject l = e.getAsJsonObject();
            String name = l.get("name").getAsString();
            int stride = descriptor.output(name).stride;
            out.add(new LayerTensor(name, l.get("channels").getAsInt(), size / stride, size / stride));
        }
        return out;
    }

    static long defaultOpset(OnnxMl.ModelProto m) {
        for (OnnxMl.OperatorSetIdProto o : m.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return o.getVersion();
            }
        }
        return 0;
    }

    private static void checkNames(OnnxMl.GraphProto graph, String where) {
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            for (String o : n.getOutputList()) {
                if (o.startsWith(HeadBuilder.PREFIX) || o.equals(MAP_OUTPUT) || o.equals(SCORE_OUTPUT)) {
                    throw new AnomalyJException(where + ": its backbone graph already has a tensor named '" + o
                            + "', a name the compiled head needs; rename it in the backbone and retrain.");
                }
            }
        }
    }

    /**
     * The nodes the requested tensors depend on, in their order (the rest of the backbone, e.g.
     * deeper stages the model does not use, is left out). Graphs with subgraphs are kept whole.
     */
    static List<OnnxMl.NodeProto> prune(List<OnnxMl.NodeProto> nodes, Set<String> needed) {
        for (OnnxMl.NodeProto n : nodes) {
            for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                if (a.hasG() || a.getGraphsCount() > 0) {
                    return nodes;
                }
            }
        }
        Set<String> want = new HashSet<>(needed);
        boolean[] keep = new boolean[nodes.size()];
        for (int i = nodes.size() - 1; i >= 0; i--) {
            for (String o : nodes.get(i).getOutputList()) {
                if (want.contains(o)) {
                    keep[i] = true;
                    break;
                }
            }
            if (keep[i]) {
                want.addAll(nodes.get(i).getInputList());
            }
        }
        List<OnnxMl.NodeProto> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (keep[i]) {
                out.add(nodes.get(i));
            }
        }
        return out;
    }

    private static OnnxMl.ValueInfoProto tensorInfo(String name, long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setShape(shape)).build();
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    /** The metadata of a compiled model as a map (key order as written). */
    public static Map<String, String> metadata(OnnxMl.ModelProto model) {
        Map<String, String> out = new LinkedHashMap<>();
        for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
