package org.anomalyj.cli;

import org.anomalyj.model.patchcore.KnnSearch;
import picocli.CommandLine.Option;

/** {@code --knn exact|fast}: PatchCore's nearest-neighbour search at detection time. */
final class KnnOptionMixin {
    @Option(names = "--knn",
            description = "PatchCore nearest-neighbour search when scoring: exact (brute force) or fast (candidates from the "
                    + "memory bank's 64-dimensional principal subspace (half the embedding's when narrower), 8 per patch, re-ranked exactly; see docs/performance.md) "
                    + "(default: fast).")
    String knn;

    /** Makes the choice the process-wide one (when given). */
    void apply() {
        if (knn != null) {
            System.setProperty(KnnSearch.PROPERTY, KnnSearch.parse(knn).id());
        }
    }
}
