package org.anomalyj.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

import org.anomalyj.AnomalyJException;

/**
 * Writes a file so that readers only ever see the old or the complete new content: the bytes go
 * to a hidden temporary file in the same folder, are forced to disk, and the temporary file is
 * renamed over the target (atomically where the file system allows). On any failure the
 * temporary file is deleted and the target is untouched.
 *
 * <p>The temporary file is created with the default permissions (umask), unlike
 * {@code Files.createTempFile}, whose owner-only permissions would carry over to a shared model.
 */
public final class AtomicFile {

    /** Produces the file's bytes. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * Writes {@code target} atomically; parent folders are created.
     *
     * @throws AnomalyJException naming {@code target} on an I/O error (unchecked errors of the
     *         writer propagate unchanged, after clean-up)
     */
    public static void write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            FileChannel ch = null;
            while (ch == null) {
                tmp = dir.resolve("." + abs.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    tmp = null; // name clash with another writer: pick another name
                }
            }
            try (FileChannel c = ch) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(c), 1 << 16);
                writer.writeTo(new NonClosingOutputStream(out));
                out.flush();
                c.force(true); // durable before the rename publishes it
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new AnomalyJException("Could not write " + target + " (" + e + "): check that the folder is writable and the disk is not full.", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the original error is the useful one
                }
            }
        }
    }
}
