package org.anomalyj;

/**
 * Progress of long work (training, batch detection). Front ends map it to a progress bar or to
 * stderr lines. {@link #isCancelled()} is polled between units of work so that Cancel/Esc stops
 * cleanly.
 */
public interface Progress {
    /** @param done units finished so far, @param total units in this step (0 when unknown) */
    void update(String step, long done, long total);

    default boolean isCancelled() {
        return false;
    }

    /** Throws when the user asked to stop; call between units of work. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancelledException();
        }
    }

    Progress NONE = (step, done, total) -> { };

    /** Thrown by {@link #checkCancelled()}; callers clean up (no half-written files). */
    final class CancelledException extends AnomalyJException {
        private static final long serialVersionUID = 1L;

        public CancelledException() {
            super("Cancelled by the user.");
        }
    }
}
