package org.anomalyj.model.stfpm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained student's inference weights: for every teacher convolution (keyed by the name of the
 * teacher's weight initializer), the student's weight (same shape as the teacher's) and bias
 * (one per output channel), batch normalisation already folded in.
 */
public final class StudentWeights {
    private final Map<String, float[]> weights = new LinkedHashMap<>();
    private final Map<String, float[]> biases = new LinkedHashMap<>();

    public void put(String teacherWeightName, float[] weight, float[] bias) {
        weights.put(teacherWeightName, weight);
        biases.put(teacherWeightName, bias);
    }

    public float[] weight(String teacherWeightName) {
        return weights.get(teacherWeightName);
    }

    public float[] bias(String teacherWeightName) {
        return biases.get(teacherWeightName);
    }

    public Map<String, float[]> weights() {
        return Collections.unmodifiableMap(weights);
    }
}
