package org.anomalyj.model;

import com.google.gson.JsonObject;
import org.anomalyj.AnomalyJException;
import org.anomalyj.io.ArrayStore;
import org.anomalyj.model.padim.PadimConfig;
import org.anomalyj.model.padim.PadimFitter;
import org.anomalyj.model.padim.PadimModel;
import org.anomalyj.model.patchcore.PatchCoreConfig;
import org.anomalyj.model.patchcore.PatchCoreFitter;
import org.anomalyj.model.patchcore.PatchCoreModel;
import org.anomalyj.model.stfpm.StfpmModel;

/** Creates fitters and reads fitted models by method name ("patchcore", "padim"; "stfpm" and "dcam" are only read: they are trained, not fitted). */
public final class Models {
    private Models() {
    }

    /**
     * A fitter for {@code method} with settings from {@code config} (keys of
     * {@link PatchCoreConfig#toJson()} / {@link PadimConfig#toJson()}; null or missing keys = defaults).
     */
    public static ModelFitter fitter(String method, JsonObject config) {
        switch (normalise(method)) {
            case PatchCoreModel.METHOD:
                return new PatchCoreFitter(PatchCoreConfig.fromJson(config));
            case PadimModel.METHOD:
                return new PadimFitter(PadimConfig.fromJson(config));
            case StfpmModel.METHOD:
            case StfpmModel.METHOD_DCAM:
                throw new AnomalyJException("STFPM and DCAM are trained networks, not fitted models: train them with"
                        + " 'train --method " + normalise(method) + "' (tiled training is not supported yet).");
            default:
                throw unknown(method);
        }
    }

    public static ModelFitter fitter(PatchCoreConfig config) {
        return new PatchCoreFitter(config);
    }

    public static ModelFitter fitter(PadimConfig config) {
        return new PadimFitter(config);
    }

    /** Rebuilds a model written with {@link AnomalyModel#parameters()} and {@link AnomalyModel#writeArrays}. */
    public static AnomalyModel read(String method, JsonObject parameters, ArrayStore store) {
        switch (normalise(method)) {
            case PatchCoreModel.METHOD:
                return PatchCoreModel.read(parameters, store);
            case PadimModel.METHOD:
                return PadimModel.read(parameters, store);
            case StfpmModel.METHOD:
            case StfpmModel.METHOD_DCAM:
                return StfpmModel.read(normalise(method), parameters, store);
            default:
                throw unknown(method);
        }
    }

    private static String normalise(String method) {
        return method == null ? "" : method.trim().toLowerCase();
    }

    private static AnomalyJException unknown(String method) {
        return new AnomalyJException("Unknown anomaly detection method '" + method
                + "'; use 'patchcore', 'padim', 'stfpm' or 'dcam'.");
    }
}
