package org.anomalyj.fiji.updatesite;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a folder laid out like Fiji ({@code plugins/AnomalyJ_.jar}, {@code jars/...},
 * {@code models/...}) into an update site that Fiji's updater can read, without needing Fiji:
 * every file is copied to {@code SITE/<path>-<timestamp>} (the name under which the updater
 * downloads it) and {@code SITE/db.xml.gz} lists them with the updater's own checksums
 * ({@link UpdaterChecksum}), sizes, a description and dependencies (the plugin jars depend on the
 * site's {@code jars/}).
 *
 * <p>Publishing a new release into the same SITE folder keeps the history the updater needs:
 * an unchanged file (same checksum, same name) keeps its version and timestamp; a changed or renamed one gets the new timestamp and its
 * old version becomes a {@code previous-version} (so a user with the old copy is offered the
 * update instead of seeing "locally modified"); a file no longer shipped stays as a record with
 * only previous versions, which makes Fiji offer to remove it. Old files are never deleted.
 */
public final class UpdateSiteIndex {
    /** The index file name Fiji's updater downloads from a site's URL. */
    public static final String INDEX = "db.xml.gz";
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    /** A version number before .jar, as the updater strips it to match versions of one file. */
    private static final Pattern JAR_VERSION = Pattern.compile("(.+?)(-\\d+(\\.\\d+)+[a-z]?(-[A-Za-z0-9.]+|\\.GA)*)(\\.jar)");

    private UpdateSiteIndex() {
    }

    /**
     * Usage: {@code UpdateSiteIndex FILES_DIR SITE_DIR [TIMESTAMP]}; TIMESTAMP (yyyyMMddHHmmss)
     * defaults to now. Prints one line per file.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: UpdateSiteIndex FILES_DIR SITE_DIR [TIMESTAMP yyyyMMddHHmmss]");
            System.exit(2);
        }
        long ts = args.length == 3 ? Long.parseLong(args[2]) : now();
        List<SiteRecord> records = publish(Paths.get(args[0]), Paths.get(args[1]), ts);
        for (SiteRecord r : records) {
            System.out.println((r.obsolete() ? "  removed " : "  ") + r.filename
                    + (r.obsolete() ? "" : "-" + r.timestamp + "  " + r.checksum));
        }
        System.out.println(Paths.get(args[1]).resolve(INDEX) + ": " + records.size() + " records");
    }

    /** The current local time as the updater writes timestamps. */
    public static long now() {
        return Long.parseLong(LocalDateTime.now().format(TIMESTAMP));
    }

    /**
     * Publishes the files under {@code files} into the update-site folder {@code site} (created
     * if needed), merging with an existing {@code site/db.xml.gz}, and writes the new index.
     *
     * @param timestamp yyyyMMddHHmmss of this release (for files that are new or changed)
     * @return the records written, in file-name order (removed files last)
     */
    public static List<SiteRecord> publish(Path files, Path site, long timestamp) throws IOException {
        if (!Files.isDirectory(files)) {
            throw new IOException("The folder " + files + " does not exist; run update-site/assemble.sh first.");
        }
        Files.createDirectories(site);
        Path index = site.resolve(INDEX);
        Map<String, SiteRecord> old = new LinkedHashMap<>();
        if (Files.exists(index)) {
            for (SiteRecord r : PluginRecordsXml.read(index)) {
                old.put(unversioned(r.filename), r);
            }
        }
        List<SiteRecord> records = new ArrayList<>();
        for (String path : relativeFiles(files)) {
            Path file = files.resolve(path);
            SiteRecord r = new SiteRecord(path);
            r.checksum = UpdaterChecksum.of(path, file);
            r.filesize = Files.size(file);
            r.description = describe(path);
            SiteRecord before = old.remove(unversioned(path));
            if (before != null && r.checksum.equals(before.checksum) && path.equals(before.filename)) {
                r.timestamp = before.timestamp; // unchanged: same version, nothing new to download
                r.previous.addAll(before.previous);
            } else {
                r.timestamp = timestamp;
                if (before != null) {
                    retire(before, r, timestamp);
                }
            }
            Path served = site.resolve(path + "-" + r.timestamp);
            if (!Files.exists(served)) {
                Files.createDirectories(served.getParent());
                Files.copy(file, served, StandardCopyOption.COPY_ATTRIBUTES);
            }
            records.add(r);
        }
        addDependencies(records);
        for (SiteRecord gone : old.values()) {
            SiteRecord r = new SiteRecord(gone.filename);
            retire(gone, r, timestamp);
            records.add(r);
        }
        Path tmp = site.resolve("." + INDEX + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            PluginRecordsXml.write(records, out);
        }
        Files.move(tmp, index, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return records;
    }

    /** Moves {@code before}'s current version (if any) and history into {@code into}'s history. */
    private static void retire(SiteRecord before, SiteRecord into, long timestamp) {
        if (!before.obsolete()) {
            into.previous.add(new SiteRecord.PreviousVersion(before.checksum, before.timestamp, timestamp, before.filename));
        }
        into.previous.addAll(before.previous);
    }

    /** The plugin jars need the site's dependency jars (ONNX Runtime); nothing else depends on anything. */
    private static void addDependencies(List<SiteRecord> records) {
        for (SiteRecord r : records) {
            if (r.filename.startsWith("plugins/") && r.filename.endsWith(".jar")) {
                for (SiteRecord d : records) {
                    if (d.filename.startsWith("jars/") && d.filename.endsWith(".jar")) {
                        r.dependencies.add(new SiteRecord.Dependency(d.filename, d.timestamp));
                    }
                }
            }
        }
    }

    /** Regular files below {@code root} as sorted forward-slash paths, hidden files skipped. */
    static List<String> relativeFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p))
                    .filter(p -> {
                        for (Path part : p) {
                            if (part.toString().startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .map(p -> p.toString().replace('\\', '/'))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** {@code jars/onnxruntime-1.23.2.jar} becomes {@code jars/onnxruntime.jar}; other names stay. */
    static String unversioned(String filename) {
        Matcher m = JAR_VERSION.matcher(filename);
        return m.matches() ? m.group(1) + m.group(5) : filename;
    }

    /** The text Fiji's updater shows for a file of this site. */
    static String describe(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (path.startsWith("plugins/")) {
            return "AnomalyJ: unsupervised visual anomaly detection (PatchCore, PaDiM) with heatmap overlays and"
                    + " defect boxes; commands under Plugins > Anomaly Detection.";
        }
        if (name.startsWith("onnxruntime")) {
            return "ONNX Runtime (CPU, with its native libraries), used by AnomalyJ to run CNN backbones.";
        }
        if (path.startsWith("models/")) {
            return "AnomalyJ backbone " + name + " (found by name when ANOMALYJ_BACKBONES points at Fiji's models/).";
        }
        return "Part of AnomalyJ.";
    }
}
