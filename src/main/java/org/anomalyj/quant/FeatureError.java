package org.anomalyj.quant;

import java.nio.file.Path;
import java.util.List;
import org.anomalyj.api.InferencePipeline;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.backbone.FeatureExtractor;
import org.anomalyj.backbone.FeatureMap;
import org.anomalyj.data.ImageReader;

/**
 * How far a quantized backbone's features moved from the float backbone's, on normal images: per
 * layer the model uses, {@code |q - f| / |f|} over all values of the images (Euclidean norms), and
 * the largest over the layers. The head (memory bank, Gaussians) was fitted on the float features;
 * this is the systematic shift every test patch pays when it is compared with them.
 */
public final class FeatureError {
    /** Images used: a few suffice for a relative error over millions of values. */
    static final int IMAGES = 8;

    private FeatureError() {
    }

    /**
     * @param images normal images (e.g. the calibration images), spread evenly; up to {@link #IMAGES} are used
     */
    public static double relative(ModelBundle floatBundle, ModelBundle quantized, List<Path> images, int threads) {
        int side = BundleQuantizer.backboneSide(floatBundle);
        int n = Math.min(IMAGES, images.size());
        if (n == 0) {
            return Double.NaN;
        }
        double[] diff = null;
        double[] norm = null;
        try (FeatureExtractor f = floatBundle.openExtractor(threads); FeatureExtractor q = quantized.openExtractor(threads)) {
            for (int i = 0; i < n; i++) {
                Path p = images.get((int) ((long) i * images.size() / n));
                List<FeatureMap> a = f.extract(InferencePipeline.toModelInput(ImageReader.open(p), side));
                List<FeatureMap> b = q.extract(InferencePipeline.toModelInput(ImageReader.open(p), side));
                if (diff == null) {
                    diff = new double[a.size()];
                    norm = new double[a.size()];
                }
                for (int l = 0; l < a.size(); l++) {
                    float[] x = a.get(l).data();
                    float[] y = b.get(l).data();
                    for (int k = 0; k < x.length; k++) {
                        double d = (double) y[k] - x[k];
                        diff[l] += d * d;
                        norm[l] += (double) x[k] * x[k];
                    }
                }
            }
        }
        double worst = 0;
        for (int l = 0; l < diff.length; l++) {
            worst = Math.max(worst, norm[l] > 0 ? Math.sqrt(diff[l] / norm[l]) : 0);
        }
        return worst;
    }
}
