package io.mirador.index;

/** A tenant's index cannot answer now: it was found corrupt, moved aside and is being rebuilt from the source. */
public final class IndexUnavailableException extends RuntimeException {

    public IndexUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
