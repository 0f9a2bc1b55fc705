package org.anomalyj.backbone;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.anomalyj.AnomalyJException;
import org.anomalyj.img.FloatImage;

/**
 * The built-in, weight-free feature extractor ("builtin"): a bank of Gaussian derivative filters,
 * so that training and detection run with nothing to download. It describes local texture, which
 * is what patch-based anomaly detection compares.
 *
 * <p>Input channels: grey = (R+G+B)/3 and two colour-opponent channels rg = R-G and
 * yb = (R+G)/2-B, all divided by 255. For each input channel and each scale sigma it computes
 * scale-normalised Gaussian derivative responses (sigma*d/dx, sigma*d/dy, sigma^2*d2/dx2,
 * sigma^2*d2/dy2, sigma^2*d2/dxdy and the Laplacian of Gaussian for grey; gradient magnitude and
 * LoG for the colour channels), squares them, averages the energy with a Gaussian window of
 * standard deviation equal to the layer's stride, samples at the stride and takes the square root
 * (a local RMS amplitude). It adds the local mean and standard deviation of each input channel
 * over the same window. Scales 4 and 8 are computed on a half and quarter resolution pyramid, which
 * keeps a 256x256 image in a few milliseconds.
 *
 * <p>Layers ({@link #FINE} shallowest first):
 * <ul>
 * <li>{@code fb_s4}: stride 4, sigmas 1, 2, 4, window sigma 4 pixels: 20 + 8 + 8 = 36 channels;</li>
 * <li>{@code fb_s8}: stride 8, sigmas 1, 2, 4, 8, window sigma 8 pixels: 26 + 10 + 10 = 46 channels.</li>
 * </ul>
 * Channel order within a layer: for grey, rg, yb in turn: mean, std, then per sigma (ascending)
 * the derivative energies listed above; {@link #channelNames(String)} spells them out.
 *
 * <p>Fixed channel gains (so that channels have comparable magnitude; measured on grey industrial images,
 * KolektorSDD and Magnetic Tile, so that typical values are near 1):
 * mean x {@value #GAIN_MEAN}, std x {@value #GAIN_STD}, first-derivative energies x
 * {@value #GAIN_D1}, second-derivative and LoG energies x {@value #GAIN_D2}. Colour channels use
 * the same gains as grey. Output is deterministic (no randomness; the parallel split only assigns
 * disjoint channels to threads).
 *
 * <p>Images need width and height divisible by the largest stride among the chosen layers.
 * Thread-safe: no state is shared between calls.
 */
public final class FilterBankBackbone implements FeatureExtractor {

    /** Descriptor name and backbone spec of the built-in extractor. */
    public static final String NAME = "builtin";
    /** The stride-4 layer. */
    public static final String FINE = "fb_s4";
    /** The stride-8 layer. */
    public static final String COARSE = "fb_s8";

    // Measured on 20 training images (KolektorSDD, Magnetic Tile) resized to 256x256, before gains:
    // mean 0.69 (spread 0.18), std 0.026-0.031,
    // derivative energies 0.003-0.010 (spread 0.001-0.008), nearly
    // independent of sigma thanks to scale normalisation. Gains bring typical values near 1.
    static final float GAIN_MEAN = 4f;
    static final float GAIN_STD = 32f;
    static final float GAIN_D1 = 128f;
    static final float GAIN_D2 = 128f;

    /** One output layer: stride, derivative scales and energy window. */
    private static final class Layer {
        final String name;
        final int stride;
        final double[] sigmas;
        final double window;

        Layer(String name, int stride, double[] sigmas, double window) {
            this.name = name;
            this.stride = stride;
            this.sigmas = sigmas;
            this.window = window;
        }

        int channels() {
            return greyBlock() + 2 * colourBlock();
        }

        int greyBlock() {
            return 2 + GREY_RESPONSES * sigmas.length;
        }

        int colourBlock() {
            return 2 + COLOUR_RESPONSES * sigmas.length;
        }

        /** First channel of input channel {@code input} (0 grey, 1 rg, 2 yb). */
        int blockStart(int input) {
            return input == 0 ? 0 : greyBlock() + (input - 1) * colourBlock();
        }

        int sigmaIndex(double sigma) {
            for (int i = 0; i < sigmas.length; i++) {
                if (sigmas[i] == sigma) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static final int GREY_RESPONSES = 6;
    private static final int COLOUR_RESPONSES = 2;
    private static final String[] GREY_NAMES = {"dx", "dy", "dxx", "dyy", "dxy", "log"};
    private static final String[] COLOUR_NAMES = {"grad", "log"};
    private static final String[] INPUT_NAMES = {"grey", "rg", "yb"};

    private static final List<Layer> ALL_LAYERS = Collections.unmodifiableList(Arrays.asList(
            new Layer(FINE, 4, new double[] {1, 2, 4}, 4),
            new Layer(COARSE, 8, new double[] {1, 2, 4, 8}, 8)));

    /** Union of all layers' scales, ascending. */
    private static final double[] ALL_SIGMAS = {1, 2, 4, 8};

    private static final BackboneDescriptor DESCRIPTOR = buildDescriptor();

    private final List<Layer> layers;
    private final List<String> layerNames;
    private final boolean parallel;

    /**
     * @param layers  names among {@code fb_s4, fb_s8}; null or empty for the default, {@code fb_s8}
     * @param threads 1 to run on the calling thread only; otherwise the three input channels are
     *                processed in parallel on the common fork-join pool
     */
    public FilterBankBackbone(List<String> layers, int threads) {
        List<String> names = DESCRIPTOR.layersOrDefault(layers);
        List<Layer> chosen = new ArrayList<>();
        for (Layer l : ALL_LAYERS) {
            if (names.contains(l.name)) {
                chosen.add(l);
            }
        }
        this.layers = Collections.unmodifiableList(chosen);
        List<String> ordered = new ArrayList<>();
        for (Layer l : chosen) {
            ordered.add(l.name);
        }
        this.layerNames = Collections.unmodifiableList(ordered);
        this.parallel = threads != 1;
    }

    /** The default layer, all cores. */
    public FilterBankBackbone() {
        this(null, 0);
    }

    /** The descriptor of the built-in extractor (name "builtin", no sha256). */
    public static BackboneDescriptor builtinDescriptor() {
        return DESCRIPTOR;
    }

    private static BackboneDescriptor buildDescriptor() {
        List<BackboneDescriptor.Output> outputs = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        for (Layer l : ALL_LAYERS) {
            outputs.add(new BackboneDescriptor.Output(l.name, l.stride, l.channels()));
        }
        // Default: the stride-8 layer alone. It already holds the fine scales (sigma 1 and 2), and
        // stride 8 gives a quarter of the patches of stride 4, which keeps PatchCore's coreset and
        // PaDiM's covariances affordable on full data sets (700k instead of 2.8M patches on the
        // 686 Magnetic Tile training images).
        defaults.add(COARSE);
        // Identity preprocessing: the filter bank reads 0..255 RGB itself.
        return new BackboneDescriptor(NAME, "image", "RGB", 1.0, 0.0, new double[] {0, 0, 0},
                new double[] {1, 1, 1}, outputs, defaults, null);
    }

    /** Human-readable name of every channel of a layer, e.g. "grey.s2.dxx", in output order. */
    public static List<String> channelNames(String layer) {
        Layer l = find(layer);
        List<String> out = new ArrayList<>();
        for (int input = 0; input < 3; input++) {
            String in = INPUT_NAMES[input];
            out.add(in + ".mean");
            out.add(in + ".std");
            String[] responses = input == 0 ? GREY_NAMES : COLOUR_NAMES;
            for (double s : l.sigmas) {
                for (String r : responses) {
                    out.add(in + ".s" + (int) s + "." + r);
                }
            }
        }
        return out;
    }

    private static Layer find(String name) {
        for (Layer l : ALL_LAYERS) {
            if (l.name.equals(name)) {
                return l;
            }
        }
        DESCRIPTOR.output(name); // throws the standard "no output named" error
        throw new IllegalStateException(name);
    }

    @Override
    public BackboneDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public List<String> layers() {
        return layerNames;
    }

    @Override
    public List<FeatureMap> extract(FloatImage rgb) {
        int w = rgb.width();
        int h = rgb.height();
        int maxStride = 1;
        for (Layer l : layers) {
            maxStride = Math.max(maxStride, l.stride);
        }
        if (w % maxStride != 0 || h % maxStride != 0) {
            throw new AnomalyJException("The built-in backbone needs image sizes divisible by " + maxStride
                    + " but got " + w + "x" + h + "; choose an input size that is a multiple of " + maxStride
                    + " (e.g. 256).");
        }
        float[][] inputs = opponentChannels(rgb);
        float[][] outs = new float[layers.size()][];
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            outs[i] = new float[l.channels() * (h / l.stride) * (w / l.stride)];
        }
        // Colour channels of a grey picture are exactly 0 and so are their features: skip them.
        int nInputs = inputs[1] == null ? 1 : 3;
        if (parallel && nInputs > 1) {
            IntStream.range(0, nInputs).parallel().forEach(c -> processInput(c, inputs[c], w, h, outs));
        } else {
            for (int c = 0; c < nInputs; c++) {
                processInput(c, inputs[c], w, h, outs);
            }
        }
        List<FeatureMap> maps = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            maps.add(new FeatureMap(l.name, l.stride, l.channels(), h / l.stride, w / l.stride, outs[i]));
        }
        return maps;
    }

    /**
     * Images in parallel when threads != 1 (grey images cannot use the per-channel split);
     * results are identical to one-by-one extraction and in input order.
     */
    @Override
    public List<List<FeatureMap>> extractBatch(List<FloatImage> images) {
        if (!parallel || images.size() < 2) {
            return FeatureExtractor.super.extractBatch(images);
        }
        return images.parallelStream().map(this::extract).collect(java.util.stream.Collectors.toList());
    }

    /**
     * grey, rg, yb planes scaled to 0..1; rg and yb are null when the image is grey (1 channel or
     * R == G == B everywhere).
     */
    private static float[][] opponentChannels(FloatImage img) {
        int n = img.width() * img.height();
        float[] d = img.data();
        float[] grey = new float[n];
        if (img.channels() < 3) {
            float s = 1f / 255f;
            for (int i = 0; i < n; i++) {
                grey[i] = d[i] * s;
            }
            return new float[][] {grey, null, null};
        }
        int g0 = n;
        int b0 = 2 * n;
        boolean colour = false;
        for (int i = 0; i < n; i++) {
            if (d[i] != d[g0 + i] || d[i] != d[b0 + i]) {
                colour = true;
                break;
            }
        }
        float third = 1f / (3f * 255f);
        for (int i = 0; i < n; i++) {
            grey[i] = (d[i] + d[g0 + i] + d[b0 + i]) * third;
        }
        if (!colour) {
            return new float[][] {grey, null, null};
        }
        float[] rg = new float[n];
        float[] yb = new float[n];
        float s = 1f / 255f;
        for (int i = 0; i < n; i++) {
            rg[i] = (d[i] - d[g0 + i]) * s;
            yb[i] = (0.5f * (d[i] + d[g0 + i]) - d[b0 + i]) * s;
        }
        return new float[][] {grey, rg, yb};
    }

    /** All features of one input channel, for every chosen layer (writes disjoint channels). */
    private void processInput(int input, float[] plane, int w, int h, float[][] outs) {
        int n = w * h;
        // all kernels here have sigma <= 2 (radius <= 7): the padded line needs w + 2 * 7 + 1
        float[] line = new float[w + 2 * SeparableFilters.radius(2.0) + 2];
        float[] poolTmp = new float[n];
        // mean and std over each layer's window, at full resolution
        // Squares are taken around the global mean: variance is shift-invariant and this avoids
        // float cancellation in E[x^2] - E[x]^2 (a flat image then has std exactly 0).
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += plane[i];
        }
        float globalMean = (float) (total / n);
        float[] centred = new float[n];
        float[] sq = new float[n];
        for (int i = 0; i < n; i++) {
            float v = plane[i] - globalMean;
            centred[i] = v;
            sq[i] = v * v;
        }
        for (int li = 0; li < layers.size(); li++) {
            Layer l = layers.get(li);
            int ow = w / l.stride;
            int oh = h / l.stride;
            int cells = ow * oh;
            float[] out = outs[li];
            int meanAt = l.blockStart(input) * cells;
            int stdAt = meanAt + cells;
            SeparableFilters.poolCells(centred, w, h, l.stride, l.window, ow, oh, poolTmp, out, meanAt);
            SeparableFilters.poolCells(sq, w, h, l.stride, l.window, ow, oh, poolTmp, out, stdAt);
            for (int i = 0; i < cells; i++) {
                float m = out[meanAt + i];
                float v = out[stdAt + i] - m * m;
                out[stdAt + i] = GAIN_STD * (float) Math.sqrt(Math.max(0f, v));
                out[meanAt + i] = GAIN_MEAN * (m + globalMean);
            }
        }
        // pyramid: level L halves L-1 (pixel k of level L sits on pixel 2^L k of the image)
        int maxLevel = 0;
        for (Layer l : layers) {
            for (double s : l.sigmas) {
                maxLevel = Math.max(maxLevel, level(s));
            }
        }
        float[][] pyramid = new float[maxLevel + 1][];
        pyramid[0] = plane;
        for (int lv = 1; lv <= maxLevel; lv++) {
            int pw = w >> (lv - 1);
            int ph = h >> (lv - 1);
            pyramid[lv] = SeparableFilters.halve(pyramid[lv - 1], pw, ph, poolTmp, line);
        }
        boolean grey = input == 0;
        int nResp = grey ? GREY_RESPONSES : COLOUR_RESPONSES;
        float[][] resp = new float[nResp][n];
        float[] hg = new float[n];
        float[] hg1 = new float[n];
        float[] hg2 = new float[n];
        float[] a = new float[n];
        float[] b = new float[n];
        for (double sigma : ALL_SIGMAS) {
            boolean used = false;
            for (Layer l : layers) {
                used |= l.sigmaIndex(sigma) >= 0;
            }
            if (!used) {
                continue;
            }
            int lv = level(sigma);
            int pw = w >> lv;
            int ph = h >> lv;
            int pn = pw * ph;
            float[] src = pyramid[lv];
            double scaleHere = sigma / (1 << lv);
            double sigmaHere = Math.sqrt(sigma * sigma - prefilterVariance(lv)) / (1 << lv);
            float[] g = SeparableFilters.gaussian(sigmaHere);
            float[] g1 = SeparableFilters.gaussianD1(sigmaHere, scaleHere);
            float[] g2 = SeparableFilters.gaussianD2(sigmaHere, scaleHere * scaleHere);
            SeparableFilters.rows3(src, pw, ph, g, g1, g2, hg, hg1, hg2, line);
            if (grey) {
                float[] dx = resp[0];
                float[] dy = resp[1];
                float[] dxx = resp[2];
                float[] dyy = resp[3];
                float[] dxy = resp[4];
                float[] log = resp[5];
                SeparableFilters.colsPair(hg1, pw, ph, g, dx, g1, dxy);
                SeparableFilters.colsPair(hg, pw, ph, g2, dyy, g1, dy);
                SeparableFilters.colsPair(hg2, pw, ph, g, dxx, null, null);
                for (int i = 0; i < pn; i++) {
                    float lap = dxx[i] + dyy[i];
                    log[i] = lap * lap;
                    dx[i] *= dx[i];
                    dy[i] *= dy[i];
                    dxx[i] *= dxx[i];
                    dyy[i] *= dyy[i];
                    dxy[i] *= dxy[i];
                }
            } else {
                float[] grad = resp[0];
                float[] log = resp[1];
                // a = d/dx, b = d/dy, then a = d2/dx2, b = d2/dy2
                SeparableFilters.colsPair(hg1, pw, ph, g, a, null, null);
                SeparableFilters.colsPair(hg, pw, ph, g2, log, g1, b);
                for (int i = 0; i < pn; i++) {
                    grad[i] = a[i] * a[i] + b[i] * b[i];
                }
                SeparableFilters.colsPair(hg2, pw, ph, g, a, null, null);
                for (int i = 0; i < pn; i++) {
                    float lap = a[i] + log[i];
                    log[i] = lap * lap;
                }
            }
            for (int li = 0; li < layers.size(); li++) {
                Layer l = layers.get(li);
                int si = l.sigmaIndex(sigma);
                if (si < 0) {
                    continue;
                }
                int ow = w / l.stride;
                int oh = h / l.stride;
                int cells = ow * oh;
                int step = l.stride >> lv;
                double window = l.window / (1 << lv);
                int first = l.blockStart(input) + 2 + si * nResp;
                for (int r = 0; r < nResp; r++) {
                    int at = (first + r) * cells;
                    SeparableFilters.poolCells(resp[r], pw, ph, step, window, ow, oh, poolTmp, outs[li], at);
                    float gain = grey ? (r < 2 ? GAIN_D1 : GAIN_D2) : (r == 0 ? GAIN_D1 : GAIN_D2);
                    float[] out = outs[li];
                    for (int i = at; i < at + cells; i++) {
                        out[i] = gain * (float) Math.sqrt(Math.max(0f, out[i]));
                    }
                }
            }
        }
    }

    /**
     * Pyramid level on which a scale is computed: 1, 2 on the image; 4 on half; 8 on quarter
     * resolution (where the remaining Gaussian has sigma below 2 level pixels).
     */
    private static int level(double sigma) {
        int lv = 0;
        while (sigma / (1 << (lv + 1)) >= 2.0) {
            lv++;
        }
        return lv;
    }

    /** Blur (variance, image pixels^2) already in pyramid level lv: sum of (2^k)^2 for k < lv. */
    private static double prefilterVariance(int lv) {
        double v = 0;
        for (int k = 0; k < lv; k++) {
            v += (1 << k) * (1 << k);
        }
        return v;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
