package org.anomalyj.io;

import java.util.Arrays;

/**
 * An n-dimensional array as stored in a bundle's {@code .npy} files (little-endian, C order):
 * float32 ({@code <f4}) or int32 ({@code <i4}). Exactly one of {@link #floats()} / {@link #ints()}
 * is non-null.
 */
public final class NpyArray {
    private final int[] shape;
    private final float[] floats;
    private final int[] ints;

    private NpyArray(int[] shape, float[] floats, int[] ints) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n *= s;
        }
        long len = floats != null ? floats.length : ints.length;
        if (n != len) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + len + " values");
        }
        this.shape = shape.clone();
        this.floats = floats;
        this.ints = ints;
    }

    public static NpyArray ofFloats(float[] data, int... shape) {
        return new NpyArray(shape, data, null);
    }

    public static NpyArray ofInts(int[] data, int... shape) {
        return new NpyArray(shape, null, data);
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int i) {
        return shape[i];
    }

    public int rank() {
        return shape.length;
    }

    public boolean isFloat() {
        return floats != null;
    }

    /** numpy dtype string: {@code <f4} or {@code <i4}. */
    public String dtype() {
        return floats != null ? "<f4" : "<i4";
    }

    public float[] floats() {
        return floats;
    }

    public int[] ints() {
        return ints;
    }

    public long size() {
        return floats != null ? floats.length : ints.length;
    }
}
