package org.anomalyj.io;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes writes through but ignores {@code close()}: handed to
 * callback writers so that one which closes its stream cannot close the file or zip stream the
 * caller still has to finish.
 */
final class NonClosingOutputStream extends OutputStream {
    private final OutputStream out;

    NonClosingOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() {
        // deliberately not closing the wrapped stream
    }
}
