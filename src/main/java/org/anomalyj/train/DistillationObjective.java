package org.anomalyj.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.anomalyj.model.stfpm.DcamConfig;

/**
 * What a distillation training minimises, and any training-only parameters it brings: STFPM's loss
 * (none), or DCAM's loss with one {@link ChannelAttention} per layer. {@link StfpmTrainer} runs the
 * same loop, early stopping and checkpoints for both; the objective's parameters are optimised with
 * the student's and checkpointed, but never exported (the bundle holds teacher + student only).
 */
public abstract class DistillationObjective {

    /** STFPM: {@link StfpmLoss}, no extra parameters. */
    public static DistillationObjective stfpm() {
        return new Stfpm();
    }

    /** DCAM: {@link DcamLoss} weighted by channel attention on the student's layers. */
    public static DistillationObjective dcam(DcamConfig config) {
        return new Dcam(config.validate());
    }

    /** "STFPM" or "DCAM": progress lines and messages. */
    public abstract String name();

    /** Creates the objective's own parameters for layers of {@code layerShapes} ({channels, h, w}), seeded. */
    abstract void initialise(NDManager manager, int[][] layerShapes, long seed);

    /** The batch's loss (a scalar) of the student's layers against the teacher's. */
    abstract NDArray loss(NDList teacher, NDList student);

    /** Trainable arrays of the objective by name (prefixed so they cannot clash with the student's); empty for STFPM. */
    Map<String, NDArray> parameters() {
        return Collections.emptyMap();
    }

    /** The objective's parameters as float arrays, for checkpoints. */
    final Map<String, float[]> state() {
        Map<String, float[]> s = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : parameters().entrySet()) {
            s.put(e.getKey(), e.getValue().toFloatArray());
        }
        return s;
    }

    /** Restores {@link #state()} (from a checkpoint named {@code source}). */
    void load(Map<String, float[]> state, String source) {
    }

    /** The objective's settings, for model.json and checkpoints. */
    public abstract JsonObject toJson();

    private static final class Stfpm extends DistillationObjective {
        @Override
        public String name() {
            return "STFPM";
        }

        @Override
        void initialise(NDManager manager, int[][] layerShapes, long seed) {
        }

        @Override
        NDArray loss(NDList teacher, NDList student) {
            return StfpmLoss.loss(teacher, student);
        }

        @Override
        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("loss", "0.5 * squared L2 of channel-normalised features (anomalib's STFPM)");
            return o;
        }
    }

    private static final class Dcam extends DistillationObjective {
        static final String PREFIX = "dcam_attention";
        private final DcamConfig config;
        private final List<ChannelAttention> attention = new ArrayList<>();

        Dcam(DcamConfig config) {
            this.config = config;
        }

        @Override
        public String name() {
            return "DCAM";
        }

        @Override
        void initialise(NDManager manager, int[][] layerShapes, long seed) {
            attention.clear();
            // its own stream, so the student's initial weights are those STFPM starts from with the same seed
            Random random = new Random(seed ^ 0xDCA3L);
            for (int[] shape : layerShapes) {
                attention.add(new ChannelAttention(manager, shape[0], config.reduction, config.attentionFloor, random));
            }
        }

        @Override
        NDArray loss(NDList teacher, NDList student) {
            List<NDArray> weights = new ArrayList<>();
            for (int l = 0; l < student.size(); l++) {
                weights.add(attention.get(l).weights(student.get(l)));
            }
            return DcamLoss.loss(teacher, student, weights, config);
        }

        @Override
        Map<String, NDArray> parameters() {
            Map<String, NDArray> p = new LinkedHashMap<>();
            for (int l = 0; l < attention.size(); l++) {
                p.putAll(attention.get(l).parameters(PREFIX + l + "."));
            }
            return p;
        }

        @Override
        void load(Map<String, float[]> state, String source) {
            for (int l = 0; l < attention.size(); l++) {
                attention.get(l).load(state, PREFIX + l + ".", source);
            }
        }

        @Override
        public JsonObject toJson() {
            JsonObject o = config.toJson();
            o.addProperty("loss", "cosine_weight * channel-wise cosine distance + kl_weight * attention-weighted spatial KL");
            return o;
        }
    }
}
