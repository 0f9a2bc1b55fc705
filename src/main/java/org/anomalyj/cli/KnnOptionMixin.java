package org.anomalyj.cli;

import org.anomalyj.model.patchcore.KnnSearch;
import picocli.CommandLine.Option;

/** {@code --knn exact|fast|brute}: PatchCore's nearest-neighbour search at detection time. */
final class KnnOptionMixin {
    @Option(names = "--knn",
            description = "PatchCore nearest-neighbour search when scoring: exact (default; candidates from the memory bank's "
                    + "64-dimensional principal subspace (half the embedding's when narrower), 8 per patch, re-ranked with full distances, "
                    + "the winner certified by a distance bound, brute force for the patches it cannot certify: brute force's result), "
                    + "fast (the same candidates, not certified) or brute (every patch against every entry); see docs/performance.md.")
    String knn;

    /** Makes the choice the process-wide one (when given). */
    void apply() {
        if (knn != null) {
            System.setProperty(KnnSearch.PROPERTY, KnnSearch.parse(knn).id());
        }
    }
}
