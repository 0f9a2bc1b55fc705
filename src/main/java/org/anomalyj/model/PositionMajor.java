package org.anomalyj.model;

import org.anomalyj.Bands;

/**
 * The steps of {@link FeatureAggregator} on position-major image rows: {@code rows[y]} holds image
 * row y as {@code [x][channel]}, the layout of a {@link PatchEmbedding}'s rows. A backbone hands
 * over planes ({@code [channel][y][x]}); after one transpose every step is an element-wise loop
 * over whole arrays from index 0, or a copy.
 *
 * <p>Why whole arrays from index 0: on JDK 17, C2 vectorises {@code out[j] = a[j] + b[j]} but leaves
 * {@code out[o + j] = a[p + j] + b[q + j]} scalar when the offsets are run-time values (scratch
 * benchmark: 66 against 405 ns for 1024 floats). Offsets are therefore taken by
 * {@code System.arraycopy} (an intrinsic) into arrays the arithmetic then reads from 0. For
 * ResNet50v2's layers (512 x 32 x 32 and 1024 x 16 x 16) PatchCore's aggregation took 4.2-4.4 ms
 * with the per-channel loops over 16- or 32-wide image rows this replaces, and takes 3.3 ms now
 * (PaDiM's: 2.5 -> 2.1 ms; scratch benchmark, two threads, of which allocating the 6 MB embedding
 * is 0.6 ms).
 *
 * <p>Every output value is computed with the same operations in the same order as the per-channel
 * definitions in {@link FeatureAggregator}'s class comment, so results do not depend on the layout.
 * Work is split into bands of image rows across the common fork-join pool; each band allocates
 * its buffers once, and the image rows themselves come from the caller ({@link RowScratch}).
 */
final class PositionMajor {
    /**
     * Channels per block of the transpose. Writing a channel's image row at a time instead strode
     * through the output at 2-4 KB, which thrashed the cache's sets: 1.16 against 0.53 ms per
     * 512 x 32 x 32 layer (scratch benchmark, one thread).
     */
    private static final int CHANNEL_BLOCK = 32;

    private PositionMajor() {
    }

    /**
     * Planes {@code [channels][h][w]} as position-major rows {@code [h][w * channels]}, written into
     * {@code rows} (every value overwritten); returns it.
     */
    static float[][] rows(float[] planes, int channels, int h, int w, float[][] rows) {
        Bands.run(h, (long) channels * h * w, (from, to) -> {
            float[] tile = new float[CHANNEL_BLOCK * w];
            for (int y = from; y < to; y++) {
                float[] row = rows[y];
                for (int c0 = 0; c0 < channels; c0 += CHANNEL_BLOCK) {
                    int block = Math.min(CHANNEL_BLOCK, channels - c0);
                    // the block's image rows side by side, then written a position at a time, so
                    // each position's channels land as one contiguous run
                    for (int c = 0; c < block; c++) {
                        System.arraycopy(planes, ((c0 + c) * h + y) * w, tile, c * w, w);
                    }
                    for (int x = 0; x < w; x++) {
                        int o = x * channels + c0;
                        for (int c = 0; c < block; c++) {
                            row[o + c] = tile[c * w + x];
                        }
                    }
                }
            }
        });
        return rows;
    }

    /**
     * 3x3 mean, stride 1, zero padding 1, always divided by 9 (torch count_include_pad=True): the
     * sum of image rows y-1, y, y+1 (in that order), then of columns x, x-1, x+1; a missing
     * neighbour adds nothing. Written into {@code out} (same shape, every value overwritten).
     */
    static float[][] averagePool3x3(float[][] rows, int channels, int h, int w, float[][] out) {
        int line = w * channels;
        Bands.run(h, (long) line * h, (from, to) -> {
            float[] left = new float[line];
            float[] right = new float[line];
            for (int y = from; y < to; y++) {
                float[] sum = out[y];
                System.arraycopy(rows[Math.max(0, y - 1)], 0, sum, 0, line);
                for (int yy = Math.max(0, y - 1) + 1; yy <= Math.min(h - 1, y + 1); yy++) {
                    float[] r = rows[yy];
                    for (int j = 0; j < line; j++) {
                        sum[j] += r[j];
                    }
                }
                // the column sums shifted by one position each way, zero where the neighbour is missing
                System.arraycopy(sum, 0, left, channels, line - channels);
                System.arraycopy(sum, channels, right, 0, line - channels);
                for (int j = 0; j < line; j++) {
                    sum[j] = (sum[j] + left[j] + right[j]) / 9f;
                }
            }
        });
        return out;
    }

    /** torch adaptive_avg_pool1d over channels: output i averages [floor(iC/O), ceil((i+1)C/O)). */
    static float[][] poolChannels(float[][] rows, int channels, int w, int outChannels) {
        int[] start = new int[outChannels];
        int[] end = new int[outChannels];
        for (int i = 0; i < outChannels; i++) {
            start[i] = (int) ((long) i * channels / outChannels);
            end[i] = (int) (((long) (i + 1) * channels + outChannels - 1) / outChannels);
        }
        float[][] out = new float[rows.length][];
        Bands.run(rows.length, (long) rows.length * w * channels, (from, to) -> {
            for (int y = from; y < to; y++) {
                float[] row = rows[y];
                float[] pooled = new float[w * outChannels];
                for (int x = 0; x < w; x++) {
                    for (int i = 0; i < outChannels; i++) {
                        float s = 0f;
                        for (int c = start[i]; c < end[i]; c++) {
                            s += row[x * channels + c];
                        }
                        pooled[x * outChannels + i] = s * (1f / (end[i] - start[i]));
                    }
                }
                out[y] = pooled;
            }
        });
        return out;
    }

    /** Copies each position's channels into the embedding ({@code rows.length x w} positions) at {@code offset}. */
    static void place(float[][] rows, int channels, int w, float[] out, int dim, int offset) {
        Bands.run(rows.length, (long) rows.length * w * channels, (from, to) -> {
            for (int y = from; y < to; y++) {
                copyRow(rows[y], channels, w, out, y * w, dim, offset);
            }
        });
    }

    /** Position x of {@code row} to embedding position {@code first + x}, for x below w. */
    private static void copyRow(float[] row, int channels, int w, float[] out, int first, int dim, int offset) {
        for (int x = 0; x < w; x++) {
            System.arraycopy(row, x * channels, out, (first + x) * dim + offset, channels);
        }
    }

    /**
     * torch interpolate bilinear, align_corners=false: src = (dst + 0.5) * in/out - 0.5, clamped at
     * 0; value {@code a (e p00 + d p01) + b (e p10 + d p11)} with weights a, b along y and e, d along x.
     * The x interpolation of every source row is computed once into {@code across} ({@code h} rows
     * of {@code outW * channels}, overwritten), then each output row blends two of them.
     */
    static void bilinear(float[][] rows, int channels, int h, int w, int outH, int outW, float[] out, int dim,
            int offset, float[][] across) {
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        float[] ly = new float[outH];
        sourceIndices(h, outH, y0, y1, ly);
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] lx = new float[outW];
        sourceIndices(w, outW, x0, x1, lx);
        Bands.run(h, (long) h * outW * channels, (from, to) -> {
            float[] left = new float[channels];
            float[] right = new float[channels];
            for (int y = from; y < to; y++) {
                float[] row = rows[y];
                float[] blend = across[y];
                for (int x = 0; x < outW; x++) {
                    float d = lx[x];
                    float e = 1f - d;
                    System.arraycopy(row, x0[x] * channels, left, 0, channels);
                    System.arraycopy(row, x1[x] * channels, right, 0, channels);
                    for (int c = 0; c < channels; c++) {
                        left[c] = e * left[c] + d * right[c];
                    }
                    System.arraycopy(left, 0, blend, x * channels, channels);
                }
            }
        });
        Bands.run(outH, (long) outH * outW * channels, (from, to) -> {
            float[] row = new float[outW * channels];
            for (int y = from; y < to; y++) {
                float b = ly[y];
                float a = 1f - b;
                float[] top = across[y0[y]];
                float[] bottom = across[y1[y]];
                for (int j = 0; j < row.length; j++) {
                    row[j] = a * top[j] + b * bottom[j];
                }
                copyRow(row, channels, outW, out, y * outW, dim, offset);
            }
        });
    }

    private static void sourceIndices(int in, int out, int[] i0, int[] i1, float[] lambda) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            float src = Math.max(0f, scale * (d + 0.5f) - 0.5f);
            int lo = Math.min((int) src, in - 1);
            i0[d] = lo;
            i1[d] = lo < in - 1 ? lo + 1 : lo;
            lambda[d] = src - lo;
        }
    }

    /** torch interpolate nearest: src = floor(dst * in/out), clamped to in - 1. */
    static void nearest(float[][] rows, int channels, int h, int w, int outH, int outW, float[] out, int dim,
            int offset) {
        int[] sx = new int[outW];
        for (int x = 0; x < outW; x++) {
            sx[x] = Math.min((int) Math.floor(x * ((float) w / outW)), w - 1);
        }
        Bands.run(outH, (long) outH * outW * channels, (from, to) -> {
            for (int y = from; y < to; y++) {
                float[] row = rows[Math.min((int) Math.floor(y * ((float) h / outH)), h - 1)];
                for (int x = 0; x < outW; x++) {
                    System.arraycopy(row, sx[x] * channels, out, (y * outW + x) * dim + offset, channels);
                }
            }
        });
    }
}
