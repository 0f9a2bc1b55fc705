package org.anomalyj.model.patchcore;

import java.util.Locale;
import org.anomalyj.AnomalyJException;

/**
 * How PatchCore finds each patch's nearest memory entry at detection time.
 * The process-wide choice comes from the system property {@code anomalyj.knn} (the command
 * line's {@code --knn} sets it).
 */
public enum KnnSearch {
    /**
     * The exact nearest entry: candidates from the bank's principal subspace whose winner is
     * certified exact by a distance bound, and brute force for the queries it cannot certify
     * (see {@link ProjectedBankSearch}); brute force where the bank is small.
     */
    EXACT,
    /**
     * Candidates from the bank's principal subspace, re-ranked exactly, not certified (see
     * {@link ProjectedBankSearch}): occasionally a slightly farther entry; brute force where the
     * bank is small.
     */
    FAST,
    /** Every query against every entry over the full embedding. */
    BRUTE;

    /** System property holding the default ("exact", "fast" or "brute"). */
    public static final String PROPERTY = "anomalyj.knn";
    /** The default when the property is not set: exact results (scores equal brute force's). */
    public static final KnnSearch DEFAULT = EXACT;

    public static KnnSearch parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AnomalyJException("Unknown k-NN search '" + s + "'; use exact, fast or brute.");
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
