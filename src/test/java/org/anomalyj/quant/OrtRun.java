package org.anomalyj.quant;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.anomalyj.onnx.Sessions;

/** Test helpers: run a model once, compare outputs, count the operators ORT runs after optimisation. */
final class OrtRun {
    private OrtRun() {
    }

    static float[] run(byte[] model, String input, String output, float[] x, int h, int w) throws Exception {
        try (OrtSession s = Sessions.create(model, 1);
                OnnxTensor t = OnnxTensor.createTensor(Sessions.environment(), FloatBuffer.wrap(x), new long[] {1, 3, h, w});
                OrtSession.Result r = s.run(Collections.singletonMap(input, t))) {
            return ((OnnxTensor) r.get(output).get()).getFloatBuffer().array();
        }
    }

    /** Relative RMS error ||a - b|| / ||a||. */
    static double relativeError(float[] ref, float[] b) {
        double n = 0;
        double d = 0;
        for (int i = 0; i < ref.length; i++) {
            double e = ref[i] - b[i];
            n += e * e;
            d += (double) ref[i] * ref[i];
        }
        return Math.sqrt(n / d);
    }

    static Map<String, Integer> opTypes(byte[] model) throws Exception {
        Map<String, Integer> m = new TreeMap<>();
        for (OnnxMl.NodeProto n : OnnxMl.ModelProto.parseFrom(model).getGraph().getNodeList()) {
            m.merge(n.getOpType(), 1, Integer::sum);
        }
        return m;
    }

    /** The operators of the graph ONNX Runtime actually runs (its optimised model, saved to a temporary file). */
    static Map<String, Integer> optimizedOpTypes(byte[] model, Path tmp) throws Exception {
        Path file = tmp.resolve("optimized.onnx");
        try (OrtSession.SessionOptions o = Sessions.options(1)) {
            o.setOptimizedModelFilePath(file.toString());
            Sessions.environment().createSession(model, o).close();
        }
        return opTypes(Files.readAllBytes(file));
    }

    static float[] image(long seed, int h, int w, double sd) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[3 * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * sd);
        }
        return v;
    }
}
