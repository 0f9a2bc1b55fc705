package org.anomalyj.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import ij.Macro;
import java.awt.GraphicsEnvironment;
import org.anomalyj.AnomalyJException;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/** Headless, the dialog's fields come from the macro options with ImageJ's keys and defaults. */
public class PluginDialogTest {
    private String threadName;

    @Before
    public void macroThread() {
        Assume.assumeTrue(GraphicsEnvironment.isHeadless());
        threadName = Thread.currentThread().getName();
        // ImageJ only hands options to threads whose name starts with "Run$_" (as IJ.run does).
        Thread.currentThread().setName("Run$_" + threadName);
    }

    @After
    public void restore() {
        Macro.setOptions(null);
        if (threadName != null) {
            Thread.currentThread().setName(threadName);
        }
    }

    private static PluginDialog dialog() {
        PluginDialog gd = new PluginDialog("Test");
        gd.addFile("Model", "default.zip");
        gd.addNumber("Min_area", 1, 0, "pixels");
        gd.addChoice("Method", new String[] {"patchcore", "padim"}, "patchcore");
        gd.addMessage("ignored");
        gd.addCheckbox("Mask", false);
        gd.addCheckbox("Anomaly_map", true);
        gd.addFolder("Output", "");
        return gd;
    }

    @Test
    public void readsKeysBracketsAndCheckboxes() {
        Macro.setOptions("model=[/data/my model.zip] min_area=25 method=padim mask");
        PluginDialog gd = dialog();
        assertTrue(gd.show());
        assertEquals("/data/my model.zip", gd.nextString());
        assertEquals(25, gd.nextNumber(), 0);
        assertEquals("padim", gd.nextChoice());
        assertTrue("mask given", gd.nextBoolean());
        assertFalse("a checkbox not named in a macro is off, as in ImageJ", gd.nextBoolean());
        assertEquals("", gd.nextString());
    }

    @Test
    public void missingKeysKeepDefaultsAndBadValuesAreClear() {
        Macro.setOptions("output=/tmp/out");
        PluginDialog gd = dialog();
        gd.show();
        assertEquals("default.zip", gd.nextString());
        assertEquals(1, gd.nextNumber(), 0);
        assertEquals("patchcore", gd.nextChoice());
        gd.nextBoolean();
        gd.nextBoolean();
        assertEquals("/tmp/out", gd.nextString());

        Macro.setOptions("method=knn");
        try {
            dialog().show();
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("patchcore, padim"));
        }
        Macro.setOptions("min_area=many");
        PluginDialog bad = dialog();
        bad.show();
        bad.nextString();
        try {
            bad.nextNumber();
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'many' is not a number"));
        }
    }

    @Test
    public void noOptionsHeadlessIsAClearError() {
        Macro.setOptions(null);
        try {
            dialog().show();
            fail();
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("headless"));
        }
    }
}
