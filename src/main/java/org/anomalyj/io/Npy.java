package org.anomalyj.io;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.anomalyj.AnomalyJException;

/**
 * NumPy {@code .npy} reader and writer, so a bundle's arrays can be inspected with
 * {@code numpy.load}.
 *
 * <p>Writes format version 1.0 (little-endian, C order, {@code <f4} or {@code <i4}). Reads versions
 * 1.0, 2.0 and 3.0 with dtypes {@code <f4}, {@code <i4}, {@code <f8} (narrowed to float) and
 * {@code <i8} (narrowed to int when every value fits). Anything else is refused with an
 * {@link AnomalyJException} naming the source, rather than being misread.
 *
 * <p>Data moves in bulk through {@link ByteBuffer} views in chunks, never one value per stream
 * call, so 100+ MB arrays take a fraction of a second.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Values converted per chunk; bounds the temporary byte buffer at 8 MB for 8-byte types. */
    private static final int CHUNK = 1 << 20;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Writes {@code a} as a version 1.0 {@code .npy} stream; does not close {@code out}. */
    public static void write(NpyArray a, OutputStream out) throws IOException {
        out.write(header(a));
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(a.size(), CHUNK) * 4).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) a.size();
        for (int start = 0; start < n; start += CHUNK) {
            int len = Math.min(CHUNK, n - start);
            buf.clear();
            if (a.isFloat()) {
                buf.asFloatBuffer().put(a.floats(), start, len);
            } else {
                buf.asIntBuffer().put(a.ints(), start, len);
            }
            out.write(buf.array(), 0, len * 4);
        }
    }

    /** The complete version 1.0 header (magic, version, length, padded dict) for {@code a}. */
    static byte[] header(NpyArray a) {
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < a.rank(); i++) {
            shape.append(a.dim(i)).append(i == 0 && a.rank() == 1 ? "," : (i < a.rank() - 1 ? ", " : ""));
        }
        shape.append(')');
        String dict = "{'descr': '" + a.dtype() + "', 'fortran_order': False, 'shape': " + shape + ", }";
        // magic(6) + version(2) + header length(2) + dict + padding + '\n' is a multiple of 64.
        int unpadded = 10 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        StringBuilder sb = new StringBuilder(dict);
        for (int i = unpadded; i < padded; i++) {
            sb.append(' ');
        }
        sb.append('\n');
        byte[] text = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return b.array();
    }

    /**
     * Reads one {@code .npy} array.
     *
     * @param sourceName file or entry name used in error messages
     * @throws AnomalyJException when the stream is not a supported {@code .npy} array or is truncated
     */
    public static NpyArray read(InputStream in, String sourceName) throws IOException {
        DataInputStream din = new DataInputStream(in);
        try {
            byte[] magic = new byte[8];
            din.readFully(magic);
            for (int i = 0; i < MAGIC.length; i++) {
                if (magic[i] != MAGIC[i]) {
                    throw bad(sourceName, "is not a NumPy .npy file");
                }
            }
            int major = magic[6] & 0xff;
            long headerLen;
            if (major == 1) {
                headerLen = Short.toUnsignedInt(Short.reverseBytes(din.readShort()));
            } else if (major == 2 || major == 3) {
                headerLen = Integer.toUnsignedLong(Integer.reverseBytes(din.readInt()));
            } else {
                throw bad(sourceName, "uses .npy format version " + major + ", which is not supported");
            }
            if (headerLen > 1 << 20) {
                throw bad(sourceName, "has an implausible .npy header length " + headerLen);
            }
            byte[] headerBytes = new byte[(int) headerLen];
            din.readFully(headerBytes);
            // Version 3.0 only differs by allowing UTF-8 field names; the dict we parse is ASCII.
            String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            return readData(din, header, sourceName);
        } catch (EOFException e) {
            throw new AnomalyJException("Array file " + sourceName + " is truncated: re-create or re-download it.", e);
        }
    }

    private static NpyArray readData(DataInputStream din, String header, String sourceName) throws IOException {
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw bad(sourceName, "has an unreadable .npy header");
        }
        if (f.group(1).equals("True")) {
            throw bad(sourceName, "is stored in Fortran order");
        }
        String descr = d.group(1);
        int width;
        switch (descr) {
            case "<f4":
            case "<i4":
                width = 4;
                break;
            case "<f8":
            case "<i8":
                width = 8;
                break;
            default:
                throw bad(sourceName, "has dtype '" + descr + "'; only little-endian float32/float64/int32/int64 are supported");
        }
        int[] shape = parseShape(s.group(1), sourceName);
        long count = 1;
        for (int dim : shape) {
            count *= dim;
            if (count > Integer.MAX_VALUE - 8) {
                throw bad(sourceName, "holds more values than a Java array can");
            }
        }
        int n = (int) count;
        boolean isFloat = descr.charAt(1) == 'f';
        float[] floats = isFloat ? new float[n] : null;
        int[] ints = isFloat ? null : new int[n];
        byte[] chunk = new byte[Math.min(n, CHUNK) * width];
        ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < n; start += CHUNK) {
            int len = Math.min(CHUNK, n - start);
            din.readFully(chunk, 0, len * width);
            buf.clear();
            switch (descr) {
                case "<f4":
                    buf.asFloatBuffer().get(floats, start, len);
                    break;
                case "<i4":
                    buf.asIntBuffer().get(ints, start, len);
                    break;
                case "<f8":
                    for (int i = 0; i < len; i++) {
                        floats[start + i] = (float) buf.getDouble(i * 8);
                    }
                    break;
                default: // <i8
                    for (int i = 0; i < len; i++) {
                        long v = buf.getLong(i * 8);
                        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                            throw bad(sourceName, "holds int64 value " + v + " that does not fit in int32");
                        }
                        ints[start + i] = (int) v;
                    }
            }
        }
        return isFloat ? NpyArray.ofFloats(floats, shape) : NpyArray.ofInts(ints, shape);
    }

    private static int[] parseShape(String text, String sourceName) {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (t.endsWith("L")) { // Python 2 longs
                t = t.substring(0, t.length() - 1);
            }
            try {
                dims.add(Integer.parseInt(t));
            } catch (NumberFormatException e) {
                throw bad(sourceName, "has an unreadable shape (" + text + ")");
            }
        }
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
            if (shape[i] < 0) {
                throw bad(sourceName, "has a negative dimension in shape (" + text + ")");
            }
        }
        return shape;
    }

    private static AnomalyJException bad(String sourceName, String what) {
        return new AnomalyJException("Array file " + sourceName + " " + what + ": re-create it with numpy.save as a little-endian, C-order float32 array.");
    }

    /** Convenience: the complete {@code .npy} bytes of {@code a}. */
    public static byte[] toBytes(NpyArray a) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, 128 + a.size() * 4));
        try {
            write(a, bos);
        } catch (IOException e) {
            throw new IllegalStateException(e); // ByteArrayOutputStream does not throw
        }
        return bos.toByteArray();
    }
}
