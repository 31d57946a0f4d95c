package io.mirador.source;

/**
 * A call to a tenant's source failed.
 *
 * @see #status() the HTTP status the source answered, or 0 when it could not be reached
 */
public final class SourceException extends RuntimeException {

    private final int status;

    public SourceException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** VictoriaMetrics answers 422 when a call would return more than {@code -search.maxSeries} series. */
    public boolean isTooManySeries() {
        return status == 422;
    }
}
