package org.anomalyj.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.anomalyj.AnomalyJException;
import org.anomalyj.Progress;
import org.anomalyj.model.stfpm.StfpmConfig;
import org.anomalyj.model.stfpm.StudentWeights;
import org.anomalyj.model.stfpm.TeacherGraph;

/**
 * Trains an STFPM student on a {@link DistillationSet}: SGD (DJL's, PyTorch kernels) on a
 * {@link DistillationObjective} (STFPM's loss, or DCAM's with its training-only attention), the
 * batch order reshuffled every epoch, validation loss after every epoch, early stopping after
 * {@code patience} epochs without improvement, and the student of the best epoch returned. After every epoch a {@link Checkpoint} is written when a file is given; a run
 * started with an existing checkpoint continues from it. Cancellable between steps (the last
 * epoch's checkpoint stays).
 */
public final class StfpmTrainer {

    /** The trained student (batch normalisation folded) and what happened, for model.json. */
    public static final class Result {
        public final StudentWeights weights;
        public final JsonObject history;

        Result(StudentWeights weights, JsonObject history) {
            this.weights = weights;
            this.history = history;
        }
    }

    private final TeacherGraph graph;
    private final StfpmConfig config;
    private final int threads;
    private final Path checkpoint;
    private final JsonObject identity;
    private final DistillationObjective objective;

    /**
     * @param threads    PyTorch threads, 0 = all cores
     * @param checkpoint file to write after every epoch and to resume from when it exists; null = none
     * @param identity   what the student is trained for (teacher sha256, layers, input size); a
     *                   checkpoint made for anything else is refused
     */
    public StfpmTrainer(TeacherGraph graph, StfpmConfig config, int threads, Path checkpoint, JsonObject identity) {
        this(graph, config, threads, checkpoint, identity, DistillationObjective.stfpm());
    }

    /** As above, minimising {@code objective} (e.g. {@link DistillationObjective#dcam}); the student is the same. */
    public StfpmTrainer(TeacherGraph graph, StfpmConfig config, int threads, Path checkpoint, JsonObject identity,
            DistillationObjective objective) {
        this.objective = objective;
        this.graph = graph;
        this.config = config.validate();
        this.threads = threads;
        this.checkpoint = checkpoint;
        this.identity = identity;
    }

    public Result train(DistillationSet train, DistillationSet validation, Progress progress) {
        if (train.size() == 0) {
            throw new AnomalyJException(objective.name() + " needs at least one training image; add good images to train/good.");
        }
        EngineAvailability.require(objective.name());
        Engine engine = TrainingEngine.start(threads);
        long t0 = System.nanoTime();
        try (NDManager manager = engine.newBaseManager()) {
            StudentNetwork net = new StudentNetwork(graph, manager, config.seed);
            int[][] shapes = new int[train.layers()][];
            for (int l = 0; l < shapes.length; l++) {
                shapes[l] = train.layerShape(l);
            }
            objective.initialise(manager, shapes, config.seed);
            Map<String, NDArray> parameters = new LinkedHashMap<>(net.parameters());
            parameters.putAll(objective.parameters()); // optimised with the student, checkpointed, never exported
            MomentumSgd sgd = new MomentumSgd(manager, config.learningRate, config.momentum, config.weightDecay);
            JsonArray trainLosses = new JsonArray();
            JsonArray validationLosses = new JsonArray();
            int epoch = 0;
            int bestEpoch = -1;
            double best = Double.POSITIVE_INFINITY;
            int stale = 0;
            boolean finished = false;
            Map<String, float[]> bestState = null;
            java.util.List<String> names = new ArrayList<>(state(net).keySet());
            MomentumSgd.names(parameters.keySet()).forEach(names::add);
            Checkpoint resumed = Checkpoint.load(checkpoint, names);
            if (resumed != null) {
                if (!identity.equals(resumed.state.getAsJsonObject("identity"))) {
                    throw new AnomalyJException("The checkpoint " + checkpoint + " was made for "
                            + resumed.state.getAsJsonObject("identity") + ", not " + identity
                            + "; delete it, or train with the teacher, layers and size it was made with.");
                }
                net.load(resumed.current, checkpoint.toString());
                objective.load(resumed.current, checkpoint.toString());
                sgd.load(resumed.current, parameters);
                bestState = resumed.best.isEmpty() ? null : resumed.best;
                epoch = resumed.state.get("epochs_done").getAsInt();
                bestEpoch = resumed.state.get("best_epoch").getAsInt();
                best = resumed.state.get("best_loss").getAsDouble();
                stale = resumed.state.get("epochs_without_improvement").getAsInt();
                finished = resumed.state.get("finished").getAsBoolean();
                trainLosses = resumed.state.getAsJsonArray("train_loss");
                validationLosses = resumed.state.getAsJsonArray("validation_loss");
            }
            int resumedAt = epoch;
            String stop = finished ? "early stopping (before resuming)" : "max epochs";
            long steps = 0;
            long stepNanos = 0;
            while (!finished && epoch < config.maxEpochs) {
                progress.checkCancelled();
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < train.size(); i++) {
                    order.add(i);
                }
                // seeded per epoch, so a resumed run sees the batches an uninterrupted one would
                Collections.shuffle(order, new Random(config.seed * 1_000_003L + epoch));
                double sum = 0;
                int batches = (train.size() + config.batchSize - 1) / config.batchSize;
                String label = objective.name() + " epoch " + (epoch + 1) + "/" + config.maxEpochs;
                for (int b = 0; b < batches; b++) {
                    progress.checkCancelled();
                    List<Integer> idx = order.subList(b * config.batchSize, Math.min(train.size(), (b + 1) * config.batchSize));
                    long s0 = System.nanoTime();
                    sum += step(engine, manager, net, objective, parameters, sgd, train, idx);
                    stepNanos += System.nanoTime() - s0;
                    steps++;
                    progress.update(label, b + 1, batches);
                }
                double trainLoss = sum / train.size();
                if (!Double.isFinite(trainLoss)) {
                    throw new AnomalyJException(String.format(Locale.ROOT, "%s training diverged (loss %s in epoch %d);"
                            + " train again with a smaller --lr (now %s).", objective.name(), trainLoss, epoch + 1, config.learningRate));
                }
                double validationLoss = validation.size() > 0 ? evaluate(manager, net, objective, validation) : trainLoss;
                trainLosses.add(trainLoss);
                validationLosses.add(validationLoss);
                epoch++;
                if (validationLoss < best) {
                    best = validationLoss;
                    bestEpoch = epoch;
                    bestState = state(net);
                    stale = 0;
                } else {
                    stale++;
                }
                if (config.patience > 0 && stale >= config.patience) {
                    finished = true;
                    stop = "early stopping";
                }
                progress.update(String.format(Locale.ROOT, "%s epoch %d done: train loss %.5f, validation loss %.5f%s",
                        objective.name(), epoch, trainLoss, validationLoss, bestEpoch == epoch ? " (best)" : ""), epoch, config.maxEpochs);
                if (checkpoint != null) {
                    JsonObject state = new JsonObject();
                    state.add("identity", identity);
                    state.addProperty("epochs_done", epoch);
                    state.addProperty("best_epoch", bestEpoch);
                    state.addProperty("best_loss", best);
                    state.addProperty("epochs_without_improvement", stale);
                    state.addProperty("finished", finished); // early-stopped; reaching max epochs can be continued with more
                    state.add("train_loss", trainLosses);
                    state.add("validation_loss", validationLosses);
                    state.add("config", config.toJson());
                    Map<String, float[]> current = state(net);
                    Map<String, float[]> withMomentum = new LinkedHashMap<>(current);
                    withMomentum.putAll(sgd.state()); // the best state is for export only: no momentum there
                    new Checkpoint(state, withMomentum, bestState == null ? current : bestState).save(checkpoint);
                }
            }
            if (bestState != null) {
                net.load(bestState, "the best epoch");
            }
            JsonObject history = new JsonObject();
            history.addProperty("engine", "DJL " + Engine.getDjlVersion() + " / PyTorch " + engine.getVersion());
            history.addProperty("engine_start_seconds", TrainingEngine.startSeconds());
            history.addProperty("epochs_trained", epoch);
            history.addProperty("best_epoch", bestEpoch);
            history.addProperty("best_validation_loss", best);
            history.addProperty("stopped_by", stop);
            if (resumedAt > 0) {
                history.addProperty("resumed_after_epoch", resumedAt);
            }
            history.addProperty("steps", steps);
            history.addProperty("step_ms_mean", steps == 0 ? 0 : stepNanos / 1e6 / steps);
            history.addProperty("seconds", (System.nanoTime() - t0) / 1e9);
            history.addProperty("images_train", train.size());
            history.addProperty("images_validation", validation.size());
            history.addProperty("student_parameters", net.parameterCount());
            history.addProperty("objective", objective.name());
            history.add("objective_settings", objective.toJson());
            history.addProperty("training_only_parameters", parameters.values().stream().mapToLong(NDArray::size).sum()
                    - net.parameterCount());
            history.add("train_loss", trainLosses);
            history.add("validation_loss", validationLosses);
            return new Result(net.exportWeights(), history);
        }
    }

    /** The student's state and the objective's parameters, as one checkpointable map. */
    private Map<String, float[]> state(StudentNetwork net) {
        Map<String, float[]> s = net.state();
        s.putAll(objective.state());
        return s;
    }

    /** One SGD step on a batch; returns the batch's summed loss. Every intermediate array is freed with the step's manager. */
    private static double step(Engine engine, NDManager manager, StudentNetwork net, DistillationObjective objective,
            Map<String, NDArray> parameters,
            MomentumSgd sgd, DistillationSet set, List<Integer> idx) {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = batchInput(step, set, idx);
            NDList teacher = batchTargets(step, set, idx);
            float loss;
            try (GradientCollector collector = engine.newGradientCollector()) {
                NDArray l = objective.loss(teacher, net.forward(x, true));
                collector.backward(l);
                loss = l.getFloat();
            }
            for (Map.Entry<String, NDArray> p : parameters.entrySet()) {
                NDArray grad = p.getValue().getGradient();
                grad.attach(step);
                sgd.update(p.getKey(), p.getValue(), grad);
                grad.subi(grad); // PyTorch accumulates gradients: clear them for the next step
            }
            return loss;
        }
    }

    /** Mean loss per image with the running batch statistics (inference mode), no gradients. */
    static double evaluate(NDManager manager, StudentNetwork net, DistillationObjective objective, DistillationSet set) {
        double sum = 0;
        int batch = 8;
        for (int b = 0; b < set.size(); b += batch) {
            List<Integer> idx = new ArrayList<>();
            for (int i = b; i < Math.min(set.size(), b + batch); i++) {
                idx.add(i);
            }
            try (NDManager step = manager.newSubManager()) {
                sum += objective.loss(batchTargets(step, set, idx), net.forward(batchInput(step, set, idx), false)).getFloat();
            }
        }
        return sum / set.size();
    }

    static NDArray batchInput(NDManager m, DistillationSet set, List<Integer> idx) {
        int per = 3 * set.height() * set.width();
        float[] data = new float[idx.size() * per];
        for (int i = 0; i < idx.size(); i++) {
            System.arraycopy(set.input(idx.get(i)), 0, data, i * per, per);
        }
        return m.create(data, new Shape(idx.size(), 3, set.height(), set.width()));
    }

    static NDList batchTargets(NDManager m, DistillationSet set, List<Integer> idx) {
        NDList out = new NDList();
        for (int l = 0; l < set.layers(); l++) {
            int[] s = set.layerShape(l);
            int per = s[0] * s[1] * s[2];
            float[] data = new float[idx.size() * per];
            for (int i = 0; i < idx.size(); i++) {
                System.arraycopy(set.target(idx.get(i), l), 0, data, i * per, per);
            }
            out.add(m.create(data, new Shape(idx.size(), s[0], s[1], s[2])));
        }
        return out;
    }
}
