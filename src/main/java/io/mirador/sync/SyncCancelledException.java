package io.mirador.sync;

/** A sync stopped at a batch boundary because it was cancelled (the service is stopping). */
public final class SyncCancelledException extends RuntimeException {

    public SyncCancelledException(String message) {
        super(message);
    }
}
