package org.anomalyj.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonArray;
import java.nio.file.Path;
import org.anomalyj.Progress;
import org.anomalyj.model.stfpm.DcamConfig;
import org.anomalyj.model.stfpm.TeacherGraph;
import org.anomalyj.model.stfpm.TeacherStudentGraph;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** DCAM through the shared distillation loop on the tiny teacher: it learns, and its attention stays out of the export. */
public class DcamTrainerTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void dcamLossFallsAndTheExportHoldsTeacherAndStudentOnly() throws Exception {
        byte[] teacher = TinyTeacher.build(21);
        TeacherGraph g = TeacherGraph.parse(teacher, StudentNetworkTest.LAYERS, "tiny");
        DistillationSet train = StfpmTrainerTest.set(teacher, 12, 1);
        DistillationSet val = StfpmTrainerTest.set(teacher, 4, 2);
        StfpmTrainer.Result dcam = new StfpmTrainer(g, StfpmTrainerTest.config(12), 1, null, StfpmTrainerTest.identity("a"),
                DistillationObjective.dcam(new DcamConfig())).train(train, val, Progress.NONE);
        JsonArray losses = dcam.history.getAsJsonArray("train_loss");
        double first = losses.get(0).getAsDouble();
        double last = losses.get(losses.size() - 1).getAsDouble();
        assertTrue("DCAM training loss " + first + " -> " + last + " should at least halve", last < 0.5 * first);
        assertEquals("DCAM", dcam.history.get("objective").getAsString());
        // two layers (8 and 12 channels, hidden width 1 each): w1 8 + b1 1 + w2 8 + b2 8, w1 12 + b1 1 + w2 12 + b2 12
        assertEquals(25 + 37, dcam.history.get("training_only_parameters").getAsLong());

        StfpmTrainer.Result stfpm = new StfpmTrainer(g, StfpmTrainerTest.config(1), 1, null, StfpmTrainerTest.identity("a"))
                .train(train, val, Progress.NONE);
        assertEquals(stfpm.weights.weights().keySet(), dcam.weights.weights().keySet());
        OnnxMl.GraphProto a = OnnxMl.ModelProto.parseFrom(TeacherStudentGraph.build(g, dcam.weights)).getGraph();
        OnnxMl.GraphProto b = OnnxMl.ModelProto.parseFrom(TeacherStudentGraph.build(g, stfpm.weights)).getGraph();
        assertEquals(b.getNodeCount(), a.getNodeCount());
        assertEquals(b.getInitializerCount(), a.getInitializerCount());
        for (OnnxMl.TensorProto init : a.getInitializerList()) {
            assertTrue(init.getName(), !init.getName().contains("dcam"));
        }
    }

    @Test
    public void resumingRestoresTheAttentionToo() throws Exception {
        byte[] teacher = TinyTeacher.build(22);
        TeacherGraph g = TeacherGraph.parse(teacher, StudentNetworkTest.LAYERS, "tiny");
        DistillationSet train = StfpmTrainerTest.set(teacher, 8, 3);
        DistillationSet val = StfpmTrainerTest.set(teacher, 2, 4);
        Path ckpt = tmp.getRoot().toPath().resolve("dcam.ckpt");
        StfpmTrainer.Result straight = new StfpmTrainer(g, StfpmTrainerTest.config(3), 1, null, StfpmTrainerTest.identity("a"),
                DistillationObjective.dcam(new DcamConfig())).train(train, val, Progress.NONE);
        new StfpmTrainer(g, StfpmTrainerTest.config(2), 1, ckpt, StfpmTrainerTest.identity("a"),
                DistillationObjective.dcam(new DcamConfig())).train(train, val, Progress.NONE);
        Checkpoint saved = Checkpoint.load(ckpt, java.util.Arrays.asList("dcam_attention0.w1", "dcam_attention1.w2"));
        assertEquals(2, saved.current.size());
        StfpmTrainer.Result resumed = new StfpmTrainer(g, StfpmTrainerTest.config(3), 1, ckpt, StfpmTrainerTest.identity("a"),
                DistillationObjective.dcam(new DcamConfig())).train(train, val, Progress.NONE);
        assertEquals(2, resumed.history.get("resumed_after_epoch").getAsInt());
        // epochs 1-2 are the same run; epoch 3 restarts the momentum only, so it lands close to the uninterrupted run
        JsonArray a = straight.history.getAsJsonArray("train_loss");
        JsonArray b = resumed.history.getAsJsonArray("train_loss");
        assertEquals(a.get(1).getAsDouble(), b.get(1).getAsDouble(), 1e-9);
    }
}
