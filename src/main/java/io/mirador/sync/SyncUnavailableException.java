package io.mirador.sync;

/** A sync cannot start or be handed over now (the shared catalog cannot be read, no replica holds the syncs); try again. */
public final class SyncUnavailableException extends RuntimeException {

    public SyncUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
