package org.anomalyj.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.anomalyj.AnomalyJException;
import org.junit.Test;

public class NpyTest {

    @Test
    public void headerIsVersion1PaddedTo64AndEndsInNewline() {
        NpyArray a = NpyArray.ofFloats(new float[6], 2, 3);
        byte[] bytes = Npy.toBytes(a);
        int headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.ISO_8859_1));
        assertEquals(1, bytes[6]);
        assertEquals(0, bytes[7]);
        String header = new String(bytes, 10, headerLen, StandardCharsets.ISO_8859_1);
        assertTrue(header, header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + headerLen + 6 * 4, bytes.length);
    }

    @Test
    public void oneDimensionalAndScalarShapesUsePythonTupleSyntax() {
        assertTrue(headerOf(NpyArray.ofInts(new int[4], 4)).contains("'shape': (4,)"));
        assertTrue(headerOf(NpyArray.ofInts(new int[1])).contains("'shape': ()"));
        assertTrue(headerOf(NpyArray.ofInts(new int[4], 4)).contains("'descr': '<i4'"));
    }

    @Test
    public void floatAndIntRoundTrip() throws IOException {
        float[] f = {1.5f, -2f, Float.MAX_VALUE, Float.MIN_VALUE, 0f, Float.NaN};
        NpyArray back = roundTrip(NpyArray.ofFloats(f, 3, 2));
        assertArrayEquals(new int[] {3, 2}, back.shape());
        assertArrayEquals(f, back.floats(), 0f);
        int[] i = {Integer.MIN_VALUE, -1, 0, 7, Integer.MAX_VALUE};
        NpyArray bi = roundTrip(NpyArray.ofInts(i, 5));
        assertArrayEquals(i, bi.ints());
        assertArrayEquals(new int[] {5}, bi.shape());
        NpyArray empty = roundTrip(NpyArray.ofFloats(new float[0], 0, 4));
        assertArrayEquals(new int[] {0, 4}, empty.shape());
    }

    @Test
    public void dataIsLittleEndian() {
        byte[] bytes = Npy.toBytes(NpyArray.ofFloats(new float[] {1f}, 1));
        int v = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(Float.floatToIntBits(1f), v);
    }

    @Test
    public void readsVersion2And3HeadersAndWideTypes() throws IOException {
        ByteBuffer d = le(3 * 8);
        d.putDouble(0.25).putDouble(-3.5).putDouble(1e10);
        NpyArray a = Npy.read(new ByteArrayInputStream(npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", d.array())), "a.npy");
        assertArrayEquals(new float[] {0.25f, -3.5f, 1e10f}, a.floats(), 0f);

        ByteBuffer l = le(2 * 8);
        l.putLong(-5).putLong(Integer.MAX_VALUE);
        NpyArray b = Npy.read(new ByteArrayInputStream(npy(3, "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }", l.array())), "b.npy");
        assertArrayEquals(new int[] {-5, Integer.MAX_VALUE}, b.ints());
        assertArrayEquals(new int[] {1, 2}, b.shape());
    }

    @Test
    public void refusesUnsupportedInputsNamingTheSource() {
        byte[] four = new byte[4];
        expectError(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", four), "Fortran");
        expectError(npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", four), ">f4");
        expectError(npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }", four), "|u1");
        expectError(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", four), "truncated");
        ByteBuffer big = le(8);
        big.putLong(1L << 40);
        expectError(npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", big.array()), "int32");
        expectError("not numpy at all".getBytes(StandardCharsets.US_ASCII), "not a NumPy");
        expectError(Arrays.copyOf(Npy.toBytes(NpyArray.ofFloats(new float[2], 2)), 30), "truncated");
    }

    @Test
    public void largeArrayIsFast() throws IOException {
        int n = 30_000_000; // 120 MB
        float[] data = new float[n];
        for (int i = 0; i < n; i += 997) {
            data[i] = i;
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream(n * 4 + 128);
        long t0 = System.nanoTime();
        Npy.write(NpyArray.ofFloats(data, n / 1000, 1000), bos);
        long t1 = System.nanoTime();
        ByteArrayInputStream in = new ByteArrayInputStream(bos.toByteArray());
        t1 = System.nanoTime();
        NpyArray back = Npy.read(in, "big.npy");
        long t2 = System.nanoTime();
        assertArrayEquals(data, back.floats(), 0f);
        System.out.printf("Npy 120 MB: write %.0f ms, read %.0f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        assertTrue("write too slow", t1 - t0 < 3_000_000_000L);
        assertTrue("read too slow", t2 - t1 < 3_000_000_000L);
    }

    private static void expectError(byte[] file, String fragment) {
        try {
            Npy.read(new ByteArrayInputStream(file), "src/x.npy");
            fail("expected an error containing " + fragment);
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("src/x.npy"));
            assertTrue(e.getMessage(), e.getMessage().contains(fragment));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A hand-built .npy file of the given version (header not padded: readers must not care). */
    private static byte[] npy(int version, String dict, byte[] data) {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        int lenBytes = version == 1 ? 2 : 4;
        ByteBuffer b = le(8 + lenBytes + h.length + data.length);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        b.put(h).put(data);
        return b.array();
    }

    private static String headerOf(NpyArray a) {
        byte[] bytes = Npy.toBytes(a);
        int headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        return new String(bytes, 10, headerLen, StandardCharsets.ISO_8859_1);
    }

    private static NpyArray roundTrip(NpyArray a) throws IOException {
        return Npy.read(new ByteArrayInputStream(Npy.toBytes(a)), "rt.npy");
    }
}
