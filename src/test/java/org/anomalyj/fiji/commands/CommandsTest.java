package org.anomalyj.fiji.commands;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** The SciJava commands through a CommandService in a Context, found by the annotation index. */
public class CommandsTest {
    private static final File GRAIN = new File("sample-data/grain");
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();
    private static Context context;
    private static CommandService commands;
    private static File model;

    @BeforeClass
    public static void setUp() throws Exception {
        Assume.assumeTrue(GRAIN.isDirectory());
        context = new Context(CommandService.class);
        commands = context.service(CommandService.class);
        model = new File(tmp.getRoot(), "grain.zip");
        CommandModule train = commands.run(TrainAnomalyModelCommand.class, true, "data", GRAIN, "method", "patchcore",
                "backbone", "builtin", "size", 128, "coreset", 0.1, "seed", 42L, "output", model).get();
        assertTrue(model.isFile());
        assertTrue((Double) train.getOutput("imageThreshold") > 0);
    }

    @AfterClass
    public static void tearDown() {
        if (context != null) {
            context.dispose();
        }
    }

    @Test
    public void commandsAreIndexedWithoutMenuPaths() {
        for (Class<?> c : new Class<?>[] {DetectAnomaliesCommand.class, TrainAnomalyModelCommand.class,
                EvaluateAnomalyModelCommand.class, AnomalyModelInfoCommand.class}) {
            CommandInfo info = commands.getCommand(c.getName());
            assertNotNull("in the plugin index: " + c, info);
            assertTrue("no menu entry (plugins.config has it): " + c,
                    info.getMenuPath() == null || info.getMenuPath().isEmpty());
        }
    }

    @Test
    public void detectOnADefectiveImage() throws Exception {
        ImagePlus imp = IJ.openImage(new File(GRAIN, "test/scratch/001.png").getPath());
        CommandModule m = commands.run(DetectAnomaliesCommand.class, true, "image", imp, "model", model,
                "threshold", Double.NaN, "opacity", 40.0, "minArea", 1).get();
        ResultsTable table = (ResultsTable) m.getOutput("table");
        assertEquals(1, table.size());
        assertEquals("defective", m.getOutput("verdict"));
        assertEquals(table.getValue("score", 0), (Double) m.getOutput("score"), 1e-12);
        int regions = (Integer) m.getOutput("regions");
        assertTrue(regions >= 1);
        assertEquals(regions + 1, imp.getOverlay().size());
    }

    @Test
    public void infoAndEvaluate() throws Exception {
        String info = (String) commands.run(AnomalyModelInfoCommand.class, true, "model", model).get().getOutput("info");
        assertTrue(info, info.contains("patchcore"));
        CommandModule ev = commands.run(EvaluateAnomalyModelCommand.class, true, "model", model, "data", GRAIN).get();
        assertTrue((Double) ev.getOutput("imageAuroc") > 0.5);
    }

    @Test
    public void theIndexIsInTheClassesFolder() throws Exception {
        // what the plugin jar carries: written at compile time by scijava-common's annotation processor
        String index = new String(Files.readAllBytes(Paths.get("target/classes/META-INF/json/org.scijava.plugin.Plugin")),
                StandardCharsets.UTF_8);
        assertTrue(index, index.contains(DetectAnomaliesCommand.class.getName()));
    }
}
