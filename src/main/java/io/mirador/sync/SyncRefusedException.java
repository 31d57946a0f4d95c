package io.mirador.sync;

/** A sync stopped before changing anything because what it read would remove too much of the catalog. */
public final class SyncRefusedException extends RuntimeException {

    public SyncRefusedException(String message) {
        super(message);
    }
}
