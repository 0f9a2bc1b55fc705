package org.anomalyj.backbone;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.anomalyj.AnomalyJException;

/**
 * What a feature extractor needs to be used: input name, preprocessing and its outputs (name,
 * stride, channels). Same JSON shape as the sidecars shipped with the backbones
 * ({@code input}, {@code preprocess}, {@code outputs}, {@code sha256}), plus optional
 * {@code name} and {@code default_layers}.
 *
 * <p>Preprocessing of a pixel value p in 0..255 for channel c:
 * {@code x = ((p + offset_before_scale) * scale - mean[c]) / std[c]}.
 */
public final class BackboneDescriptor {

    /** One named output of the network. */
    public static final class Output {
        public final String name;
        /** Input pixels per output cell; 0 for a non-spatial output (e.g. logits). */
        public final int stride;
        public final int channels;

        public Output(String name, int stride, int channels) {
            this.name = name;
            this.stride = stride;
            this.channels = channels;
        }
    }

    private final String name;
    private final String input;
    private final String color;
    private final double scale;
    private final double offsetBeforeScale;
    private final double[] mean;
    private final double[] std;
    private final List<Output> outputs;
    private final List<String> defaultLayers;
    private final String sha256;

    public BackboneDescriptor(String name, String input, String color, double scale, double offsetBeforeScale,
            double[] mean, double[] std, List<Output> outputs, List<String> defaultLayers, String sha256) {
        this.name = name;
        this.input = input;
        this.color = color;
        this.scale = scale;
        this.offsetBeforeScale = offsetBeforeScale;
        this.mean = mean.clone();
        this.std = std.clone();
        this.outputs = Collections.unmodifiableList(new ArrayList<>(outputs));
        this.defaultLayers = Collections.unmodifiableList(new ArrayList<>(defaultLayers));
        this.sha256 = sha256;
    }

    public String name() {
        return name;
    }

    public String input() {
        return input;
    }

    /** "RGB" or "BGR": channel order the network expects. */
    public String color() {
        return color;
    }

    public double scale() {
        return scale;
    }

    public double offsetBeforeScale() {
        return offsetBeforeScale;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    public List<Output> outputs() {
        return outputs;
    }

    public List<String> defaultLayers() {
        return defaultLayers;
    }

    /** sha256 of the ONNX file, lower-case hex; null for the built-in extractor. */
    public String sha256() {
        return sha256;
    }

    public Output output(String layer) {
        for (Output o : outputs) {
            if (o.name.equals(layer)) {
                return o;
            }
        }
        List<String> names = new ArrayList<>();
        for (Output o : outputs) {
            names.add(o.name);
        }
        throw new AnomalyJException("Backbone '" + name + "' has no output named '" + layer
                + "'; choose layers from " + names + ".");
    }

    public BackboneDescriptor withSha256(String sha) {
        return new BackboneDescriptor(name, input, color, scale, offsetBeforeScale, mean, std, outputs,
                defaultLayers, sha);
    }

    public BackboneDescriptor withName(String newName) {
        return new BackboneDescriptor(newName, input, color, scale, offsetBeforeScale, mean, std, outputs,
                defaultLayers, sha256);
    }

    /**
     * Layers used when the user names none: the descriptor's {@code default_layers}, else the two
     * deepest outputs with stride at most 16 (mid-level features, as PatchCore/PaDiM use), shallowest
     * first.
     */
    public List<String> layersOrDefault(List<String> requested) {
        if (requested != null && !requested.isEmpty()) {
            for (String l : requested) {
                output(l);
            }
            return requested;
        }
        if (!defaultLayers.isEmpty()) {
            return defaultLayers;
        }
        List<Output> candidates = new ArrayList<>();
        for (Output o : outputs) {
            if (o.stride > 0 && o.stride <= 16) {
                candidates.add(o);
            }
        }
        if (candidates.isEmpty()) {
            for (Output o : outputs) {
                if (o.stride > 0) {
                    candidates.add(o);
                }
            }
        }
        candidates.sort((a, b) -> Integer.compare(a.stride, b.stride));
        List<String> out = new ArrayList<>();
        for (int i = Math.max(0, candidates.size() - 2); i < candidates.size(); i++) {
            out.add(candidates.get(i).name);
        }
        return out;
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("input", input);
        JsonObject pre = new JsonObject();
        pre.addProperty("layout", "NCHW");
        pre.addProperty("color", color);
        pre.addProperty("scale", scale);
        pre.addProperty("offset_before_scale", offsetBeforeScale);
        pre.add("mean", toArray(mean));
        pre.add("std", toArray(std));
        o.add("preprocess", pre);
        JsonArray outs = new JsonArray();
        for (Output out : outputs) {
            JsonObject j = new JsonObject();
            j.addProperty("name", out.name);
            j.addProperty("stride", out.stride);
            j.addProperty("channels", out.channels);
            outs.add(j);
        }
        o.add("outputs", outs);
        JsonArray dl = new JsonArray();
        defaultLayers.forEach(dl::add);
        o.add("default_layers", dl);
        if (sha256 != null) {
            o.addProperty("sha256", sha256);
        }
        return o;
    }

    private static JsonArray toArray(double[] v) {
        JsonArray a = new JsonArray();
        for (double d : v) {
            a.add(d);
        }
        return a;
    }

    /**
     * Parses a descriptor; {@code source} names the file in error messages.
     * @param fallbackName used when the JSON has no {@code name} (e.g. the ONNX file's base name)
     */
    public static BackboneDescriptor fromJson(JsonObject o, String source, String fallbackName) {
        try {
            String input = requireString(o, "input", source);
            JsonObject pre = o.has("preprocess") ? o.getAsJsonObject("preprocess") : new JsonObject();
            String color = pre.has("color") ? pre.get("color").getAsString().toUpperCase() : "RGB";
            if (!color.equals("RGB") && !color.equals("BGR")) {
                throw new AnomalyJException("Backbone descriptor " + source + ": preprocess.color must be RGB or BGR, not "
                        + color + ".");
            }
            double scale = pre.has("scale") ? pre.get("scale").getAsDouble() : 1.0 / 255.0;
            double offset = pre.has("offset_before_scale") ? pre.get("offset_before_scale").getAsDouble() : 0.0;
            double[] mean = pre.has("mean") ? readTriple(pre.get("mean"), "mean", source) : new double[] {0, 0, 0};
            double[] std = pre.has("std") ? readTriple(pre.get("std"), "std", source) : new double[] {1, 1, 1};
            for (double s : std) {
                if (s == 0) {
                    throw new AnomalyJException("Backbone descriptor " + source + ": preprocess.std must not contain 0.");
                }
            }
            if (!o.has("outputs") || !o.get("outputs").isJsonArray() || o.getAsJsonArray("outputs").size() == 0) {
                throw new AnomalyJException("Backbone descriptor " + source
                        + " lists no outputs; add \"outputs\": [{\"name\", \"stride\", \"channels\"}, ...].");
            }
            List<Output> outputs = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("outputs")) {
                JsonObject j = e.getAsJsonObject();
                // A non-spatial output (e.g. classifier logits) has "stride": null; it is kept
                // with stride 0 so the file still parses, and is never picked as a default layer.
                JsonElement stride = j.get("stride");
                int strideValue = stride == null || stride.isJsonNull() ? 0 : stride.getAsInt();
                outputs.add(new Output(requireString(j, "name", source), strideValue,
                        j.get("channels").getAsInt()));
            }
            List<String> defaults = new ArrayList<>();
            if (o.has("default_layers")) {
                for (JsonElement e : o.getAsJsonArray("default_layers")) {
                    defaults.add(e.getAsString());
                }
            }
            String name = o.has("name") ? o.get("name").getAsString() : fallbackName;
            String sha = o.has("sha256") ? o.get("sha256").getAsString().toLowerCase() : null;
            BackboneDescriptor d = new BackboneDescriptor(name, input, color, scale, offset, mean, std, outputs,
                    defaults, sha);
            for (String l : defaults) {
                d.output(l);
            }
            return d;
        } catch (AnomalyJException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AnomalyJException("Backbone descriptor " + source + " is malformed (" + e.getMessage()
                    + "); see the sidecar format in README.md.", e);
        }
    }

    private static String requireString(JsonObject o, String key, String source) {
        if (!o.has(key) || !o.get(key).isJsonPrimitive()) {
            throw new AnomalyJException("Backbone descriptor " + source + " has no \"" + key + "\" field.");
        }
        return o.get(key).getAsString();
    }

    private static double[] readTriple(JsonElement e, String key, String source) {
        JsonArray a = e.getAsJsonArray();
        if (a.size() != 3) {
            throw new AnomalyJException("Backbone descriptor " + source + ": preprocess." + key + " needs 3 values.");
        }
        return new double[] {a.get(0).getAsDouble(), a.get(1).getAsDouble(), a.get(2).getAsDouble()};
    }
}
