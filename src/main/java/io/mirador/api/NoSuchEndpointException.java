package io.mirador.api;

/** A request to a path under /api that no endpoint serves. */
public final class NoSuchEndpointException extends ApiException {

    /** @param request method and path, as asked */
    public NoSuchEndpointException(String request) {
        super(404, "not_found", "no endpoint answers " + request + "; the endpoints are listed at /api/v1/openapi.json");
    }
}
