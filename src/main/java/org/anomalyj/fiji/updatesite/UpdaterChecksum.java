package org.anomalyj.fiji.updatesite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The checksum Fiji's updater (imagej-updater) records for a file in {@code db.xml.gz} and
 * computes for the installed copy; the two must match or Fiji shows the file as "locally
 * modified" instead of "installed". Reproduced from the updater's source
 * ({@code net.imagej.updater.util.UpdaterUtil.getDigest/getJarDigest}, {@code SkipHashedLines},
 * {@code FilterManifest}; github.com/imagej/imagej-updater), the current (non-legacy) variant:
 * <ul>
 * <li><b>any file but a .jar</b>: SHA-1 of the file's path relative to the Fiji folder (ASCII,
 * e.g. {@code models/resnet18.onnx}) followed by the file's bytes, as lower-case hex. The path
 * is part of the digest, so the same bytes under another name give another checksum.</li>
 * <li><b>.jar</b>: SHA-1 over the entries sorted by name ({@link String#compareTo}), for each the
 * name (ASCII) then its uncompressed content, so entry order, timestamps and compression do
 * not matter. Two entries are normalised: {@code *.properties} skip lines starting with
 * {@code #} (Maven's pom.properties carries a build date in such a comment; the line's
 * newline stays), and {@code META-INF/MANIFEST.MF} contributes only its name: the updater keeps
 * just lines starting with "Main-Class:" after upper-casing them, which never matches, so the
 * manifest's content is ignored altogether (AnomalyJ's and ONNX Runtime's manifests have no
 * Main-Class line, so their digests would not change even if a later updater fixed that
 * comparison).</li>
 * </ul>
 * Entries are enumerated with {@link ZipFile}; for the shipped jars this gives the same digest as
 * the updater's {@code JarFile} enumeration (checked by hand on the real jars).
 */
public final class UpdaterChecksum {
    static final String MANIFEST = "META-INF/MANIFEST.MF";

    private UpdaterChecksum() {
    }

    /**
     * The updater's checksum of {@code file} installed as {@code relativePath} (forward slashes,
     * relative to the Fiji folder, e.g. {@code jars/onnxruntime-1.23.2.jar}).
     */
    public static String of(String relativePath, Path file) throws IOException {
        return relativePath.endsWith(".jar") ? jar(file) : plain(relativePath, file);
    }

    /** SHA-1 of the path's ASCII bytes followed by the file's bytes. */
    public static String plain(String relativePath, Path file) throws IOException {
        MessageDigest sha1 = sha1();
        sha1.update(relativePath.getBytes(StandardCharsets.US_ASCII));
        try (InputStream in = Files.newInputStream(file)) {
            digest(in, sha1);
        }
        return hex(sha1.digest());
    }

    /** The entry-wise digest of a jar, see the class comment. */
    public static String jar(Path file) throws IOException {
        MessageDigest sha1 = sha1();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<ZipEntry> entries = new ArrayList<>(Collections.list(zip.entries()));
            entries.sort(Comparator.comparing(ZipEntry::getName));
            for (ZipEntry e : entries) {
                String name = e.getName();
                sha1.update(name.getBytes(StandardCharsets.US_ASCII));
                if (name.equals(MANIFEST)) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(e)) {
                    if (name.endsWith(".properties")) {
                        sha1.update(skipHashedLines(in.readAllBytes()));
                    } else {
                        digest(in, sha1);
                    }
                }
            }
        }
        return hex(sha1.digest());
    }

    /**
     * A .properties entry as the updater digests it: a line starting with {@code #} is dropped up
     * to (not including) its newline. This follows the updater's stream filter exactly, including
     * its quirk that a line right after a comment line consisting of just "#" is not recognised
     * as a line start (so "#\n#x\n" becomes "\n#x\n"; Maven never writes such an empty comment).
     */
    static byte[] skipHashedLines(byte[] in) {
        HashedLineFilter f = new HashedLineFilter(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int c = f.read(); c >= 0; c = f.read()) {
            out.write(c);
        }
        return out.toByteArray();
    }

    /** The state machine of the updater's SkipHashedLines stream (recursive like the original). */
    private static final class HashedLineFilter {
        private final byte[] in;
        private int pos;
        private boolean atLineStart = true;

        HashedLineFilter(byte[] in) {
            this.in = in;
        }

        int read() {
            int c = pos < in.length ? in[pos++] & 0xff : -1;
            if (atLineStart) {
                if (c == '#') {
                    // skip the comment; the nested reads apply the same rules and end on '\n'
                    do {
                        c = read();
                    } while (c != '\n' && c != -1);
                } else {
                    atLineStart = false;
                }
            } else if (c == '\n') {
                atLineStart = true;
            }
            return c;
        }
    }

    private static void digest(InputStream in, MessageDigest sha1) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            sha1.update(buf, 0, n);
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-1", e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 2);
        for (byte x : bytes) {
            b.append(Character.forDigit(x >> 4 & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return b.toString();
    }
}
