package org.anomalyj.cli;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.anomalyj.data.SampleDataGenerator;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Every user error ends in exit code 1 and one sentence naming the file; nothing is overwritten. */
public class CliErrorsTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    static Path category;
    static Path model;

    @BeforeClass
    public static void trainSmallModel() throws Exception {
        Path data = tmp.getRoot().toPath().resolve("data");
        SampleDataGenerator.generate(data, 3);
        try (Stream<Path> s = Files.list(data)) {
            category = s.filter(Files::isDirectory).sorted().findFirst().get();
        }
        model = tmp.getRoot().toPath().resolve("m.zip");
        CliRunner r = CliRunner.run("train", "--data", category.toString(), "--out", model.toString());
        assertEquals(r.err, 0, r.exit);
    }

    static void assertUserError(CliRunner r, String... fragments) {
        assertEquals(r.err, 1, r.exit);
        String[] lines = r.err.trim().split("\n");
        assertTrue("the last line is the error: " + r.err, lines[lines.length - 1].startsWith("error: "));
        assertFalse("no stack trace for user errors: " + r.err, r.err.contains("\tat "));
        for (String f : fragments) {
            assertTrue("'" + f + "' missing in: " + r.err, r.err.contains(f));
        }
    }

    @Test
    public void negativeBlurSigmaIsRefused() {
        assertUserError(CliRunner.run("train", "--data", category.toString(), "--blur-sigma", "-1",
                "--out", tmp.getRoot() + "/x.zip"), "Blur sigma");
    }

    @Test
    public void missingDataFolder() {
        Path missing = tmp.getRoot().toPath().resolve("nowhere");
        assertUserError(CliRunner.run("train", "--data", missing.toString(), "--out", tmp.getRoot() + "/x.zip"),
                missing.toString());
    }

    @Test
    public void emptyDataFolder() throws IOException {
        Path empty = tmp.newFolder("empty").toPath();
        assertUserError(CliRunner.run("train", "--data", empty.toString(), "--out", tmp.getRoot() + "/x.zip"),
                empty.toString());
    }

    @Test
    public void unknownMethodAndMissingBackbone() {
        assertUserError(CliRunner.run("train", "--data", category.toString(), "--method", "magic",
                "--out", tmp.getRoot() + "/x.zip"), "magic");
        assertUserError(CliRunner.run("train", "--data", category.toString(), "--backbone", "no_such_backbone_xyz",
                "--out", tmp.getRoot() + "/x.zip"), "no_such_backbone_xyz", "builtin");
    }

    @Test
    public void corruptBundle() throws IOException {
        Path bad = tmp.getRoot().toPath().resolve("bad.zip");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        assertUserError(CliRunner.run("info", "--model", bad.toString()), bad.toString());
        Path notZip = tmp.getRoot().toPath().resolve("text.zip");
        Files.write(notZip, "hello".getBytes(StandardCharsets.UTF_8));
        assertUserError(CliRunner.run("detect", "--model", notZip.toString(), "--input", category.resolve("test/good").toString(),
                "--out", tmp.getRoot() + "/o"), notZip.toString());
    }

    @Test
    public void bundleFromANewerVersionIsRefused() throws IOException {
        Path newer = tmp.getRoot().toPath().resolve("newer.zip");
        rewriteManifest(model, newer, json -> json.replaceFirst("\"format_version\": \\d+", "\"format_version\": 99"));
        assertUserError(CliRunner.run("info", "--model", newer.toString()), newer.toString(), "newer");
    }

    @Test
    public void bundleWithMismatchedArraysIsRefused() throws IOException {
        Path broken = tmp.getRoot().toPath().resolve("broken.zip");
        rewriteManifest(model, broken, json -> json.replaceFirst("\"method\": \"patchcore\"", "\"method\": \"padim\""));
        assertUserError(CliRunner.run("info", "--model", broken.toString()), broken.toString());
    }

    @Test
    public void truncatedImageIsNamed() throws IOException {
        Path folder = tmp.newFolder("imgs").toPath();
        Path good;
        try (Stream<Path> s = Files.list(category.resolve("test/good"))) {
            good = s.sorted().findFirst().get();
        }
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = folder.resolve("broken.png");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertUserError(CliRunner.run("detect", "--model", model.toString(), "--input", truncated.toString(),
                "--out", tmp.getRoot() + "/o2"), "broken.png");
    }

    @Test
    public void detectIntoTheInputFolderNeverTouchesTheImages() throws IOException {
        Path folder = tmp.newFolder("inplace").toPath();
        try (Stream<Path> s = Files.list(category.resolve("test/good"))) {
            for (Path p : s.sorted().limit(3).collect(Collectors.toList())) {
                Files.copy(p, folder.resolve(p.getFileName()));
            }
        }
        List<byte[]> before = readAll(folder);
        CliRunner r = CliRunner.run("detect", "--model", model.toString(), "--input", folder.toString(),
                "--out", folder.toString());
        assertEquals(r.err, 0, r.exit);
        assertEquals(before.size(), readAll(folder).size());
        List<byte[]> after = readAll(folder);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i));
        }
    }

    @Test
    public void modelFileMustBeAZip() {
        assertUserError(CliRunner.run("train", "--data", category.toString(), "--out", tmp.getRoot() + "/model.png"),
                "model.png");
    }

    private static List<byte[]> readAll(Path folder) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".png") && !p.toString().contains("_")).sorted()
                    .collect(Collectors.toList())) {
                out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }

    interface Edit {
        String apply(String json);
    }

    /** Copies a bundle zip, passing model.json through {@code edit}. */
    static void rewriteManifest(Path from, Path to, Edit edit) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(from));
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                byte[] data = readFully(in);
                if (e.getName().equals("model.json")) {
                    String edited = edit.apply(new String(data, StandardCharsets.UTF_8));
                    assertFalse("edit changed nothing", edited.equals(new String(data, StandardCharsets.UTF_8)));
                    data = edited.getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
        }
    }

    private static byte[] readFully(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int n;
        while ((n = in.read(buf)) > 0) {
            b.write(buf, 0, n);
        }
        return b.toByteArray();
    }

}
