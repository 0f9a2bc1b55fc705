package org.anomalyj.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.anomalyj.onnx.Sessions;

/** Runs an ONNX model on one NCHW float batch and returns the named outputs as flat arrays. */
final class OrtRunner {
    private OrtRunner() {
    }

    static List<float[]> run(byte[] model, String input, float[] data, long[] shape, List<String> outputs) throws Exception {
        try (OrtSession session = Sessions.create(model, 1);
                OnnxTensor x = OnnxTensor.createTensor(Sessions.environment(), FloatBuffer.wrap(data), shape);
                OrtSession.Result r = session.run(Collections.singletonMap(input, x), new java.util.HashSet<>(outputs))) {
            List<float[]> out = new ArrayList<>();
            for (String o : outputs) {
                FloatBuffer b = ((OnnxTensor) r.get(o).get()).getFloatBuffer();
                float[] v = new float[b.remaining()];
                b.get(v);
                out.add(v);
            }
            return out;
        }
    }
}
