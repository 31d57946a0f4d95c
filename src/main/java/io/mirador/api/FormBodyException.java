package io.mirador.api;

/** A request body sent as an HTML form; the API reads JSON only. */
public final class FormBodyException extends ApiException {

    public FormBodyException(String message) {
        super(415, "bad_data", message);
    }
}
