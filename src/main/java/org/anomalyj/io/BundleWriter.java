package org.anomalyj.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.anomalyj.AnomalyJException;

/**
 * Collects the entries of a model bundle and writes them as one zip, atomically: the zip is
 * written to a temporary file next to the target and then renamed over it, so a crash or error
 * never leaves a half-written bundle and never damages the previous one.
 *
 * <p>Large binary entries ({@code .npy}, {@code .onnx}) are STORED (uncompressed: float weights do
 * not deflate well and storing is several times faster); everything else is DEFLATED at the
 * fastest level. Arrays are kept by reference and serialised only during {@link #commit}, so a
 * memory bank is never held twice in memory.
 */
public final class BundleWriter {

    /** Produces an entry's bytes. For STORED entries it is called twice (checksum, then data) and must write the same bytes each time. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Map<String, Content> entries = new LinkedHashMap<>();
    private final Map<String, NpyArray> arrays = new LinkedHashMap<>();

    /** Adds (or replaces) a UTF-8 text entry such as {@code model.json}. */
    public BundleWriter putText(String name, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return putBytes(name, bytes);
    }

    /** Adds (or replaces) a binary entry; the array is not copied. */
    public BundleWriter putBytes(String name, byte[] bytes) {
        return putContent(name, out -> out.write(bytes));
    }

    /** Adds (or replaces) an array, stored as entry {@code name + ".npy"}. */
    public BundleWriter putArray(String name, NpyArray array) {
        arrays.put(name, array);
        return putContent(name + ".npy", out -> Npy.write(array, out));
    }

    /** Adds (or replaces) an entry whose bytes are produced while committing (e.g. streamed from a file). */
    public BundleWriter putContent(String name, Content content) {
        entries.put(checkName(name), content);
        return this;
    }

    /** Whether an entry of this exact name has been added. */
    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** An {@link ArrayStore} view: {@code put} adds a {@code .npy} entry, {@code get} returns what was put. */
    public ArrayStore arrays() {
        return new ArrayStore() {
            @Override
            public void put(String name, NpyArray array) {
                putArray(name, array);
            }

            @Override
            public NpyArray get(String name) {
                NpyArray a = arrays.get(name);
                if (a == null) {
                    throw new AnomalyJException("The model being saved has no array '" + name + "': this is a bug in the model writer, please report it.");
                }
                return a;
            }

            @Override
            public boolean contains(String name) {
                return arrays.containsKey(name);
            }
        };
    }

    /**
     * Writes all entries to {@code zipFile}, replacing it atomically. On failure the temporary file
     * is deleted and an existing {@code zipFile} is left unchanged.
     *
     * @throws AnomalyJException naming the bundle when it cannot be written
     */
    public void commit(Path zipFile) {
        AtomicFile.write(zipFile, this::writeZip);
    }

    private void writeZip(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setLevel(Deflater.BEST_SPEED);
        for (Map.Entry<String, Content> e : entries.entrySet()) {
            writeEntry(zip, e.getKey(), e.getValue());
        }
        zip.finish();
    }

    private static void writeEntry(ZipOutputStream zip, String name, Content content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        if (isStored(name)) {
            CrcCounter counter = new CrcCounter();
            content.writeTo(counter);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(counter.count);
            entry.setCompressedSize(counter.count);
            entry.setCrc(counter.crc.getValue());
        } else {
            entry.setMethod(ZipEntry.DEFLATED);
        }
        zip.putNextEntry(entry);
        // Shield the zip stream from a Content that closes its argument.
        content.writeTo(new NonClosingOutputStream(zip));
        zip.closeEntry();
    }

    static boolean isStored(String name) {
        return name.endsWith(".npy") || name.endsWith(".onnx");
    }

    private static String checkName(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("..")) {
            throw new IllegalArgumentException("bad bundle entry name: " + name);
        }
        return name;
    }

    /** Counts bytes and their CRC-32 without keeping them (first pass of a STORED entry). */
    private static final class CrcCounter extends OutputStream {
        final CRC32 crc = new CRC32();
        long count;

        @Override
        public void write(int b) {
            crc.update(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            crc.update(b, off, len);
            count += len;
        }
    }
}
