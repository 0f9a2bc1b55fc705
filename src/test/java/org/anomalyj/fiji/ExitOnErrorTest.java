package org.anomalyj.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.anomalyj.AnomalyJException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Headless batch runs can ask for a failing exit code on user errors (-Danomalyj.exitOnError=true). */
public class ExitOnErrorTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Child JVM: one failing command, then a line that must not be reached. */
    public static void main(String[] args) {
        UserErrors.run("Detect Anomalies", () -> {
            throw new AnomalyJException("The model x.zip does not exist; choose a model bundle (.zip).");
        });
        System.out.println("REACHED THE END");
    }

    private String run(boolean exitOnError, int expectedExit) throws Exception {
        Path log = tmp.newFile().toPath();
        Process p = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-D" + UserErrors.EXIT_ON_ERROR + "=" + exitOnError,
                "-cp", System.getProperty("java.class.path"), ExitOnErrorTest.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        assertEquals(out, expectedExit, p.exitValue());
        assertTrue(out, out.contains("Detect Anomalies failed: The model x.zip does not exist"));
        return out;
    }

    @Test
    public void exitCodeOneWhenAsked() throws Exception {
        String out = run(true, 1);
        assertTrue(out, !out.contains("REACHED THE END"));
    }

    @Test
    public void otherwiseLoggedAndTheProgramGoesOn() throws Exception {
        String out = run(false, 0);
        assertTrue(out, out.contains("REACHED THE END"));
    }
}
