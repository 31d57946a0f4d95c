package io.mirador.index;

/** What a tenant's index holds cannot be read: Lucene's checksums failed, or a stored document is not its JSON. */
public final class IndexCorruptedException extends RuntimeException {

    public IndexCorruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
