package org.anomalyj.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.model.stfpm.StfpmConfig;
import org.anomalyj.model.stfpm.TeacherGraph;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class StfpmTrainerTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static final int H = 16;
    static final int W = 16;

    /** Smooth random images (so a small CNN can learn them) and the tiny teacher's outputs for them. */
    static DistillationSet set(byte[] teacher, int n, long seed) throws Exception {
        DistillationSet set = new DistillationSet(H, W, new int[][] {{8, H / 2, W / 2}, {12, H / 4, W / 4}});
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            float[] img = new float[3 * H * W];
            double fx = 0.2 + 0.3 * r.nextDouble();
            double fy = 0.2 + 0.3 * r.nextDouble();
            for (int c = 0; c < 3; c++) {
                double phase = r.nextDouble() * 6;
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        img[(c * H + y) * W + x] = (float) Math.sin(fx * x + fy * y + phase);
                    }
                }
            }
            List<float[]> out = OrtRunner.run(teacher, "x", img, new long[] {1, 3, H, W}, StudentNetworkTest.LAYERS);
            set.add(img, new float[][] {out.get(0), out.get(1)});
        }
        return set;
    }

    /** Batch 4, lr 0.1, no early stopping: what the tiny-teacher trainings use. */
    static StfpmConfig config(int epochs) {
        StfpmConfig c = new StfpmConfig();
        c.maxEpochs = epochs;
        c.batchSize = 4;
        c.patience = 0;
        c.learningRate = 0.1f;
        return c;
    }

    static JsonObject identity(String sha) {
        JsonObject o = new JsonObject();
        o.addProperty("teacher_sha256", sha);
        return o;
    }

    @Test
    public void lossDecreasesAndEarlyStoppingKeepsTheBestEpoch() throws Exception {
        byte[] teacher = TinyTeacher.build(11);
        TeacherGraph g = TeacherGraph.parse(teacher, StudentNetworkTest.LAYERS, "tiny");
        StfpmConfig c = config(12);
        StfpmTrainer.Result r = new StfpmTrainer(g, c, 1, null, identity("a"))
                .train(set(teacher, 12, 1), set(teacher, 4, 2), Progress.NONE);
        JsonArray train = r.history.getAsJsonArray("train_loss");
        assertEquals(12, train.size());
        double first = train.get(0).getAsDouble();
        double last = train.get(11).getAsDouble();
        assertTrue("training loss " + first + " -> " + last + " should at least halve", last < 0.5 * first);
        JsonArray val = r.history.getAsJsonArray("validation_loss");
        double min = Double.POSITIVE_INFINITY;
        int argmin = -1;
        for (int i = 0; i < val.size(); i++) {
            if (val.get(i).getAsDouble() < min) {
                min = val.get(i).getAsDouble();
                argmin = i + 1;
            }
        }
        assertEquals(argmin, r.history.get("best_epoch").getAsInt());
        assertEquals(min, r.history.get("best_validation_loss").getAsDouble(), 1e-12);
        assertEquals(5, r.weights.weights().size());
    }

    @Test
    public void resumesFromItsCheckpointAndRefusesAnotherTeachers() throws Exception {
        byte[] teacher = TinyTeacher.build(12);
        TeacherGraph g = TeacherGraph.parse(teacher, StudentNetworkTest.LAYERS, "tiny");
        DistillationSet train = set(teacher, 8, 3);
        DistillationSet val = set(teacher, 2, 4);
        Path ckpt = tmp.getRoot().toPath().resolve("stfpm.ckpt");
        StfpmConfig c = config(2);
        new StfpmTrainer(g, c, 1, ckpt, identity("a")).train(train, val, Progress.NONE);
        assertTrue(Files.exists(ckpt));
        c.maxEpochs = 4;
        StfpmTrainer.Result resumed = new StfpmTrainer(g, c, 1, ckpt, identity("a")).train(train, val, Progress.NONE);
        assertEquals(2, resumed.history.get("resumed_after_epoch").getAsInt());
        assertEquals(4, resumed.history.get("epochs_trained").getAsInt());
        assertEquals(4, resumed.history.getAsJsonArray("train_loss").size());
        assertEquals(4, resumed.history.get("steps").getAsInt()); // only epochs 3 and 4 (2 steps each) ran
        try {
            new StfpmTrainer(g, c, 1, ckpt, identity("b")).train(train, val, Progress.NONE);
            fail("a checkpoint of another teacher must be refused");
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(ckpt.toString()));
        }
    }

    /**
     * A run interrupted after epoch 2 and resumed continues exactly as an uninterrupted run: same
     * batches (seeded per epoch), same weights and running statistics, and the same momentum
     * (checkpointed with the optimiser's velocities), so epochs 3 and 4 have the same losses.
     */
    @Test
    public void aResumedRunContinuesAsAnUninterruptedOne() throws Exception {
        byte[] teacher = TinyTeacher.build(14);
        TeacherGraph g = TeacherGraph.parse(teacher, StudentNetworkTest.LAYERS, "tiny");
        DistillationSet train = set(teacher, 8, 5);
        DistillationSet val = set(teacher, 2, 6);
        StfpmConfig c = config(4);
        JsonArray straight = new StfpmTrainer(g, c, 1, null, identity("a")).train(train, val, Progress.NONE)
                .history.getAsJsonArray("train_loss");
        Path ckpt = tmp.getRoot().toPath().resolve("resume.ckpt");
        c.maxEpochs = 2;
        new StfpmTrainer(g, c, 1, ckpt, identity("a")).train(train, val, Progress.NONE);
        c.maxEpochs = 4;
        JsonArray resumed = new StfpmTrainer(g, c, 1, ckpt, identity("a")).train(train, val, Progress.NONE)
                .history.getAsJsonArray("train_loss");
        for (int e = 0; e < 4; e++) {
            double a = straight.get(e).getAsDouble();
            double b = resumed.get(e).getAsDouble();
            assertEquals("epoch " + (e + 1), a, b, 1e-6 * Math.abs(a));
        }
        assertTrue("the momentum mattered: later epochs differ from the first", straight.get(3).getAsDouble()
                != straight.get(2).getAsDouble());
    }

    @Test
    public void cancellingKeepsTheLastEpochsCheckpoint() throws Exception {
        byte[] teacher = TinyTeacher.build(13);
        TeacherGraph g = TeacherGraph.parse(teacher, StudentNetworkTest.LAYERS, "tiny");
        Path ckpt = tmp.getRoot().toPath().resolve("c.ckpt");
        StfpmConfig c = new StfpmConfig();
        c.maxEpochs = 5;
        c.batchSize = 2;
        c.patience = 0;
        int[] updates = {0};
        Progress cancelInEpochTwo = new Progress() {
            @Override
            public void update(String step, long done, long total) {
                updates[0]++;
            }

            @Override
            public boolean isCancelled() {
                return updates[0] > 6; // epoch 1 = 4 steps + 1 epoch line; cancelled during epoch 2
            }
        };
        try {
            new StfpmTrainer(g, c, 1, ckpt, identity("a")).train(set(teacher, 8, 5), set(teacher, 2, 6), cancelInEpochTwo);
            fail("expected cancellation");
        } catch (Progress.CancelledException expected) {
            // the checkpoint after epoch 1 is intact
        }
        Checkpoint saved = Checkpoint.load(ckpt, java.util.Collections.<String>emptyList());
        assertEquals(1, saved.state.get("epochs_done").getAsInt());
    }

    @Test
    public void aCheckpointThatCannotBeWrittenIsAUserErrorNamingTheFile() throws Exception {
        byte[] teacher = TinyTeacher.build(14);
        TeacherGraph g = TeacherGraph.parse(teacher, StudentNetworkTest.LAYERS, "tiny");
        Path notAFolder = tmp.newFile("plain-file").toPath();
        Path ckpt = notAFolder.resolve("c.ckpt"); // its "folder" is a file: the write fails like a full disk
        StfpmConfig c = new StfpmConfig();
        c.maxEpochs = 1;
        c.batchSize = 4;
        try {
            new StfpmTrainer(g, c, 1, ckpt, identity("a")).train(set(teacher, 4, 7), set(teacher, 1, 8), Progress.NONE);
            fail("expected a user error");
        } catch (AnomalyJException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(ckpt.toString()));
            assertTrue(e.getMessage(), e.getMessage().contains("previous checkpoint is kept"));
        }
    }
}
