package org.anomalyj.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import org.anomalyj.AnomalyJException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class BundleTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static BundleWriter sample() {
        BundleWriter w = new BundleWriter();
        w.putText("model.json", "{\"method\":\"patchcore\",\"name\":\"Ünïcödé\"}");
        w.putBytes("model.onnx", new byte[] {1, 2, 3, 4, 5});
        w.putArray("memory_bank", NpyArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        w.arrays().put("channels", NpyArray.ofInts(new int[] {9, 8, 7}, 3));
        return w;
    }

    private static void checkSample(BundleReader r) {
        assertTrue(r.has("model.json"));
        assertFalse(r.has("nothing.json"));
        assertEquals("{\"method\":\"patchcore\",\"name\":\"Ünïcödé\"}", r.text("model.json"));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, r.bytes("model.onnx"));
        assertTrue(r.arrays().contains("memory_bank"));
        assertFalse(r.arrays().contains("model"));
        NpyArray bank = r.arrays().get("memory_bank");
        assertArrayEquals(new int[] {2, 3}, bank.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, bank.floats(), 0f);
        assertArrayEquals(new int[] {9, 8, 7}, r.arrays().get("channels").ints());
        assertEquals(Arrays.asList("channels.npy", "memory_bank.npy", "model.json", "model.onnx"),
                r.names().stream().sorted().collect(Collectors.toList()));
    }

    @Test
    public void zipRoundTrip() throws IOException {
        Path zip = tmp.getRoot().toPath().resolve("sub/model.zip");
        sample().commit(zip);
        try (BundleReader r = BundleReader.open(zip)) {
            checkSample(r);
        }
        try (ZipFile z = new ZipFile(zip.toFile())) {
            assertEquals(ZipEntry.STORED, z.getEntry("memory_bank.npy").getMethod());
            assertEquals(ZipEntry.STORED, z.getEntry("model.onnx").getMethod());
            assertEquals(ZipEntry.DEFLATED, z.getEntry("model.json").getMethod());
        }
        assertNoTempFiles(zip.getParent());
        // The bundle gets ordinary (umask) permissions, not a temp file's owner-only ones.
        Path plain = Files.write(zip.resolveSibling("plain.txt"), new byte[1]);
        if (Files.getFileStore(zip).supportsFileAttributeView("posix")) {
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(zip));
        }
    }

    @Test
    public void folderRoundTrip() throws IOException {
        Path zip = tmp.getRoot().toPath().resolve("model.zip");
        sample().commit(zip);
        Path folder = unzip(zip, tmp.newFolder("unpacked").toPath());
        try (BundleReader r = BundleReader.open(folder)) {
            checkSample(r);
        }
    }

    @Test
    public void writerArrayViewReturnsWhatWasPut() {
        BundleWriter w = sample();
        assertTrue(w.arrays().contains("memory_bank"));
        assertTrue(w.has("memory_bank.npy"));
        assertEquals(6, w.arrays().get("memory_bank").size());
        assertFalse(w.arrays().contains("x"));
    }

    @Test
    public void failedCommitLeavesOldBundleAndNoTempFile() throws IOException {
        Path zip = tmp.getRoot().toPath().resolve("model.zip");
        sample().commit(zip);
        byte[] before = Files.readAllBytes(zip);

        BundleWriter w = new BundleWriter();
        w.putText("model.json", "{\"new\":true}");
        w.putArray("big", NpyArray.ofFloats(new float[100_000], 100_000));
        // An ArrayStore entry whose serialisation fails half way (after writing some bytes).
        w.putContent("broken.npy", new BundleWriter.Content() {
            int calls;

            @Override
            public void writeTo(java.io.OutputStream out) throws IOException {
                out.write(new byte[1000]);
                if (++calls == 2) {
                    throw new IOException("disk on fire");
                }
            }
        });
        try {
            w.commit(zip);
            fail("commit should fail");
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("model.zip"));
            assertTrue(e.getMessage(), e.getMessage().contains("disk on fire"));
        }
        assertArrayEquals(before, Files.readAllBytes(zip));
        assertNoTempFiles(zip.getParent());

        // Unchecked failures are cleaned up too.
        BundleWriter w2 = new BundleWriter();
        w2.putContent("x.json", out -> {
            out.write(1);
            throw new IllegalStateException("bug");
        });
        try {
            w2.commit(zip);
            fail("commit should fail");
        } catch (IllegalStateException expected) {
            // propagated as is
        }
        assertArrayEquals(before, Files.readAllBytes(zip));
        assertNoTempFiles(zip.getParent());
    }

    @Test
    public void truncatedZipIsReportedAsDamaged() throws IOException {
        Path zip = tmp.getRoot().toPath().resolve("model.zip");
        BundleWriter w = sample();
        w.putArray("padding", NpyArray.ofFloats(new float[2000], 2000));
        w.commit(zip);
        byte[] all = Files.readAllBytes(zip);
        Path cut = tmp.getRoot().toPath().resolve("cut.zip");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        expectError(cut, "cut.zip", "damaged");
        Path text = tmp.getRoot().toPath().resolve("notes.zip");
        Files.write(text, "hello".getBytes(StandardCharsets.US_ASCII));
        expectError(text, "notes.zip", "not a valid zip");
    }

    @Test
    public void missingFileAndMissingEntry() throws IOException {
        expectError(tmp.getRoot().toPath().resolve("nope.zip"), "nope.zip", "does not exist");
        Path zip = tmp.getRoot().toPath().resolve("model.zip");
        new BundleWriter().putText("readme.txt", "hi").commit(zip);
        try (BundleReader r = BundleReader.open(zip)) {
            try {
                r.text("model.json");
                fail();
            } catch (AnomalyJException e) {
                assertEquals("Model bundle " + zip + " has no 'model.json'; it is not an AnomalyJ model or it is damaged: retrain or re-download it.",
                        e.getMessage());
            }
            try {
                r.arrays().get("memory_bank");
                fail();
            } catch (AnomalyJException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("'memory_bank.npy'"));
            }
        }
        try (BundleReader r = BundleReader.open(tmp.newFolder("empty").toPath())) {
            assertFalse(r.has("../model.zip"));
            try {
                r.bytes("model.json");
                fail();
            } catch (AnomalyJException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("no 'model.json'"));
            }
        }
    }

    private static void expectError(Path bundle, String name, String fragment) {
        try (BundleReader r = BundleReader.open(bundle)) {
            r.text("model.json");
            fail("expected failure for " + bundle);
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(name));
            assertTrue(e.getMessage(), e.getMessage().contains(fragment));
        }
    }

    private static void assertNoTempFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> tmps = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).collect(Collectors.toList());
            assertTrue("left over: " + tmps, tmps.isEmpty());
        }
    }

    private static Path unzip(Path zip, Path dir) throws IOException {
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                Files.copy(z, dir.resolve(e.getName()));
            }
        }
        return dir;
    }
}
