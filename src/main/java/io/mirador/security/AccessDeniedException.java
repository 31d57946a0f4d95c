package io.mirador.security;

/** A request without a valid key (401), or with a key that may not do what it asks (403). */
public final class AccessDeniedException extends RuntimeException {

    private final boolean authenticated;

    private AccessDeniedException(boolean authenticated, String message) {
        super(message);
        this.authenticated = authenticated;
    }

    static AccessDeniedException unauthorized(String message) {
        return new AccessDeniedException(false, message);
    }

    static AccessDeniedException forbidden(String message) {
        return new AccessDeniedException(true, message);
    }

    /** True for 403 (a known key lacking the right), false for 401 (no valid key). */
    public boolean isAuthenticated() {
        return authenticated;
    }
}
