package io.mirador.security;

import java.util.Locale;

/** What an API key may do; each role includes the ones before it. */
public enum Role {
    /** Search, suggest, metric documents, sync state and status, health. */
    READ,
    /** Also trigger syncs. */
    SYNC,
    /** Also read and change the sync config. */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public static Role of(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a role (read, sync or admin)");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
