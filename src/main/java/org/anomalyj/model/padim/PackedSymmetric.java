package org.anomalyj.model.padim;

/**
 * Symmetric d x d matrices kept as their upper triangles, row after row ({@code d (d + 1) / 2}
 * floats per matrix, element (i, j) with {@code j >= i} at {@code rowStart(i) + j - i}). PaDiM keeps
 * one inverse covariance per position and reads all of them for every image; packed, that read
 * is one contiguous stream per matrix and half the memory of the full matrices (d = 550, 32 x 32
 * positions: 0.62 GB instead of 1.24 GB).
 */
public final class PackedSymmetric {
    private final int d;
    private final int count;
    private final float[] data;

    private PackedSymmetric(int d, int count, float[] data) {
        this.d = d;
        this.count = count;
        this.data = data;
    }

    /** Floats per packed matrix. */
    public static long triangle(int d) {
        return (long) d * (d + 1) / 2;
    }

    /** Index of element (i, i) within a packed matrix: rows 0..i-1 hold d, d-1, ... values. */
    public static int rowStart(int i, int d) {
        return i * d - i * (i - 1) / 2;
    }

    /** {@code count} packed d x d matrices of zeros, to be filled through {@link #data()}. */
    public static PackedSymmetric zeros(int count, int d) {
        long size = triangle(d) * count;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(count + " packed " + d + " x " + d + " matrices exceed one array");
        }
        return new PackedSymmetric(d, count, new float[(int) size]);
    }

    /**
     * Packs the upper triangles of {@code count} row-major d x d matrices (the lower triangles are
     * not read).
     */
    public static PackedSymmetric ofUpper(float[] full, int count, int d) {
        if (full.length != (long) count * d * d) {
            throw new IllegalArgumentException("length " + full.length + " != " + count + " x " + d + " x " + d);
        }
        PackedSymmetric packed = zeros(count, d);
        float[] data = packed.data;
        int t = (int) triangle(d);
        for (int p = 0; p < count; p++) {
            long base = (long) p * d * d;
            for (int i = 0; i < d; i++) {
                System.arraycopy(full, (int) (base + (long) i * d + i), data, p * t + rowStart(i, d), d - i);
            }
        }
        return packed;
    }

    /** The full row-major matrices {@code [count, d, d]}, each symmetric (a new array). */
    public float[] unpack() {
        float[] full = new float[Math.multiplyExact(count, d * d)];
        int t = (int) triangle(d);
        for (int p = 0; p < count; p++) {
            int base = p * d * d;
            for (int i = 0; i < d; i++) {
                int row = p * t + rowStart(i, d) - i;
                for (int j = i; j < d; j++) {
                    float v = data[row + j];
                    full[base + i * d + j] = v;
                    full[base + j * d + i] = v;
                }
            }
        }
        return full;
    }

    /** Size d of each matrix. */
    public int dim() {
        return d;
    }

    /** Number of matrices. */
    public int count() {
        return count;
    }

    /** The packed values; shared, not copied. */
    public float[] data() {
        return data;
    }

    /** Offset of matrix {@code p} in {@link #data()}. */
    public long offset(int p) {
        return p * triangle(d);
    }
}
