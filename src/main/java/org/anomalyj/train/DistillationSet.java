package org.anomalyj.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Images prepared for distillation: each image's network input (normalised CHW floats, as the
 * teacher sees it) and the teacher's output for every layer (CHW floats), computed once and kept
 * for all epochs since the teacher is frozen and STFPM uses no augmentation.
 */
public final class DistillationSet {
    private final int height;
    private final int width;
    private final int[][] layerShapes;
    private final List<float[]> inputs = new ArrayList<>();
    private final List<float[][]> targets = new ArrayList<>();

    /** @param layerShapes per layer {channels, height, width} */
    public DistillationSet(int height, int width, int[][] layerShapes) {
        this.height = height;
        this.width = width;
        this.layerShapes = layerShapes;
    }

    public void add(float[] input, float[][] teacherLayers) {
        if (input.length != 3 * height * width || teacherLayers.length != layerShapes.length) {
            throw new IllegalArgumentException("image does not match the set's geometry");
        }
        for (int l = 0; l < layerShapes.length; l++) {
            int[] s = layerShapes[l];
            if (teacherLayers[l].length != s[0] * s[1] * s[2]) {
                throw new IllegalArgumentException("layer " + l + " does not match " + s[0] + "x" + s[1] + "x" + s[2]);
            }
        }
        inputs.add(input);
        targets.add(teacherLayers);
    }

    public int size() {
        return inputs.size();
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int layers() {
        return layerShapes.length;
    }

    public int[] layerShape(int l) {
        return layerShapes[l].clone();
    }

    public float[] input(int i) {
        return inputs.get(i);
    }

    public float[] target(int i, int layer) {
        return targets.get(i)[layer];
    }

    public List<float[]> inputs() {
        return Collections.unmodifiableList(inputs);
    }
}
