package org.anomalyj;

/**
 * An error the user can cause and fix (missing folder, unreadable image, mismatched bundle...).
 * The message is one sentence that names the file and says what to do; front ends show only the
 * message, never a stack trace.
 */
public class AnomalyJException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AnomalyJException(String message) {
        super(message);
    }

    public AnomalyJException(String message, Throwable cause) {
        super(message, cause);
    }
}
