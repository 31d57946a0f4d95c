package io.mirador.api;

import io.mirador.state.SyncStatus;

/** A request the API refuses, with the HTTP status and the Prometheus-style {@code errorType} to answer. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String errorType;
    private final SyncStatus syncStatus;

    public ApiException(int status, String errorType, String message) {
        this(status, errorType, message, null);
    }

    public ApiException(int status, String errorType, String message, SyncStatus syncStatus) {
        super(message);
        this.status = status;
        this.errorType = errorType;
        this.syncStatus = syncStatus;
    }

    public static ApiException badData(String message) {
        return new ApiException(400, "bad_data", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public int status() {
        return status;
    }

    public String errorType() {
        return errorType;
    }

    /** The sync this error is about, if any. */
    public SyncStatus syncStatus() {
        return syncStatus;
    }
}
