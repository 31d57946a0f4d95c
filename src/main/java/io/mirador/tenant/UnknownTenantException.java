package io.mirador.tenant;

/** A request named a tenant that is not configured (or not a valid tenant id). */
public final class UnknownTenantException extends RuntimeException {

    public UnknownTenantException(String message) {
        super(message);
    }
}
