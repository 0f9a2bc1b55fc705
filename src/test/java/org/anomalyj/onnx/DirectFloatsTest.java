package org.anomalyj.onnx;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;

import ai.onnxruntime.OnnxTensor;
import java.util.Arrays;
import org.junit.Test;

/** Tensors from the reused direct buffer hold exactly the requested values, whatever came before. */
public class DirectFloatsTest {

    @Test
    public void tensorsHoldTheRequestedRowsAcrossSizes() throws Exception {
        float[] values = new float[5000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f;
        }
        // a large tensor first, then a smaller one from an offset (reuses the buffer), then a larger one (grows it)
        int[][] requests = {{0, 40, 100}, {7, 3, 5}, {100, 48, 100}};
        for (int[] r : requests) {
            try (OnnxTensor t = DirectFloats.tensor(values, r[0], r[1], r[2])) {
                assertTrue(t.getFloatBuffer().capacity() == r[1] * r[2]);
                assertArrayEquals(Arrays.copyOfRange(values, r[0], r[0] + r[1] * r[2]), t.getFloatBuffer().array(), 0f);
                assertArrayEquals(new long[] {r[1], r[2]}, t.getInfo().getShape());
            }
        }
    }
}
