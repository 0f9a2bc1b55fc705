package org.anomalyj.backbone;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.anomalyj.AnomalyJException;
import org.anomalyj.img.FloatImage;
import org.anomalyj.onnx.Sessions;

/**
 * A frozen CNN run by ONNX Runtime on the CPU, described by a {@link BackboneDescriptor}.
 *
 * <p>Only the requested layers are computed and fetched. Inputs are normalised per the descriptor
 * and packed NCHW into one direct buffer that is reused between calls, so a call allocates
 * nothing big beyond its outputs. The model's input/output names are checked against the
 * descriptor on opening, and each output's channel count and stride on every run (cheap), so a
 * wrong descriptor fails with a message that says what to fix instead of producing silently
 * wrong features.
 *
 * <p>Calls are serialised ({@code synchronized}) because of the shared input buffer; for
 * throughput use {@link #extractBatch(List)} or one instance per thread.
 */
public final class OnnxBackbone implements FeatureExtractor {

    private final OrtSession session;
    private final BackboneDescriptor descriptor;
    private final List<String> layers;
    private final Set<String> fetch;
    private final String source;
    private final int maxStride;
    private final float[] gain = new float[3];
    private final float[] bias = new float[3];
    private final int[] sourceChannel = new int[3];
    private FloatBuffer input;
    private float[] planeScratch = new float[0];

    private OnnxBackbone(OrtSession session, BackboneDescriptor d, List<String> requested, String source) {
        this.session = session;
        this.descriptor = d;
        this.source = source;
        try {
            checkNames(requested);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
        this.layers = Collections.unmodifiableList(orderByStride(d, d.layersOrDefault(requested)));
        this.fetch = Collections.unmodifiableSet(new LinkedHashSet<>(layers));
        int m = 1;
        for (String l : layers) {
            m = Math.max(m, d.output(l).stride);
        }
        this.maxStride = m;
        // x = ((p + offset) * scale - mean) / std  =  p * gain + bias
        double[] mean = d.mean();
        double[] std = d.std();
        boolean bgr = "BGR".equals(d.color());
        for (int c = 0; c < 3; c++) {
            gain[c] = (float) (d.scale() / std[c]);
            bias[c] = (float) ((d.offsetBeforeScale() * d.scale() - mean[c]) / std[c]);
            sourceChannel[c] = bgr ? 2 - c : c;
        }
    }

    /**
     * Opens an ONNX file.
     *
     * @param layers  outputs to return (null or empty: the descriptor's default layers)
     * @param threads ONNX Runtime intra-op threads; {@code <= 0} means all available cores
     */
    public static OnnxBackbone open(Path onnxFile, BackboneDescriptor d, List<String> layers, int threads) {
        String source = onnxFile.toString();
        if (!Files.isRegularFile(onnxFile)) {
            throw new AnomalyJException("Backbone file " + source + " does not exist; check the path or use --backbone builtin.");
        }
        OrtSession session;
        try (OrtSession.SessionOptions options = Sessions.options(threads)) {
            session = Sessions.environment().createSession(onnxFile.toString(), options);
        } catch (OrtException e) {
            throw corrupt(source, e);
        }
        return new OnnxBackbone(session, d, layers, source);
    }

    /**
     * Opens an ONNX model held in memory (e.g. embedded in a model bundle).
     *
     * @param sourceName where the bytes came from, used in error messages
     */
    public static OnnxBackbone fromBytes(byte[] onnx, BackboneDescriptor d, List<String> layers, int threads,
            String sourceName) {
        return fromBytes(onnx, d, layers, threads, sourceName, false);
    }

    /**
     * As {@link #fromBytes(byte[], BackboneDescriptor, List, int, String)}; {@code spinWithinRuns}
     * for a backbone that runs alone, e.g. a detector's ({@link Sessions#options(int, boolean)}).
     */
    public static OnnxBackbone fromBytes(byte[] onnx, BackboneDescriptor d, List<String> layers, int threads,
            String sourceName, boolean spinWithinRuns) {
        OrtSession session;
        try (OrtSession.SessionOptions options = Sessions.options(threads, spinWithinRuns)) {
            session = Sessions.environment().createSession(onnx, options);
        } catch (OrtException e) {
            throw corrupt(sourceName, e);
        }
        return new OnnxBackbone(session, d, layers, sourceName);
    }

    /** sha256 of a file, lower-case hex (see {@link Hashes}). */
    public static String sha256(Path file) {
        return Hashes.sha256(file);
    }

    /** sha256 of bytes, lower-case hex (see {@link Hashes}). */
    public static String sha256(byte[] bytes) {
        return Hashes.sha256(bytes);
    }

    /**
     * Describes an undescribed file by running it once on a zero 1x3x256x256 input: the first
     * input's name, then for every output its name, stride (0 if not a 4-D map whose size divides
     * 256) and channel count (0 if unknown). Null if the file cannot be loaded or run.
     */
    static ProbeResult probe(Path onnxFile) {
        try (OrtSession.SessionOptions options = Sessions.options(0);
                OrtSession s = Sessions.environment().createSession(onnxFile.toString(), options)) {
            String inputName = s.getInputNames().iterator().next();
            ProbeResult r = new ProbeResult(inputName);
            int size = 256;
            FloatBuffer zeros = ByteBuffer.allocateDirect(3 * size * size * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            try (OnnxTensor t = OnnxTensor.createTensor(Sessions.environment(), zeros, new long[] {1, 3, size, size});
                    OrtSession.Result res = s.run(Collections.singletonMap(inputName, t))) {
                for (Map.Entry<String, OnnxValue> e : res) {
                    int stride = 0;
                    int channels = 0;
                    if (e.getValue() instanceof OnnxTensor) {
                        long[] shape = ((OnnxTensor) e.getValue()).getInfo().getShape();
                        if (shape.length == 4) {
                            channels = (int) shape[1];
                            stride = shape[2] > 0 && size % shape[2] == 0 ? (int) (size / shape[2]) : 0;
                        } else if (shape.length == 2) {
                            channels = (int) shape[1];
                        }
                    }
                    r.outputs.add(new BackboneDescriptor.Output(e.getKey(), stride, channels));
                }
            }
            return r;
        } catch (OrtException | RuntimeException e) {
            return null;
        }
    }

    /** What {@link #probe(Path)} found. */
    static final class ProbeResult {
        final String input;
        final List<BackboneDescriptor.Output> outputs = new ArrayList<>();

        ProbeResult(String input) {
            this.input = input;
        }
    }

    private static AnomalyJException corrupt(String source, OrtException e) {
        return new AnomalyJException("Backbone file " + source + " could not be loaded by ONNX Runtime ("
                + firstLine(e.getMessage()) + "); it is not a valid .onnx model or is incomplete: download it again"
                + " or use --backbone builtin.", e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no details";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private String who() {
        return "Backbone '" + descriptor.name() + "' (" + source + ")";
    }

    private void checkNames(List<String> requested) {
        Set<String> inputs = session.getInputNames();
        if (!inputs.contains(descriptor.input())) {
            throw new AnomalyJException(who() + ": the descriptor's input '" + descriptor.input()
                    + "' is not an input of the model, whose inputs are " + inputs
                    + "; fix \"input\" in the descriptor (the .json sidecar).");
        }
        Set<String> outputs = session.getOutputNames();
        for (BackboneDescriptor.Output o : descriptor.outputs()) {
            if (!outputs.contains(o.name)) {
                throw new AnomalyJException(who() + ": the descriptor names output '" + o.name
                        + "' but the model's outputs are " + new TreeSet<>(outputs)
                        + "; fix \"outputs\" in the descriptor (the .json sidecar).");
            }
        }
        if (requested != null) {
            List<String> known = new ArrayList<>();
            for (BackboneDescriptor.Output o : descriptor.outputs()) {
                known.add(o.name);
            }
            for (String l : requested) {
                if (!known.contains(l)) {
                    throw new AnomalyJException(who() + ": layer '" + l + "' is not one of its outputs " + known
                            + "; choose layers from these.");
                }
            }
        }
        for (String l : descriptor.layersOrDefault(requested)) {
            if (descriptor.output(l).stride <= 0) {
                throw new AnomalyJException(who() + ": output '" + l
                        + "' is not a spatial feature map (no stride); choose layers with a stride.");
            }
        }
    }

    /** Shallowest first; layers of equal stride keep the requested order. */
    private static List<String> orderByStride(BackboneDescriptor d, List<String> names) {
        List<String> out = new ArrayList<>(names);
        out.sort((a, b) -> Integer.compare(d.output(a).stride, d.output(b).stride));
        return out;
    }

    @Override
    public BackboneDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public List<String> layers() {
        return layers;
    }

    @Override
    public synchronized List<FeatureMap> extract(FloatImage rgb) {
        return run(Collections.singletonList(rgb)).get(0);
    }

    /** One ONNX Runtime run for all images (batch N); all images must have the same size. */
    @Override
    public synchronized List<List<FeatureMap>> extractBatch(List<FloatImage> images) {
        if (images.isEmpty()) {
            return new ArrayList<>();
        }
        return run(images);
    }

    private List<List<FeatureMap>> run(List<FloatImage> images) {
        int n = images.size();
        int w = images.get(0).width();
        int h = images.get(0).height();
        for (FloatImage img : images) {
            if (img.width() != w || img.height() != h) {
                throw new IllegalArgumentException("batch images differ in size: " + w + "x" + h + " and "
                        + img.width() + "x" + img.height());
            }
        }
        if (w % maxStride != 0 || h % maxStride != 0) {
            throw new AnomalyJException(who() + " needs image sizes divisible by " + maxStride
                    + " (the largest stride of layers " + layers + ") but got " + w + "x" + h
                    + "; use an input size that is a multiple of " + maxStride + " (e.g. 256).");
        }
        FloatBuffer packed = pack(images, w, h);
        long[] shape = {n, 3, h, w};
        try (OnnxTensor tensor = OnnxTensor.createTensor(Sessions.environment(), packed, shape);
                OrtSession.Result result = session.run(Collections.singletonMap(descriptor.input(), tensor), fetch)) {
            List<List<FeatureMap>> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new ArrayList<>(layers.size()));
            }
            for (String layer : layers) {
                Optional<OnnxValue> value = result.get(layer);
                if (!value.isPresent() || !(value.get() instanceof OnnxTensor)) {
                    throw new AnomalyJException(who() + ": output '" + layer + "' was not produced as a tensor; "
                            + "check the model and its descriptor.");
                }
                splitOutput(layer, (OnnxTensor) value.get(), n, w, h, out);
            }
            return out;
        } catch (OrtException e) {
            throw new AnomalyJException(who() + " failed on a " + w + "x" + h + " batch of " + n + " ("
                    + firstLine(e.getMessage()) + "); check that the file matches its descriptor.", e);
        }
    }

    /** Normalises and packs the images NCHW into the reused direct buffer. */
    private FloatBuffer pack(List<FloatImage> images, int w, int h) {
        int plane = w * h;
        int total = Math.multiplyExact(images.size(), 3 * plane);
        if (input == null || input.capacity() < total) {
            input = ByteBuffer.allocateDirect(total * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        if (planeScratch.length < plane) {
            planeScratch = new float[plane];
        }
        float[] tmp = planeScratch;
        FloatBuffer buf = input.duplicate();
        buf.clear();
        for (FloatImage raw : images) {
            // grey is read as three equal channels where it is, without copies
            FloatImage img = raw.channels() == 3 || raw.channels() == 1 ? raw : raw.withChannels(3);
            float[] d = img.data();
            for (int c = 0; c < 3; c++) {
                int src = img.channels() == 1 ? 0 : sourceChannel[c] * plane;
                float g = gain[c];
                float b = bias[c];
                for (int i = 0; i < plane; i++) {
                    tmp[i] = d[src + i] * g + b;
                }
                buf.put(tmp, 0, plane);
            }
        }
        buf.flip();
        return buf;
    }

    private void splitOutput(String layer, OnnxTensor t, int n, int w, int h, List<List<FeatureMap>> out) {
        TensorInfo info = t.getInfo();
        long[] s = info.getShape();
        BackboneDescriptor.Output spec = descriptor.output(layer);
        if (info.type != OnnxJavaType.FLOAT || s.length != 4 || s[0] != n) {
            throw new AnomalyJException(who() + ": output '" + layer + "' is " + info.type + " of shape "
                    + java.util.Arrays.toString(s) + ", not a float NCHW feature map; choose another layer.");
        }
        int c = (int) s[1];
        int oh = (int) s[2];
        int ow = (int) s[3];
        if (c != spec.channels) {
            throw new AnomalyJException(who() + ": output '" + layer + "' has " + c + " channels but its descriptor says "
                    + spec.channels + "; fix \"channels\" for '" + layer + "' in the descriptor (the .json sidecar).");
        }
        if (oh * spec.stride != h || ow * spec.stride != w) {
            String actual = oh > 0 && h % oh == 0 ? String.valueOf(h / oh) : (h + "/" + oh);
            throw new AnomalyJException(who() + ": output '" + layer + "' is " + oh + "x" + ow + " for a " + w + "x" + h
                    + " input (stride " + actual + ") but its descriptor says stride " + spec.stride
                    + "; fix \"stride\" for '" + layer + "' in the descriptor (the .json sidecar).");
        }
        FloatBuffer all = t.getFloatBuffer(); // a heap copy of the native output
        int per = c * oh * ow;
        if (n == 1 && all.hasArray() && all.arrayOffset() == 0 && all.array().length == per) {
            out.get(0).add(new FeatureMap(layer, spec.stride, c, oh, ow, all.array()));
            return;
        }
        for (int i = 0; i < n; i++) {
            float[] data = new float[per];
            all.position(i * per);
            all.get(data);
            out.get(i).add(new FeatureMap(layer, spec.stride, c, oh, ow, data));
        }
    }

    /** Input and output names with their declared shapes, for diagnostics. */
    public String describeModel() {
        StringBuilder sb = new StringBuilder();
        try {
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                sb.append("input ").append(e.getKey()).append(' ').append(e.getValue().getInfo()).append('\n');
            }
            for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
                sb.append("output ").append(e.getKey()).append(' ').append(e.getValue().getInfo()).append('\n');
            }
        } catch (OrtException e) {
            sb.append("(model info unavailable: ").append(e.getMessage()).append(")");
        }
        return sb.toString();
    }

    @Override
    public synchronized void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            // closing releases native memory; nothing useful to report
        }
    }
}
