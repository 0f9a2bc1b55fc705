package org.anomalyj.fiji.updatesite;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.xml.parsers.SAXParserFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/** The updater's checksums and the db.xml.gz written for an update site. */
public class UpdateSiteIndexTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha1(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-1");
        for (byte[] p : parts) {
            md.update(p);
        }
        StringBuilder b = new StringBuilder();
        for (byte x : md.digest()) {
            b.append(String.format("%02x", x & 0xff));
        }
        return b.toString();
    }

    /** Writes a jar with the given entries in the given order; stored or deflated, at a given time. */
    private static void jar(Path file, String[][] entries, boolean stored, long time) throws Exception {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String[] e : entries) {
                byte[] data = utf8(e[1]);
                ZipEntry z = new ZipEntry(e[0]);
                z.setTime(time);
                if (stored) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(data.length);
                    z.setCrc(crc.getValue());
                }
                zip.putNextEntry(z);
                zip.write(data);
                zip.closeEntry();
            }
        }
    }

    @Test
    public void aPlainFileIsTheSha1OfItsPathThenItsBytes() throws Exception {
        byte[] bytes = utf8("onnx model bytes \u00e9");
        Path f = tmp.newFile("m.onnx").toPath();
        Files.write(f, bytes);
        String expected = sha1(utf8("models/m.onnx"), bytes);
        assertEquals(expected, UpdaterChecksum.of("models/m.onnx", f));
        assertEquals(40, expected.length());
        assertNotEquals("the path is part of the digest", sha1(bytes), UpdaterChecksum.of("models/m.onnx", f));
        assertNotEquals(expected, UpdaterChecksum.of("models/other.onnx", f));
    }

    @Test
    public void commentLinesOfPropertiesAreDroppedButTheirNewlinesStay() {
        assertArrayEquals(utf8("\nversion=1\n"), UpdaterChecksum.skipHashedLines(utf8("#Tue Nov 24 2026\nversion=1\n")));
        assertArrayEquals(utf8("a=1\n\nb=#2\n"), UpdaterChecksum.skipHashedLines(utf8("a=1\n#x\nb=#2\n")));
        assertArrayEquals(utf8("a=1 # not a comment"), UpdaterChecksum.skipHashedLines(utf8("a=1 # not a comment")));
        assertArrayEquals("a comment up to the end", utf8("a\n"), UpdaterChecksum.skipHashedLines(utf8("a\n#tail")));
        // the updater's quirk: after a bare "#" line the next line is not seen as a line start
        assertArrayEquals(utf8("\n#x\n"), UpdaterChecksum.skipHashedLines(utf8("#\n#x\n")));
    }

    @Test
    public void aJarDigestIgnoresEntryOrderTimesCompressionManifestAndPropertiesComments() throws Exception {
        String[][] a = {
            {"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nCreated-By: Maven 3.9\n"},
            {"org/x/A.class", "class-bytes-A"},
            {"META-INF/maven/x/pom.properties", "#Created Tue Nov 24 21:00:00 UTC 2026\nversion=1.0\n"},
            {"org/x/", ""},
        };
        String[][] b = {
            {"org/x/", ""},
            {"META-INF/maven/x/pom.properties", "#Created Wed Dec 02 08:00:00 UTC 2026\nversion=1.0\n"},
            {"org/x/A.class", "class-bytes-A"},
            {"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: org.x.A\nBuilt-By: someone\n"},
        };
        Path ja = tmp.getRoot().toPath().resolve("a.jar");
        Path jb = tmp.getRoot().toPath().resolve("b.jar");
        jar(ja, a, false, 1_000_000_000_000L);
        jar(jb, b, true, 1_700_000_000_000L);
        assertNotEquals("the files differ byte-wise", sha1(Files.readAllBytes(ja)), sha1(Files.readAllBytes(jb)));
        String digest = UpdaterChecksum.of("plugins/X_.jar", ja);
        assertEquals(digest, UpdaterChecksum.of("jars/elsewhere.jar", jb));

        // computed independently: sorted names, each name then its (normalised) content
        String expected = sha1(utf8("META-INF/MANIFEST.MF"),
                utf8("META-INF/maven/x/pom.properties"), utf8("\nversion=1.0\n"),
                utf8("org/x/"),
                utf8("org/x/A.class"), utf8("class-bytes-A"));
        assertEquals(expected, digest);

        // a real change of content or of a property value changes the digest
        b[2][1] = "class-bytes-B";
        jar(jb, b, true, 1_700_000_000_000L);
        assertNotEquals(digest, UpdaterChecksum.jar(jb));
        b[2][1] = "class-bytes-A";
        b[1][1] = "#Created Wed Dec 02 08:00:00 UTC 2026\nversion=1.1\n";
        jar(jb, b, true, 1_700_000_000_000L);
        assertNotEquals(digest, UpdaterChecksum.jar(jb));
    }

    private Path release(String pluginContent, String runtimeName, boolean withJson) throws Exception {
        Path files = tmp.getRoot().toPath().resolve("files");
        if (Files.exists(files)) {
            try (java.util.stream.Stream<Path> w = Files.walk(files)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(files.resolve("plugins"));
        Files.createDirectories(files.resolve("jars"));
        Files.createDirectories(files.resolve("models"));
        jar(files.resolve("plugins/AnomalyJ_.jar"), new String[][] {
            {"plugins.config", "Plugins>Anomaly Detection, \"Detect Anomalies\", org.x.D\n"},
            {"org/x/D.class", pluginContent}}, false, System.currentTimeMillis());
        jar(files.resolve("jars/" + runtimeName), new String[][] {{"ai/onnxruntime/O.class", "ort"}}, false, 0L);
        Files.write(files.resolve("models/net.onnx"), utf8("weights"));
        if (withJson) {
            Files.write(files.resolve("models/net.json"), utf8("{\"name\": \"net\"}"));
        }
        Files.write(files.resolve(".DS_Store"), utf8("hidden files are not published"));
        return files;
    }

    private static Map<String, SiteRecord> byName(List<SiteRecord> records) {
        Map<String, SiteRecord> m = new HashMap<>();
        for (SiteRecord r : records) {
            m.put(r.filename, r);
        }
        return m;
    }

    /** Parses with a validating parser against the index's own DTD, as the updater does before uploading. */
    private static void assertValid(Path index) throws Exception {
        SAXParserFactory f = SAXParserFactory.newInstance();
        f.setValidating(true);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(index))) {
            f.newSAXParser().parse(in, new DefaultHandler() {
                @Override
                public void error(SAXParseException e) throws SAXParseException {
                    throw e;
                }
            });
        }
    }

    @Test
    public void publishingWritesAValidIndexAndKeepsTheHistoryAcrossReleases() throws Exception {
        Path site = tmp.getRoot().toPath().resolve("site");
        long t1 = 20261124100000L;
        Path files = release("v1", "onnxruntime-1.23.2.jar", true);
        List<SiteRecord> first = UpdateSiteIndex.publish(files, site, t1);

        Path index = site.resolve(UpdateSiteIndex.INDEX);
        assertValid(index);
        byte[] xml;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(index))) {
            xml = in.readAllBytes();
        }
        String text = new String(xml, StandardCharsets.UTF_8);
        assertTrue(text, text.contains("<!DOCTYPE pluginRecords ["));
        assertFalse("hidden files stay out", text.contains("DS_Store"));

        Map<String, SiteRecord> r1 = byName(PluginRecordsXml.read(index));
        assertEquals(4, r1.size());
        assertEquals(4, first.size());
        for (String name : new String[] {"plugins/AnomalyJ_.jar", "jars/onnxruntime-1.23.2.jar", "models/net.onnx",
            "models/net.json"}) {
            SiteRecord r = r1.get(name);
            Path f = files.resolve(name);
            assertEquals(name, UpdaterChecksum.of(name, f), r.checksum);
            assertEquals(name, Files.size(f), r.filesize);
            assertEquals(t1, r.timestamp);
            assertTrue(r.description, r.description.length() > 10);
            assertArrayEquals("served as name-timestamp", Files.readAllBytes(f),
                    Files.readAllBytes(site.resolve(name + "-" + t1)));
        }
        SiteRecord plugin = r1.get("plugins/AnomalyJ_.jar");
        assertEquals(1, plugin.dependencies.size());
        assertEquals("jars/onnxruntime-1.23.2.jar", plugin.dependencies.get(0).filename);
        assertEquals(t1, plugin.dependencies.get(0).timestamp);
        assertEquals(0, r1.get("models/net.onnx").dependencies.size());

        // release 2: new plugin code, a new ONNX Runtime version, same model, the .json dropped
        long t2 = 20261201120000L;
        UpdateSiteIndex.publish(release("v2", "onnxruntime-1.24.0.jar", false), site, t2);
        assertValid(index);
        Map<String, SiteRecord> r2 = byName(PluginRecordsXml.read(index));
        assertEquals(4, r2.size());

        SiteRecord p2 = r2.get("plugins/AnomalyJ_.jar");
        assertEquals(t2, p2.timestamp);
        assertEquals(1, p2.previous.size());
        assertEquals(plugin.checksum, p2.previous.get(0).checksum);
        assertEquals(t1, p2.previous.get(0).timestamp);
        assertEquals(t2, p2.previous.get(0).timestampObsolete);
        assertTrue("the old version stays downloadable", Files.exists(site.resolve("plugins/AnomalyJ_.jar-" + t1)));
        assertTrue(Files.exists(site.resolve("plugins/AnomalyJ_.jar-" + t2)));

        assertNull("the versioned jar replaced the old name", r2.get("jars/onnxruntime-1.23.2.jar"));
        SiteRecord ort = r2.get("jars/onnxruntime-1.24.0.jar");
        assertEquals(t2, ort.timestamp);
        assertEquals("jars/onnxruntime-1.23.2.jar", ort.previous.get(0).filename);
        // identical content under a new name: the jar checksum does not include the path
        assertEquals(r1.get("jars/onnxruntime-1.23.2.jar").checksum, ort.checksum);
        assertEquals("jars/onnxruntime-1.24.0.jar", p2.dependencies.get(0).filename);
        assertEquals(t2, p2.dependencies.get(0).timestamp);

        SiteRecord model = r2.get("models/net.onnx");
        assertEquals("unchanged: same version", t1, model.timestamp);
        assertTrue(model.previous.isEmpty());

        SiteRecord removed = r2.get("models/net.json");
        assertTrue("a dropped file is kept as obsolete", removed.obsolete());
        assertEquals(r1.get("models/net.json").checksum, removed.previous.get(0).checksum);
        assertEquals(t2, removed.previous.get(0).timestampObsolete);
    }

    @Test
    public void versionNumbersAreStrippedLikeTheUpdaterDoes() {
        assertEquals("jars/onnxruntime.jar", UpdateSiteIndex.unversioned("jars/onnxruntime-1.23.2.jar"));
        assertEquals("jars/gson.jar", UpdateSiteIndex.unversioned("jars/gson-2.10.1.jar"));
        assertEquals("jars/x.jar", UpdateSiteIndex.unversioned("jars/x-1.0-SNAPSHOT.jar"));
        assertEquals("plugins/AnomalyJ_.jar", UpdateSiteIndex.unversioned("plugins/AnomalyJ_.jar"));
        assertEquals("models/r-1.0.onnx", UpdateSiteIndex.unversioned("models/r-1.0.onnx"));
    }

    @Test
    public void mainPrintsAndWritesTheIndex() throws Exception {
        Path files = release("v1", "onnxruntime-1.23.2.jar", false);
        Path site = tmp.getRoot().toPath().resolve("site-main");
        java.io.PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true, "UTF-8"));
        try {
            UpdateSiteIndex.main(new String[] {files.toString(), site.toString(), "20261124100000"});
        } finally {
            System.setOut(old);
        }
        String out = buf.toString("UTF-8");
        assertTrue(out, out.contains("plugins/AnomalyJ_.jar-20261124100000"));
        assertEquals(3, PluginRecordsXml.read(site.resolve(UpdateSiteIndex.INDEX)).size());
    }
}
