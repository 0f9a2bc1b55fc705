package org.anomalyj.model.stfpm;

import org.anomalyj.backbone.FeatureMap;

/**
 * STFPM's anomaly map: per layer and position, {@code 0.5 * || t/|t| - s/|s| ||^2} between the
 * teacher's and the student's channel vectors (anomalib's and OTX's layer map), deeper layers
 * upsampled bilinearly to the finest layer's grid, then summed over layers (the rule;
 * anomalib multiplies the layer maps instead, {@link #PRODUCT}).
 */
public final class StfpmAnomalyMap {
    public static final String SUM = "sum";
    public static final String PRODUCT = "product";
    /** Norm floor of F.normalize. */
    static final float EPS = 1e-12f;

    private StfpmAnomalyMap() {
    }

    /**
     * One layer's map ({@code h * w}, row-major). Uses {@code |a - b|^2 = |a|^2 + |b|^2 - 2 a.b} on
     * the normalised vectors, accumulated plane by plane so the loops run over contiguous arrays.
     */
    public static float[] layerMap(FeatureMap teacher, FeatureMap student) {
        if (teacher.channels() != student.channels() || teacher.height() != student.height()
                || teacher.width() != student.width()) {
            throw new IllegalArgumentException("teacher " + teacher.name() + " and student " + student.name()
                    + " differ in shape");
        }
        int plane = teacher.height() * teacher.width();
        float[] t = teacher.data();
        float[] s = student.data();
        float[] tt = new float[plane];
        float[] ss = new float[plane];
        float[] ts = new float[plane];
        for (int c = 0; c < teacher.channels(); c++) {
            int o = c * plane;
            for (int i = 0; i < plane; i++) {
                float a = t[o + i];
                float b = s[o + i];
                tt[i] += a * a;
                ss[i] += b * b;
                ts[i] += a * b;
            }
        }
        float[] out = new float[plane];
        for (int i = 0; i < plane; i++) {
            float nt = Math.max((float) Math.sqrt(tt[i]), EPS);
            float ns = Math.max((float) Math.sqrt(ss[i]), EPS);
            float d = tt[i] / (nt * nt) + ss[i] / (ns * ns) - 2 * ts[i] / (nt * ns);
            out[i] = 0.5f * Math.max(d, 0f);
        }
        return out;
    }

    /** Bilinear resize of one plane, half-pixel centres (PyTorch's align_corners=False). */
    public static float[] resize(float[] in, int h, int w, int outH, int outW) {
        if (h == outH && w == outW) {
            return in.clone();
        }
        float[] out = new float[outH * outW];
        float sy = (float) h / outH;
        float sx = (float) w / outW;
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] fx = new float[outW];
        for (int x = 0; x < outW; x++) {
            float src = Math.max((x + 0.5f) * sx - 0.5f, 0f);
            x0[x] = Math.min((int) src, w - 1);
            x1[x] = Math.min(x0[x] + 1, w - 1);
            fx[x] = src - x0[x];
        }
        for (int y = 0; y < outH; y++) {
            float src = Math.max((y + 0.5f) * sy - 0.5f, 0f);
            int y0 = Math.min((int) src, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            float fy = src - y0;
            int r0 = y0 * w;
            int r1 = y1 * w;
            int o = y * outW;
            for (int x = 0; x < outW; x++) {
                float top = in[r0 + x0[x]] + (in[r0 + x1[x]] - in[r0 + x0[x]]) * fx[x];
                float bottom = in[r1 + x0[x]] + (in[r1 + x1[x]] - in[r1 + x0[x]]) * fx[x];
                out[o + x] = top + (bottom - top) * fy;
            }
        }
        return out;
    }

    /** Combines layer maps given as (teacher, student) pairs onto the first pair's grid. */
    public static float[] combine(java.util.List<FeatureMap> pairs, String rule) {
        int h = pairs.get(0).height();
        int w = pairs.get(0).width();
        float[] out = null;
        for (int l = 0; l + 1 < pairs.size(); l += 2) {
            FeatureMap t = pairs.get(l);
            float[] layer = resize(layerMap(t, pairs.get(l + 1)), t.height(), t.width(), h, w);
            if (out == null) {
                out = layer;
            } else if (PRODUCT.equals(rule)) {
                for (int i = 0; i < out.length; i++) {
                    out[i] *= layer[i];
                }
            } else {
                for (int i = 0; i < out.length; i++) {
                    out[i] += layer[i];
                }
            }
        }
        return out;
    }
}
