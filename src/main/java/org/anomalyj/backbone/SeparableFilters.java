package org.anomalyj.backbone;

import org.anomalyj.img.Borders;

/**
 * Small separable-filter kernels and passes over flat row-major float planes, used by the
 * built-in filter bank. Borders are mirrored (..., 2, 1, | 0, 1, 2, ...) so that derivatives do
 * not light up at the image edge. Inner loops run over contiguous arrays so the JIT can vectorise
 * them.
 */
final class SeparableFilters {

    private SeparableFilters() {
    }

    /** Sampled Gaussian, normalised to sum 1; radius ceil(3.5 sigma). Index r is the centre. */
    static float[] gaussian(double sigma) {
        int r = radius(sigma);
        double[] g = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            g[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += g[i + r];
        }
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = (float) (g[i] / sum);
        }
        return out;
    }

    /**
     * First Gaussian derivative times {@code gain}, as a correlation kernel: applied to the ramp
     * f(x) = x it returns exactly {@code gain} (the sampled kernel is renormalised so that holds).
     */
    static float[] gaussianD1(double sigma, double gain) {
        int r = radius(sigma);
        double[] k = new double[2 * r + 1];
        double moment = 0;
        for (int i = -r; i <= r; i++) {
            double v = i * Math.exp(-i * i / (2 * sigma * sigma));
            k[i + r] = v;
            moment += v * i;
        }
        float[] out = new float[k.length];
        for (int i = 0; i < k.length; i++) {
            out[i] = (float) (gain * k[i] / moment);
        }
        return out;
    }

    /**
     * Second Gaussian derivative times {@code gain}: zero sum (flat regions give 0) and applied
     * to f(x) = x^2 / 2 it returns exactly {@code gain}.
     */
    static float[] gaussianD2(double sigma, double gain) {
        int r = radius(sigma);
        double s2 = sigma * sigma;
        double[] k = new double[2 * r + 1];
        double mean = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = (i * i / s2 - 1) * Math.exp(-i * i / (2 * s2));
            mean += k[i + r];
        }
        mean /= k.length;
        double moment = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] -= mean;
            moment += k[i + r] * i * i / 2.0;
        }
        float[] out = new float[k.length];
        for (int i = 0; i < k.length; i++) {
            out[i] = (float) (gain * k[i] / moment);
        }
        return out;
    }

    static int radius(double sigma) {
        return Math.max(1, (int) Math.ceil(3.5 * sigma));
    }


    /**
     * Horizontal correlation of every row: out[y][x] = sum_t k[t] in[y][x + t - r].
     * {@code line} is scratch of length at least w + 2r.
     */
    static void rows(float[] in, int w, int h, float[] k, float[] out, float[] line) {
        int r = k.length / 2;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int i = -r; i < w + r; i++) {
                line[i + r] = in[row + Borders.reflect101(i, w)];
            }
            for (int x = 0; x < w; x++) {
                out[row + x] = 0f;
            }
            for (int t = 0; t < k.length; t++) {
                float kt = k[t];
                for (int x = 0; x < w; x++) {
                    out[row + x] += kt * line[x + t];
                }
            }
        }
    }

    /** Vertical correlation of every column: out[y][x] = sum_t k[t] in[y + t - r][x]. */
    static void cols(float[] in, int w, int h, float[] k, float[] out) {
        int r = k.length / 2;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                out[row + x] = 0f;
            }
            for (int t = 0; t < k.length; t++) {
                float kt = k[t];
                int src = Borders.reflect101(y + t - r, h) * w;
                for (int x = 0; x < w; x++) {
                    out[row + x] += kt * in[src + x];
                }
            }
        }
    }

    /**
     * Three horizontal correlations in one sweep, for kernels of equal length: {@code sym} and
     * {@code sym2} symmetric, {@code anti} antisymmetric (as the Gaussian, its second and its first
     * derivative are). Pairing the taps x+t and x-t halves the multiplications and the sweep reads
     * each row once for all three outputs.
     *
     * @param line scratch of at least w + 2r values
     */
    static void rows3(float[] in, int w, int h, float[] sym, float[] anti, float[] sym2,
            float[] outSym, float[] outAnti, float[] outSym2, float[] line) {
        int r = sym.length / 2;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int i = -r; i < w + r; i++) {
                line[i + r] = in[row + Borders.reflect101(i, w)];
            }
            float c0 = sym[r];
            float c2 = sym2[r];
            for (int x = 0; x < w; x++) {
                float v = line[x + r];
                outSym[row + x] = c0 * v;
                outSym2[row + x] = c2 * v;
                outAnti[row + x] = 0f;
            }
            for (int t = 1; t <= r; t++) {
                float a = sym[r + t];
                float b = anti[r + t];
                float c = sym2[r + t];
                int hi = r + t;
                int lo = r - t;
                for (int x = 0; x < w; x++) {
                    float p = line[x + hi];
                    float q = line[x + lo];
                    float sum = p + q;
                    outSym[row + x] += a * sum;
                    outSym2[row + x] += c * sum;
                    outAnti[row + x] += b * (p - q);
                }
            }
        }
    }

    /**
     * Vertical correlation with a symmetric kernel and/or an antisymmetric kernel of the same
     * length, in one sweep; either output may be null.
     */
    static void colsPair(float[] in, int w, int h, float[] sym, float[] outSym, float[] anti, float[] outAnti) {
        int r = (sym != null ? sym : anti).length / 2;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            if (outSym != null) {
                float c0 = sym[r];
                for (int x = 0; x < w; x++) {
                    outSym[row + x] = c0 * in[row + x];
                }
            }
            if (outAnti != null) {
                for (int x = 0; x < w; x++) {
                    outAnti[row + x] = 0f;
                }
            }
            for (int t = 1; t <= r; t++) {
                int up = Borders.reflect101(y - t, h) * w;
                int down = Borders.reflect101(y + t, h) * w;
                if (outSym != null) {
                    float a = sym[r + t];
                    for (int x = 0; x < w; x++) {
                        outSym[row + x] += a * (in[down + x] + in[up + x]);
                    }
                }
                if (outAnti != null) {
                    float b = anti[r + t];
                    for (int x = 0; x < w; x++) {
                        outAnti[row + x] += b * (in[down + x] - in[up + x]);
                    }
                }
            }
        }
    }

    /**
     * Halves a plane: blur (Gaussian sigma sqrt(0.75) then a 2x2 average, total variance 1 pixel^2,
     * enough against aliasing for a factor 2). Pixel k of the result is centred on pixels 2k, 2k+1
     * of the input, so block centres stay aligned through the pyramid. w and h must be even.
     *
     * @param scratch at least (w / 2) * h values
     * @param line    at least w + 16 values
     */
    static float[] halve(float[] in, int w, int h, float[] scratch, float[] line) {
        float[] g = gaussian(Math.sqrt(0.75));
        int r = g.length / 2;
        // c[t] weighs input 2x - r + t: the Gaussian convolved with the pair average
        float[] c = new float[g.length + 1];
        for (int t = 0; t < c.length; t++) {
            float a = t < g.length ? g[t] : 0f;
            float b = t > 0 ? g[t - 1] : 0f;
            c[t] = 0.5f * (a + b);
        }
        int w2 = w / 2;
        int h2 = h / 2;
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int i = -r; i < w + r + 1; i++) {
                line[i + r] = in[row + Borders.reflect101(i, w)];
            }
            int orow = y * w2;
            for (int x = 0; x < w2; x++) {
                float s = 0f;
                for (int t = 0; t < c.length; t++) {
                    s += c[t] * line[2 * x + t];
                }
                scratch[orow + x] = s;
            }
        }
        float[] out = new float[w2 * h2];
        for (int y = 0; y < h2; y++) {
            int orow = y * w2;
            for (int t = 0; t < c.length; t++) {
                float ct = c[t];
                int src = Borders.reflect101(2 * y - r + t, h) * w2;
                for (int x = 0; x < w2; x++) {
                    out[orow + x] += ct * scratch[src + x];
                }
            }
        }
        return out;
    }

    /**
     * A local average sampled on a grid of {@code step x step} cells: result[i][j] averages
     * {@code in} around the centre of cell (i, j) with a window of standard deviation about
     * {@code sigma} pixels. Computed as the cell mean (a box of variance (step^2-1)/12) followed
     * by a Gaussian on the cell grid that supplies the remaining variance, which is ~10x cheaper
     * than a Gaussian evaluated on the pixels and is centred on the cell centre exactly.
     *
     * @param scratch at least 2 * outW * outH + outW + 2 * (radius of the grid kernel) values
     * @param out     receives outH * outW values starting at {@code outOffset}
     */
    static void poolCells(float[] in, int w, int h, int step, double sigma, int outW, int outH,
            float[] scratch, float[] out, int outOffset) {
        int cells = outW * outH;
        float inv = 1f / (step * step);
        // cell means into scratch[0 .. cells)
        for (int i = 0; i < cells; i++) {
            scratch[i] = 0f;
        }
        for (int y = 0; y < outH * step; y++) {
            int row = y * w;
            int crow = (y / step) * outW;
            for (int k = 0; k < step; k++) {
                for (int j = 0; j < outW; j++) {
                    scratch[crow + j] += in[row + step * j + k];
                }
            }
        }
        for (int i = 0; i < cells; i++) {
            scratch[i] *= inv;
        }
        double boxVar = (step * (double) step - 1) / 12.0;
        double rest = Math.sqrt(Math.max(0, sigma * sigma - boxVar)) / step;
        if (rest < 0.1) {
            System.arraycopy(scratch, 0, out, outOffset, cells);
            return;
        }
        float[] g = gaussian(rest);
        float[] grid = new float[cells];
        float[] line = new float[outW + g.length];
        rows(scratch, outW, outH, g, grid, line);
        float[] res = new float[cells];
        cols(grid, outW, outH, g, res);
        System.arraycopy(res, 0, out, outOffset, cells);
    }
}
