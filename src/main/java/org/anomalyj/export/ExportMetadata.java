package org.anomalyj.export;

import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.anomalyj.api.Calibration;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.Version;
import org.anomalyj.backbone.BackboneDescriptor;
import org.anomalyj.post.GaussianBlur;

/**
 * The {@code metadata_props} of a compiled model: what a caller in any language needs to feed
 * the graph and read its outputs (input name, shape, layout, preprocessing and who does it),
 * the calibrated thresholds and normalisation statistics, and provenance. Keys are stable
 * ({@code anomalyj.*}, {@code input.*}, {@code output.*}, {@code calibration.*},
 * {@code postprocess.*}); numbers are written with {@code Double.toString} (round-trip exact).
 */
public final class ExportMetadata {
    /** Value of the {@code anomalyj.format} key. */
    public static final String FORMAT = "anomalyj-compiled-model";

    private ExportMetadata() {
    }

    /** The metadata of {@code bundle} compiled at {@code size} pixels. */
    public static Map<String, String> of(ModelBundle bundle, int size) {
        Map<String, String> m = new LinkedHashMap<>();
        BackboneDescriptor d = bundle.backbone();
        m.put("anomalyj.format", FORMAT);
        m.put("anomalyj.format_version", "1");
        m.put("anomalyj.version", Version.get());
        m.put("anomalyj.method", bundle.method());
        m.put("anomalyj.backbone", d.name());
        if (d.sha256() != null) {
            m.put("anomalyj.backbone_sha256", d.sha256());
        }
        m.put("anomalyj.layers", String.join(",", bundle.layers()));
        JsonObject q = bundle.training().has("quantization") ? bundle.training().getAsJsonObject("quantization") : null;
        m.put("anomalyj.backbone_precision", q != null && q.has("precision") ? q.get("precision").getAsString() : "fp32");
        m.put("anomalyj.trained_size", Integer.toString(bundle.inputWidth()));

        m.put("input.name", d.input());
        m.put("input.shape", "1,3," + size + "," + size);
        m.put("input.layout", "NCHW float32, batch 1");
        m.put("input.color", d.color());
        m.put("input.scale", Double.toString(d.scale()));
        m.put("input.offset_before_scale", Double.toString(d.offsetBeforeScale()));
        m.put("input.mean", join(d.mean()));
        m.put("input.std", join(d.std()));
        m.put("input.normalization", "done by the caller, not in the graph: x[c] = ((p[c] + offset_before_scale) * scale"
                + " - mean[c]) / std[c] for pixel values p in 0..255 (16-bit images scaled by 1/257), channels in the"
                + " order of input.color (" + d.color() + "); grey images replicated to 3 channels");
        m.put("input.resize", "the image resized to " + size + " x " + size + " (bilinear with half-pixel centres,"
                + " area-averaged along an axis shrunk by more than 2x; aspect ratio not kept) before normalisation");
        m.put("input.image_size", Integer.toString(size));

        m.put("output.anomaly_map", "[1,1," + size + "," + size + "] float32 raw anomaly scores at the input size"
                + " (upsampled, blurred); resize bilinearly to the original image size for display");
        m.put("output.image_score", "[1] float32 raw image score; anomalous when >= calibration.image_threshold");
        m.put("postprocess.upsampling", "bilinear, half-pixel centres");
        m.put("postprocess.blur_sigma", Double.toString(bundle.blurSigma()));
        m.put("postprocess.blur_radius", Integer.toString(GaussianBlur.radius(bundle.blurSigma())));
        m.put("postprocess.blur_border", "reflect (edge pixel not repeated)");
        m.put("postprocess.image_score", "patchcore".equals(bundle.method())
                ? "max patch distance re-weighted by its nearest memory entries (anomalib)" : "max of the blurred anomaly map");

        Calibration c = bundle.calibration();
        m.put("calibration.rule", c.rule());
        m.put("calibration.images", Integer.toString(c.images()));
        m.put("calibration.image_threshold", Double.toString(c.imageThreshold()));
        m.put("calibration.pixel_threshold", Double.toString(c.pixelThreshold()));
        m.put("calibration.image_min", Double.toString(c.image().min()));
        m.put("calibration.image_max", Double.toString(c.image().max()));
        m.put("calibration.pixel_min", Double.toString(c.pixel().min()));
        m.put("calibration.pixel_max", Double.toString(c.pixel().max()));
        m.put("calibration.normalization", "normalized = clamp((v - threshold) / (max - min) + 0.5, 0, 1) with the image"
                + " (for image_score) or pixel (for anomaly_map) threshold/min/max: the threshold maps to 0.5");
        return m;
    }

    private static String join(double[] v) {
        String[] s = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = Double.toString(v[i]);
        }
        return String.join(",", Arrays.asList(s));
    }
}
