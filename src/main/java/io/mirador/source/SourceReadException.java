package io.mirador.source;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A call to a source that did not bring a usable answer: the source could not be reached, reset or stalled, cut
 * its answer short, or answered what the reader refused ({@link SourceAnswerException}). Its cause is the
 * {@link IOException}, which the routes' retry policy matches.
 */
public final class SourceReadException extends UncheckedIOException {

    public SourceReadException(String message, IOException cause) {
        super(message, cause);
    }
}
