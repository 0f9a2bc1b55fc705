package org.anomalyj.api;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.anomalyj.AnomalyJException;
import org.anomalyj.backbone.BackboneDescriptor;
import org.anomalyj.backbone.FeatureExtractor;
import org.anomalyj.backbone.Hashes;
import org.anomalyj.io.BundleReader;
import org.anomalyj.io.BundleWriter;
import org.anomalyj.model.AnomalyModel;
import org.anomalyj.model.Models;
import org.anomalyj.tiling.TileStandardization;
import org.anomalyj.tiling.Tiling;
import org.anomalyj.tiling.TilingMode;

/**
 * A trained model and everything needed to use it anywhere: the fitted method, the backbone
 * (embedded ONNX bytes, or the built-in extractor), input geometry, calibration and provenance.
 * Stored as one zip (or an unpacked folder) holding {@code model.json}, {@code *.npy} arrays and
 * {@code backbone.onnx}; see DESIGN.md "Model bundle".
 */
public final class ModelBundle {
    public static final String FORMAT = "anomalyj-model";
    /**
     * The newest format this reads. 2: tiling and non-square/native input geometry; version 1
     * bundles (single model) still load. 3: a model needs it ({@link AnomalyModel#formatVersion()},
     * PaDiM's low-rank covariances): only such bundles are written as 3, so that an AnomalyJ that
     * cannot read them says so, while every other bundle stays readable by version-2 readers.
     */
    public static final int FORMAT_VERSION = 3;
    /** The version bundles are written with unless a model needs a newer one. */
    static final int BASE_FORMAT_VERSION = 2;
    static final String MANIFEST = "model.json";
    static final String BACKBONE_ENTRY = "backbone.onnx";
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private final List<AnomalyModel> models;
    private final Tiling tiling;
    private final TileStandardization standardization;
    private final int width;
    private final int height;
    private final BackboneDescriptor backbone;
    private final byte[] backboneOnnx;
    private final List<String> layers;
    private final double blurSigma;
    private final Calibration calibration;
    private final JsonObject training;

    /** A single (untiled) model on {@code inputSize x inputSize} inputs. */
    public ModelBundle(AnomalyModel model, BackboneDescriptor backbone, byte[] backboneOnnx, List<String> layers,
            int inputSize, double blurSigma, Calibration calibration, JsonObject training) {
        this(Collections.singletonList(model), Tiling.SINGLE, inputSize, inputSize, backbone, backboneOnnx, layers,
                blurSigma, calibration, training);
    }

    /**
     * @param models one model, or one per tile location for a tiled ensemble (row-major)
     * @param width  the geometry images are resized to; 0 (with height 0) for a tiled model that
     *               works on images at their own size
     */
    public ModelBundle(List<AnomalyModel> models, Tiling tiling, int width, int height, BackboneDescriptor backbone,
            byte[] backboneOnnx, List<String> layers, double blurSigma, Calibration calibration, JsonObject training) {
        this(models, tiling, null, width, height, backbone, backboneOnnx, layers, blurSigma, calibration, training);
    }

    /** @param standardization per tile location map/score statistics applied before merging, or null */
    public ModelBundle(List<AnomalyModel> models, Tiling tiling, TileStandardization standardization, int width, int height,
            BackboneDescriptor backbone, byte[] backboneOnnx, List<String> layers, double blurSigma,
            Calibration calibration, JsonObject training) {
        this.standardization = standardization;
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model");
        }
        this.models = Collections.unmodifiableList(new ArrayList<>(models));
        this.tiling = tiling;
        this.width = width;
        this.height = height;
        this.backbone = backbone;
        this.backboneOnnx = backboneOnnx;
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
        this.blurSigma = blurSigma;
        this.calibration = calibration;
        this.training = training == null ? new JsonObject() : training;
    }

    /** The model (the first tile location's for a tiled ensemble). */
    public AnomalyModel model() {
        return models.get(0);
    }

    /** Every model: one, or one per tile location (row-major) for a tiled ensemble. */
    public List<AnomalyModel> models() {
        return models;
    }

    public Tiling tiling() {
        return tiling;
    }

    public String method() {
        return model().method();
    }

    public BackboneDescriptor backbone() {
        return backbone;
    }

    public List<String> layers() {
        return layers;
    }

    /** Input width images are resized to; 0 when images are tiled at their own size. */
    public int inputSize() {
        return width;
    }

    public int inputWidth() {
        return width;
    }

    public int inputHeight() {
        return height;
    }

    /** Whether images are tiled at their own resolution (no resize, any size). */
    public boolean nativeSize() {
        return width == 0;
    }

    /** "256 x 256", or "native" for models that tile images at their own size. */
    public String geometryText() {
        return nativeSize() ? "native (any size)" : width + " x " + height;
    }

    public double blurSigma() {
        return blurSigma;
    }

    public Calibration calibration() {
        return calibration;
    }

    public JsonObject training() {
        return training;
    }

    /** The same model with another calibration (e.g. re-calibrated on a validation set). */
    public ModelBundle withCalibration(Calibration c) {
        return new ModelBundle(models, tiling, standardization, width, height, backbone, backboneOnnx, layers, blurSigma, c,
                training);
    }

    /** A copy of the embedded backbone's ONNX bytes; null for the built-in extractor. */
    public byte[] backboneOnnx() {
        return backboneOnnx == null ? null : backboneOnnx.clone();
    }

    /**
     * The same fitted model with another backbone (e.g. a quantized copy of this one) and training
     * record; the descriptor must carry the new bytes' sha256.
     */
    public ModelBundle withBackbone(BackboneDescriptor descriptor, byte[] onnx, JsonObject newTraining) {
        return new ModelBundle(models, tiling, standardization, width, height, descriptor, onnx, layers, blurSigma,
                calibration, newTraining);
    }

    /** Opens this bundle's backbone; the caller closes it. */
    public FeatureExtractor openExtractor(int threads) {
        // a detector's backbone runs alone: its threads spin within runs (Sessions.options)
        return BackboneSource.open(backbone, backboneOnnx, layers, threads, "the model's embedded backbone", true);
    }

    /** The scorer for this model: a single-model pipeline, or the tiled one. */
    public ImageScorer pipeline(FeatureExtractor extractor) {
        if (tiling.tiled()) {
            return new TiledPipeline(extractor, models, tiling, width, height, blurSigma, standardization);
        }
        return new InferencePipeline(extractor, model(), width, blurSigma);
    }

    /** Prefix of tile location {@code i}'s arrays in a tiled ensemble's bundle. */
    static String tilePrefix(int i) {
        return String.format(java.util.Locale.ROOT, "tile%03d_", i);
    }

    /** model.json as written into the bundle. */
    public JsonObject manifest() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        int version = BASE_FORMAT_VERSION;
        for (AnomalyModel m : models) {
            version = Math.max(version, m.formatVersion());
        }
        o.addProperty("format_version", version);
        o.addProperty("method", model().method());
        o.add("model", model().parameters());
        JsonObject bb = backbone.toJson();
        JsonArray l = new JsonArray();
        layers.forEach(l::add);
        bb.add("layers", l);
        bb.addProperty("embedded", backboneOnnx == null ? "builtin" : BACKBONE_ENTRY);
        o.add("backbone", bb);
        JsonObject input = new JsonObject();
        input.addProperty("width", width);
        input.addProperty("height", height);
        input.addProperty("native", nativeSize());
        input.addProperty("channels", 3);
        input.addProperty("resize", nativeSize() ? "none: tiles are cut from the image at its own size"
                : "bilinear (area-averaged when shrinking), aspect ratio not kept");
        input.addProperty("grey", "replicated to 3 channels");
        o.add("input", input);
        JsonObject post = new JsonObject();
        post.addProperty("upsample", "bilinear");
        post.addProperty("blur_sigma", blurSigma);
        o.add("postprocess", post);
        JsonObject t = tiling.toJson();
        if (tiling.tiled()) {
            t.addProperty("models", models.size());
        }
        if (standardization != null) {
            t.add("standardization", standardization.toJson());
        }
        o.add("tiling", t);
        o.add("calibration", calibration.toJson());
        o.add("training", training);
        return o;
    }

    /**
     * Checks, before any long work, that {@code file} can take a bundle: a .zip name in an
     * existing folder.
     */
    public static void checkTarget(Path file) {
        if (file == null || file.getFileName() == null) {
            throw new AnomalyJException("No output file given; choose where to save the model (a .zip file).");
        }
        if (!file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
            throw new AnomalyJException("The model file " + file + " must end in .zip.");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !java.nio.file.Files.isDirectory(parent)) {
            throw new AnomalyJException("The folder " + parent + " for the model does not exist; create it or choose another output file.");
        }
    }

    /** Writes the bundle atomically: a crash never leaves a half-written file at {@code file}. */
    public void save(Path file) {
        BundleWriter w = new BundleWriter();
        w.putText(MANIFEST, PRETTY.toJson(manifest()));
        if (models.size() == 1) {
            model().writeArrays(w.arrays());
        } else {
            for (int i = 0; i < models.size(); i++) {
                models.get(i).writeArrays(new PrefixedArrayStore(w.arrays(), tilePrefix(i)));
            }
        }
        if (backboneOnnx != null) {
            w.putBytes(BACKBONE_ENTRY, backboneOnnx);
        }
        w.commit(file);
    }

    public static ModelBundle load(Path file) {
        try (BundleReader r = BundleReader.open(file)) {
            return read(r, file);
        }
    }

    private static ModelBundle read(BundleReader r, Path file) {
        String where = "Model bundle " + file;
        JsonObject m;
        try {
            JsonElement e = JsonParser.parseString(r.text(MANIFEST));
            if (!e.isJsonObject()) {
                throw new JsonParseException("not an object");
            }
            m = e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new AnomalyJException(where + " has a damaged model.json (" + e.getMessage()
                    + "); retrain the model or restore the file.", e);
        }
        try {
            if (!m.has("format") || !FORMAT.equals(m.get("format").getAsString())) {
                throw new AnomalyJException(where + " is not an AnomalyJ model (model.json has no \"format\": \""
                        + FORMAT + "\"); pass a .zip written by 'anomalyj train'.");
            }
            int version = m.get("format_version").getAsInt();
            if (version > FORMAT_VERSION) {
                throw new AnomalyJException(where + " has format version " + version
                        + ", newer than this AnomalyJ reads (" + FORMAT_VERSION + "); update AnomalyJ.");
            }
            if (version < 1) {
                throw new AnomalyJException(where + " has an unknown format version " + version + "; retrain the model.");
            }
            JsonObject bb = m.getAsJsonObject("backbone");
            BackboneDescriptor descriptor = BackboneDescriptor.fromJson(bb, where + " (backbone)", "backbone");
            List<String> layers = new ArrayList<>();
            for (JsonElement e : bb.getAsJsonArray("layers")) {
                layers.add(e.getAsString());
            }
            descriptor.layersOrDefault(layers);
            byte[] onnx = null;
            String embedded = bb.get("embedded").getAsString();
            if (!"builtin".equals(embedded)) {
                onnx = r.bytes(embedded);
                String sha = Hashes.sha256(onnx);
                if (descriptor.sha256() != null && !descriptor.sha256().equals(sha)) {
                    throw new AnomalyJException(where + ": the embedded backbone's sha256 (" + sha
                            + ") differs from the one recorded in model.json (" + descriptor.sha256()
                            + "); the bundle is damaged or was edited: retrain the model.");
                }
            }
            String method = m.get("method").getAsString();
            Tiling tiling = Tiling.fromJson(m.has("tiling") ? m.getAsJsonObject("tiling") : null);
            JsonObject input = m.getAsJsonObject("input");
            int width = input.get("width").getAsInt();
            int height = input.get("height").getAsInt();
            boolean nativeSize = input.has("native") && input.get("native").getAsBoolean();
            boolean validSize = nativeSize ? width == 0 && height == 0 && tiling.mode() == TilingMode.ST
                    : width > 0 && height > 0 && (tiling.tiled() || width == height);
            if (!validSize) {
                throw new AnomalyJException(where + ": model.json has an invalid input size; retrain the model.");
            }
            List<AnomalyModel> models = readModels(r, m, method, tiling, width, height, where);
            double sigma = m.getAsJsonObject("postprocess").get("blur_sigma").getAsDouble();
            Calibration cal = Calibration.fromJson(m.getAsJsonObject("calibration"));
            JsonObject training = m.has("training") ? m.getAsJsonObject("training") : new JsonObject();
            JsonObject tj = m.has("tiling") ? m.getAsJsonObject("tiling") : null;
            TileStandardization std = tj != null && tj.has("standardization")
                    ? TileStandardization.fromJson(tj.getAsJsonObject("standardization")) : null;
            if (std != null && tiling.mode() == TilingMode.ENS && std.locations() != models.size()) {
                throw new AnomalyJException(where + ": model.json has tile statistics for " + std.locations()
                        + " locations but " + models.size() + " tile models; retrain the model.");
            }
            return new ModelBundle(models, tiling, std, width, height, descriptor, onnx, layers, sigma, cal, training);
        } catch (AnomalyJException e) {
            if (e.getMessage().contains(file.toString())) {
                throw e;
            }
            throw new AnomalyJException(where + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new AnomalyJException(where + " has an incomplete or invalid model.json (" + e
                    + "); retrain the model.", e);
        }
    }

    /** One model, or one per tile location whose count must match the grid and the arrays present. */
    private static List<AnomalyModel> readModels(BundleReader r, JsonObject m, String method, Tiling tiling,
            int width, int height, String where) {
        JsonObject parameters = m.getAsJsonObject("model");
        if (tiling.mode() != TilingMode.ENS) {
            return Collections.singletonList(Models.read(method, parameters, r.arrays()));
        }
        int expected = tiling.grid(width, height).count();
        int declared = m.getAsJsonObject("tiling").get("models").getAsInt();
        int stored = 0;
        for (String name : r.names()) {
            if (name.startsWith("tile") && name.length() > 7 && name.charAt(7) == '_') {
                try {
                    stored = Math.max(stored, Integer.parseInt(name.substring(4, 7)) + 1);
                } catch (NumberFormatException e) {
                    // another entry that happens to start with "tile"
                }
            }
        }
        if (declared != expected || stored != expected) {
            throw new AnomalyJException(where + ": its " + tiling.grid(width, height) + " needs " + expected
                    + " tile models, but model.json lists " + declared + " and the bundle holds arrays for " + stored
                    + "; the bundle is damaged or was edited: retrain the model.");
        }
        List<AnomalyModel> models = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            models.add(Models.read(method, parameters, new PrefixedArrayStore(r.arrays(), tilePrefix(i))));
        }
        return models;
    }

    public static String toPrettyJson(JsonElement e) {
        return PRETTY.toJson(e);
    }
}
