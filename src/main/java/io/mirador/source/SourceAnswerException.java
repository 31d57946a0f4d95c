package io.mirador.source;

import java.io.IOException;

/**
 * A source answered, but not with a complete, successful answer of the expected shape: a status other
 * than success, {@code isPartial: true}, a body that is not the JSON it should be, or no series for names
 * it listed. Such an answer is a failed read: retried like an unreachable source, never used.
 */
public final class SourceAnswerException extends IOException {

    public SourceAnswerException(String message) {
        super(message);
    }
}
