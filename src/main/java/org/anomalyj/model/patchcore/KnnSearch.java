package org.anomalyj.model.patchcore;

import java.util.Locale;
import org.anomalyj.AnomalyJException;

/**
 * How PatchCore finds each patch's nearest memory entry at detection time.
 * The process-wide choice comes from the system property {@code anomalyj.knn} (the command
 * line's {@code --knn} sets it).
 */
public enum KnnSearch {
    /** Exact brute-force search over the full embedding. */
    EXACT,
    /**
     * Candidates from the bank's principal subspace, re-ranked exactly (see
     * {@link ProjectedBankSearch}); exact search where the embedding is already small.
     */
    FAST;

    /** System property holding the default ("exact" or "fast"). */
    public static final String PROPERTY = "anomalyj.knn";
    /**
     * The default when the property is not set. Exact, until FAST (measured on Magnetic Tile with
     * ResNet50v2 only: AUROC within 0.02 points, head 3x faster) is checked on other data and backbones.
     */
    public static final KnnSearch DEFAULT = EXACT;

    public static KnnSearch parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AnomalyJException("Unknown k-NN search '" + s + "'; use exact or fast.");
        }
    }

    /** The process-wide choice: {@link #PROPERTY}, else {@link #DEFAULT}. */
    public static KnnSearch current() {
        String s = System.getProperty(PROPERTY);
        return s == null || s.isEmpty() ? DEFAULT : parse(s);
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
