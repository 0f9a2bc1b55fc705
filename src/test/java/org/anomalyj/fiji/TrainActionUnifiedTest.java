package org.anomalyj.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.api.ModelBundle;
import org.anomalyj.api.TrainOptions;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The Fiji Train action with the unified checkbox: the committed sample-data folder is a root of two categories. */
public class TrainActionUnifiedTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static TrainOptions unified() {
        TrainOptions o = new TrainOptions();
        o.size = 64;
        o.unified = true;
        return o;
    }

    @Test
    public void unifiedTrainsOneBundleOnEveryCategory() {
        Path out = tmp.getRoot().toPath().resolve("all.zip");
        ModelBundle b = TrainAction.train(Paths.get("sample-data"), out, unified(), null, 0, Progress.NONE);
        assertTrue(Files.isRegularFile(out));
        assertTrue(b.training().get("unified").getAsBoolean());
        assertEquals("[\"grain\",\"weave\"]", b.training().getAsJsonArray("categories").toString());
        assertEquals(27 + 27, b.training().get("images_fit").getAsInt());
    }

    @Test
    public void unifiedOnOneCategoryNamesTheFolderAndWritesNothing() {
        Path out = tmp.getRoot().toPath().resolve("grain.zip");
        Path grain = Paths.get("sample-data", "grain");
        try {
            TrainAction.train(grain, out, unified(), null, 0, Progress.NONE);
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(grain.toString()));
        }
        assertFalse(Files.exists(out));
    }
}
