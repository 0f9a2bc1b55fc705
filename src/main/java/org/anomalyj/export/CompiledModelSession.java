package org.anomalyj.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import org.anomalyj.AnomalyJException;
import org.anomalyj.api.ImageScorer;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.InferencePipeline;
import org.anomalyj.api.Prediction;
import org.anomalyj.api.StageTimes;
import org.anomalyj.img.FloatImage;
import org.anomalyj.img.PixelSource;
import org.anomalyj.onnx.Sessions;
import org.anomalyj.post.AnomalyMap;

/**
 * Runs a compiled model ({@link CompiledModelExporter}) with ONNX Runtime as an
 * {@link ImageScorer}: the image is resized to the graph's input size as AnomalyJ does, normalised
 * as the model's metadata says ({@code input.*} keys), and the graph's anomaly map and image score
 * are returned as a {@link Prediction} (stage times: preprocess, and the whole graph as
 * "backbone"). It reads nothing but the .onnx file, so it also shows that the metadata is enough
 * to use the graph. Calls are serialised; close it when done.
 */
public final class CompiledModelSession implements ImageScorer, AutoCloseable {
    private final OrtSession session;
    private final Map<String, String> metadata;
    private final String input;
    private final int size;
    private final float[] gain = new float[3];
    private final float[] bias = new float[3];
    private final int[] sourceChannel = new int[3];
    private final FloatBuffer buffer;

    private CompiledModelSession(OrtSession session, String source) throws OrtException {
        this.session = session;
        this.metadata = session.getMetadata().getCustomMetadata();
        if (!ExportMetadata.FORMAT.equals(metadata.get("anomalyj.format"))) {
            throw new AnomalyJException(source + " is not a compiled AnomalyJ model (no anomalyj.format metadata);"
                    + " write one with 'anomalyj export'.");
        }
        this.input = metadata.get("input.name");
        this.size = Integer.parseInt(metadata.get("input.image_size"));
        double scale = Double.parseDouble(metadata.get("input.scale"));
        double offset = Double.parseDouble(metadata.get("input.offset_before_scale"));
        String[] mean = metadata.get("input.mean").split(",");
        String[] std = metadata.get("input.std").split(",");
        boolean bgr = "BGR".equals(metadata.get("input.color"));
        for (int c = 0; c < 3; c++) {
            double s = Double.parseDouble(std[c]);
            // x = ((p + offset) * scale - mean) / std = p * gain + bias, as the backbone's own packing
            gain[c] = (float) (scale / s);
            bias[c] = (float) ((offset * scale - Double.parseDouble(mean[c])) / s);
            sourceChannel[c] = bgr ? 2 - c : c;
        }
        this.buffer = ByteBuffer.allocateDirect(3 * size * size * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Opens a compiled model file with {@code threads} intra-op threads ({@code <= 0}: all cores). */
    public static CompiledModelSession open(Path file, int threads) {
        if (!Files.isRegularFile(file)) {
            throw new AnomalyJException("The compiled model " + file + " does not exist; write it with 'anomalyj export'.");
        }
        try (OrtSession.SessionOptions o = Sessions.options(threads)) {
            return wrap(Sessions.environment().createSession(file.toString(), o), file.toString());
        } catch (OrtException e) {
            throw new AnomalyJException("ONNX Runtime could not load the compiled model " + file + " (" + e.getMessage()
                    + "); export it again.", e);
        }
    }

    /** The wrapper around an open session, closing the session if reading its description fails. */
    private static CompiledModelSession wrap(OrtSession s, String name) throws OrtException {
        try {
            return new CompiledModelSession(s, name);
        } catch (RuntimeException | OrtException e) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // the original error is the useful one
            }
            throw e;
        }
    }

    /**
     * Compiles a loaded bundle in memory ({@link CompiledModelExporter#compile}) and opens it,
     * without writing a file: how the engine can run a bundle as one graph.
     *
     * @param size input size; 0 = the model's own
     */
    public static CompiledModelSession compile(ModelBundle bundle, int size, int threads) {
        byte[] bytes = CompiledModelExporter.compile(bundle, size, "(in memory)").toByteArray();
        try {
            return wrap(Sessions.create(bytes, threads), "the compiled model");
        } catch (OrtException e) {
            throw new AnomalyJException("ONNX Runtime could not load the model compiled in memory (" + e.getMessage()
                    + "); run it with the Java path instead.", e);
        }
    }

    /** The model's metadata_props. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Input size of the graph (square). */
    public int size() {
        return size;
    }

    /** Runs the graph on an already resized 3-channel image (values 0..255). */
    public synchronized Prediction predictResized(FloatImage rgb) {
        if (rgb.width() != size || rgb.height() != size || rgb.channels() != 3) {
            throw new IllegalArgumentException("expected a 3-channel " + size + "x" + size + " image");
        }
        long t0 = System.nanoTime();
        int plane = size * size;
        FloatBuffer b = buffer.duplicate();
        b.clear();
        float[] d = rgb.data();
        float[] row = new float[plane];
        for (int c = 0; c < 3; c++) {
            int src = sourceChannel[c] * plane;
            float g = gain[c];
            float o = bias[c];
            for (int i = 0; i < plane; i++) {
                row[i] = d[src + i] * g + o;
            }
            b.put(row);
        }
        b.flip();
        long t1 = System.nanoTime();
        try (OnnxTensor t = OnnxTensor.createTensor(Sessions.environment(), b, new long[] {1, 3, size, size});
                OrtSession.Result r = session.run(Collections.singletonMap(input, t))) {
            float[] map = new float[plane];
            ((OnnxTensor) r.get(CompiledModelExporter.MAP_OUTPUT).get()).getFloatBuffer().get(map);
            float score = ((OnnxTensor) r.get(CompiledModelExporter.SCORE_OUTPUT).get()).getFloatBuffer().get(0);
            long t2 = System.nanoTime();
            return new Prediction(new AnomalyMap(size, size, map), score, new StageTimes(t1 - t0, t2 - t1, 0, 0));
        } catch (OrtException e) {
            throw new AnomalyJException("The compiled model failed on a " + size + "x" + size + " image ("
                    + e.getMessage() + "); export it again.", e);
        }
    }

    @Override
    public Prediction predict(PixelSource image) {
        long t0 = System.nanoTime();
        FloatImage in = InferencePipeline.toModelInput(image, size);
        long resize = System.nanoTime() - t0;
        Prediction p = predictResized(in);
        StageTimes t = p.times();
        return new Prediction(p.map(), p.score(),
                new StageTimes(resize + t.preprocessNanos, t.backboneNanos, t.headNanos, t.postNanos));
    }

    @Override
    public synchronized void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // releases native memory; nothing useful to report
        }
    }
}
