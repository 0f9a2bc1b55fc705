package org.anomalyj.train;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.anomalyj.AnomalyJException;
import org.anomalyj.io.ArrayStore;
import org.anomalyj.io.BundleReader;
import org.anomalyj.io.BundleWriter;
import org.anomalyj.io.NpyArray;

/**
 * Training state after an epoch, written atomically (temp file + rename, as bundles are): if
 * writing fails (disk full, interrupted) the previous checkpoint stays whole. Holds the student's
 * current and best-so-far parameters and running statistics as {@code .npy} arrays plus
 * {@code state.json} (epoch, losses, early-stopping counter, and what the student was made for:
 * teacher sha256, layers, input size, so a checkpoint is never resumed with another teacher).
 * The optimiser's momentum is not stored: a resumed run restarts it from zero.
 */
public final class Checkpoint {
    static final String STATE = "state.json";
    static final String CURRENT = "current_";
    static final String BEST = "best_";

    /** What the checkpoint says about the run (state.json). */
    public final JsonObject state;
    public final Map<String, float[]> current;
    public final Map<String, float[]> best;

    public Checkpoint(JsonObject state, Map<String, float[]> current, Map<String, float[]> best) {
        this.state = state;
        this.current = current;
        this.best = best;
    }

    /** Writes atomically; a failure is a user error that says the previous checkpoint is kept. */
    public void save(Path file) {
        try {
            BundleWriter w = new BundleWriter();
            w.putText(STATE, state.toString());
            put(w.arrays(), CURRENT, current);
            put(w.arrays(), BEST, best);
            w.commit(file);
        } catch (RuntimeException e) {
            throw new AnomalyJException("Could not write the training checkpoint " + file + " (" + e.getMessage()
                    + "); the previous checkpoint is kept: free disk space and run the same command to resume.", e);
        }
    }

    private static void put(ArrayStore store, String prefix, Map<String, float[]> arrays) {
        for (Map.Entry<String, float[]> e : arrays.entrySet()) {
            store.put(prefix + e.getKey(), NpyArray.ofFloats(e.getValue(), e.getValue().length));
        }
    }

    /** Null when {@code file} does not exist. */
    public static Checkpoint load(Path file, Iterable<String> names) {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        try (BundleReader r = BundleReader.open(file)) {
            JsonObject state = JsonParser.parseString(r.text(STATE)).getAsJsonObject();
            return new Checkpoint(state, get(r.arrays(), CURRENT, names), get(r.arrays(), BEST, names));
        } catch (AnomalyJException e) {
            throw new AnomalyJException("The training checkpoint " + file + " cannot be read (" + e.getMessage()
                    + "); delete it to start training afresh.", e);
        } catch (RuntimeException e) {
            throw new AnomalyJException("The training checkpoint " + file + " is damaged (" + e
                    + "); delete it to start training afresh.", e);
        }
    }

    private static Map<String, float[]> get(ArrayStore store, String prefix, Iterable<String> names) {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (String n : names) {
            if (store.contains(prefix + n)) {
                m.put(n, store.get(prefix + n).floats());
            }
        }
        return m;
    }
}
