package org.anomalyj.backbone;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.anomalyj.AnomalyJException;

/**
 * Turns a user's backbone choice into a checked {@link ResolvedBackbone}.
 *
 * <p>A spec is {@code builtin}; a path to a {@code .onnx} file (described by a JSON sidecar
 * {@code name.json} or {@code name.onnx.json} next to it); or a short name such as
 * {@code resnet50v2_imagenet_stage1to3}, or any prefix that matches exactly one file, looked up in
 * the search path: the folders in the environment variable {@value #ENV_VAR} (separated by the
 * platform's path separator), then the system property {@value #PROPERTY}, then
 * {@code ~/.anomalyj/backbones}, then {@code ./backbones}.
 */
public final class Backbones {

    public static final String ENV_VAR = "ANOMALYJ_BACKBONES";
    public static final String PROPERTY = "anomalyj.backbones";
    private static final String HOW_TO = "put the .onnx with its .json sidecar in one of these folders, or pass the"
            + " file path, or use --backbone builtin";

    private Backbones() {
    }

    /** Resolves and opens in one step; see {@link ResolvedBackbone#open(List, int)}. */
    public static FeatureExtractor open(String spec, List<String> layers, int threads) {
        return resolve(spec).open(layers, threads);
    }

    /** Resolves a spec against {@link #searchPath()}. */
    public static ResolvedBackbone resolve(String spec) {
        return resolve(spec, searchPath());
    }

    /** Folders searched for short names, in order (they need not exist). */
    public static List<Path> searchPath() {
        List<Path> dirs = new ArrayList<>();
        addAll(dirs, System.getenv(ENV_VAR));
        addAll(dirs, System.getProperty(PROPERTY));
        String home = System.getProperty("user.home");
        if (home != null && !home.isEmpty()) {
            dirs.add(Paths.get(home, ".anomalyj", "backbones"));
        }
        dirs.add(Paths.get("backbones").toAbsolutePath());
        return dirs;
    }

    private static void addAll(List<Path> dirs, String list) {
        if (list == null) {
            return;
        }
        for (String s : list.split(File.pathSeparator)) {
            if (!s.trim().isEmpty()) {
                dirs.add(Paths.get(s.trim()));
            }
        }
    }

    /** Short names (file base names) of all ONNX backbones in the search path, first folder first. */
    public static List<String> available() {
        return new ArrayList<>(onnxFiles(searchPath()).keySet());
    }

    static ResolvedBackbone resolve(String spec, List<Path> searchPath) {
        if (spec == null || spec.trim().isEmpty()) {
            throw new AnomalyJException("No backbone was given; name one (e.g. builtin, a .onnx file, or a short name"
                    + " found in " + searchPath + ").");
        }
        String s = spec.trim();
        if (s.equalsIgnoreCase(FilterBankBackbone.NAME)) {
            return ResolvedBackbone.builtin();
        }
        Path asPath = Paths.get(s);
        boolean looksLikePath = s.toLowerCase(Locale.ROOT).endsWith(".onnx") || s.contains("/")
                || s.contains(File.separator) || Files.isRegularFile(asPath);
        if (looksLikePath) {
            if (!Files.isRegularFile(asPath)) {
                throw new AnomalyJException("Backbone file " + asPath.toAbsolutePath() + " does not exist; check the"
                        + " path, or give a short name from " + searchPath + ", or use --backbone builtin.");
            }
            return resolveFile(asPath);
        }
        return resolveFile(findByName(s, searchPath));
    }

    private static Path findByName(String name, List<Path> searchPath) {
        Map<String, Path> all = onnxFiles(searchPath);
        Path exact = all.get(name);
        if (exact != null) {
            return exact;
        }
        List<String> matches = new ArrayList<>();
        for (String n : all.keySet()) {
            if (n.startsWith(name)) {
                matches.add(n);
            }
        }
        if (matches.size() == 1) {
            return all.get(matches.get(0));
        }
        if (matches.size() > 1) {
            throw new AnomalyJException("Backbone name '" + name + "' matches several files " + matches
                    + "; give more of the name.");
        }
        StringBuilder where = new StringBuilder();
        for (Path d : searchPath) {
            if (where.length() > 0) {
                where.append(", ");
            }
            where.append(d.toAbsolutePath());
            if (!Files.isDirectory(d)) {
                where.append(" (missing)");
            }
        }
        String known = all.isEmpty() ? "no .onnx files there" : "found: " + String.join(", ", all.keySet());
        throw new AnomalyJException("No backbone named '" + name + "' was found (looked in " + where + "; " + known
                + "); " + HOW_TO + ".");
    }

    /** base name -> file, over the search path; earlier folders win on equal names. */
    private static Map<String, Path> onnxFiles(List<Path> searchPath) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (Path dir : searchPath) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx") && Files.isRegularFile(p)) {
                        files.add(p);
                    }
                }
            } catch (IOException e) {
                continue; // an unreadable folder is treated like a missing one
            }
            files.sort(null);
            for (Path p : files) {
                out.putIfAbsent(baseName(p), p);
            }
        }
        return out;
    }

    static String baseName(Path onnx) {
        String f = onnx.getFileName().toString();
        return f.toLowerCase(Locale.ROOT).endsWith(".onnx") ? f.substring(0, f.length() - 5) : f;
    }

    /** The sidecar of an ONNX file ({@code name.json}, else {@code name.onnx.json}), or null. */
    public static Path sidecarOf(Path onnx) {
        Path dir = onnx.toAbsolutePath().getParent();
        Path a = dir.resolve(baseName(onnx) + ".json");
        if (Files.isRegularFile(a)) {
            return a;
        }
        Path b = dir.resolve(onnx.getFileName().toString() + ".json");
        return Files.isRegularFile(b) ? b : null;
    }

    /** Reads an ONNX file's sidecar, checks its sha256 against the file and fills it in. */
    static ResolvedBackbone resolveFile(Path onnx) {
        Path sidecar = sidecarOf(onnx);
        if (sidecar == null) {
            throw new AnomalyJException(missingSidecarMessage(onnx));
        }
        BackboneDescriptor d = readDescriptor(sidecar, baseName(onnx));
        String sha = Hashes.sha256(onnx);
        if (d.sha256() != null && !d.sha256().equalsIgnoreCase(sha)) {
            throw new AnomalyJException("Backbone file " + onnx + " has sha256 " + sha + " but its sidecar " + sidecar
                    + " says " + d.sha256() + "; the file is damaged or the sidecar belongs to another file:"
                    + " download the file again, or remove \"sha256\" from the sidecar if you changed the model.");
        }
        return ResolvedBackbone.ofFile(onnx, d.withSha256(sha));
    }

    /** Parses a descriptor file; {@code fallbackName} is used when it has no "name". */
    public static BackboneDescriptor readDescriptor(Path json, String fallbackName) {
        String text;
        try {
            text = new String(Files.readAllBytes(json), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AnomalyJException("Backbone descriptor " + json + " cannot be read (" + e.getMessage()
                    + "); check its permissions.", e);
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new AnomalyJException("Backbone descriptor " + json + " is not valid JSON (" + e.getMessage()
                    + "); fix it (see the sidecar format in README.md).", e);
        }
        if (!root.isJsonObject()) {
            throw new AnomalyJException("Backbone descriptor " + json + " is not a JSON object; see the sidecar"
                    + " format in README.md.");
        }
        return BackboneDescriptor.fromJson(root.getAsJsonObject(), json.toString(), fallbackName);
    }

    /**
     * Says which sidecar is missing and shows the minimal JSON, filled with the model's real input
     * and output names, strides and channel counts when the file can be run.
     */
    static String missingSidecarMessage(Path onnx) {
        OnnxBackbone.ProbeResult probe = OnnxBackbone.probe(onnx);
        String input = probe != null ? probe.input : "<input name>";
        StringBuilder outs = new StringBuilder();
        if (probe == null || probe.outputs.isEmpty()) {
            outs.append("{\"name\": \"<output name>\", \"stride\": <8>, \"channels\": <C>}");
        } else {
            for (BackboneDescriptor.Output o : probe.outputs) {
                outs.append(outs.length() == 0 ? "" : ", ").append("{\"name\": \"").append(o.name)
                        .append("\", \"stride\": ").append(o.stride > 0 ? String.valueOf(o.stride) : "null")
                        .append(", \"channels\": ").append(o.channels).append('}');
            }
        }
        Path dir = onnx.toAbsolutePath().getParent();
        return "Backbone file " + onnx + " has no descriptor: create " + dir.resolve(baseName(onnx) + ".json")
                + " containing at least {\"input\": \"" + input + "\", \"preprocess\": {\"color\": \"RGB\", \"scale\": "
                + "0.00392156862745098, \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225]}, "
                + "\"outputs\": [" + outs + "]} (outputs as measured on a 256x256 input; use the preprocessing the"
                + " network was trained with).";
    }
}
