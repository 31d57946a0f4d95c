package io.mirador.state;

/** The state store could not keep a record: what was asked of it did not happen. */
public final class StateStoreException extends RuntimeException {

    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
