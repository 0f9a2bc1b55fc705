package org.anomalyj.io;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.anomalyj.AnomalyJException;

/**
 * Reads a model bundle written by {@link BundleWriter}: either the {@code .zip} itself or a folder
 * holding the same entries (an unpacked bundle). Every failure is an {@link AnomalyJException}
 * naming the bundle. Arrays are read lazily, when asked for. Close the reader when done (it holds
 * the zip file open).
 */
public final class BundleReader implements Closeable {
    private final Path path;
    private final ZipFile zip; // null for a folder bundle

    private BundleReader(Path path, ZipFile zip) {
        this.path = path;
        this.zip = zip;
    }

    /**
     * Opens a bundle.
     *
     * @throws AnomalyJException when the path does not exist or is not a readable zip or folder
     */
    public static BundleReader open(Path path) {
        if (Files.isDirectory(path)) {
            return new BundleReader(path, null);
        }
        if (!Files.exists(path)) {
            throw new AnomalyJException("Model bundle " + path + " does not exist: check the path or train a model first.");
        }
        try {
            return new BundleReader(path, new ZipFile(path.toFile()));
        } catch (ZipException e) {
            throw damaged(path, "is not a valid zip file", e);
        } catch (IOException e) {
            throw new AnomalyJException("Model bundle " + path + " cannot be read (" + e.getMessage() + "): check its permissions.", e);
        }
    }

    /** The bundle's zip file or folder. */
    public Path path() {
        return path;
    }

    /** Whether the bundle has an entry of this name. */
    public boolean has(String name) {
        if (zip != null) {
            return zip.getEntry(name) != null;
        }
        return isSafe(name) && Files.isRegularFile(path.resolve(name));
    }

    /** Names of all entries (files, recursively, with '/' separators for a folder bundle). */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        if (zip != null) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (!e.isDirectory()) {
                    names.add(e.getName());
                }
            }
            return names;
        }
        try (Stream<Path> files = Files.walk(path)) {
            files.filter(Files::isRegularFile).forEach(p -> names.add(path.relativize(p).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new AnomalyJException("Model bundle folder " + path + " cannot be listed (" + e.getMessage() + "): check its permissions.", e);
        }
        Collections.sort(names);
        return names;
    }

    /** A UTF-8 text entry. */
    public String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** A binary entry, fully read. */
    public byte[] bytes(String name) {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw damaged(path, "has an unreadable entry '" + name + "'", e);
        }
    }

    /** Read-only view of the {@code .npy} entries; {@link ArrayStore#get} reads the entry each time it is called. */
    public ArrayStore arrays() {
        return new ArrayStore() {
            @Override
            public void put(String name, NpyArray array) {
                throw new UnsupportedOperationException("a bundle being read is read-only; use BundleWriter");
            }

            @Override
            public NpyArray get(String name) {
                String entry = name + ".npy";
                try (InputStream in = new BufferedInputStream(stream(entry), 1 << 16)) {
                    return Npy.read(in, path + "!" + entry);
                } catch (IOException e) {
                    throw damaged(path, "has an unreadable entry '" + entry + "'", e);
                }
            }

            @Override
            public boolean contains(String name) {
                return has(name + ".npy");
            }
        };
    }

    private InputStream stream(String name) throws IOException {
        if (!has(name)) {
            throw new AnomalyJException("Model bundle " + path + " has no '" + name
                    + "'; it is not an AnomalyJ model or it is damaged: retrain or re-download it.");
        }
        if (zip != null) {
            return zip.getInputStream(zip.getEntry(name));
        }
        return Files.newInputStream(path.resolve(name));
    }

    /** Folder entries must stay inside the folder. */
    private static boolean isSafe(String name) {
        return !name.isEmpty() && !name.startsWith("/") && !name.contains("\\") && !name.contains("..");
    }

    private static AnomalyJException damaged(Path path, String what, Exception cause) {
        return new AnomalyJException("Model bundle " + path + " " + what + " (" + cause.getMessage()
                + "); it is damaged or incomplete: retrain or re-download it.", cause);
    }

    @Override
    public void close() {
        if (zip != null) {
            try {
                zip.close();
            } catch (IOException ignored) {
                // nothing useful to do: we only read
            }
        }
    }
}
