package io.mirador.index;

/** What a user typed cannot be read as a query; the message says what and where. */
public final class QuerySyntaxException extends RuntimeException {

    public QuerySyntaxException(String message) {
        super(message);
    }
}
