package io.mirador.security;

import java.util.Set;

/**
 * Who sent a request: the API key's name, role and tenants; without configured keys, anyone on loopback.
 *
 * @param tenants the tenant ids the key may reach, or {@code *} for all
 */
public record Caller(String name, Role role, Set<String> tenants) {

    /** Everyone, when no keys are configured (the server then listens on loopback only). */
    public static final Caller LOOPBACK = new Caller("loopback", Role.ADMIN, Set.of("*"));

    public boolean reaches(String tenantId) {
        return tenants.contains("*") || tenants.contains(tenantId);
    }

    /** Refuses with 403 unless this caller has {@code role} on {@code tenantId}. */
    public void require(Role needed, String tenantId) {
        require(needed);
        if (!reaches(tenantId)) {
            throw AccessDeniedException.forbidden("key '" + name + "' may not reach tenant '" + tenantId + "'");
        }
    }

    /** Refuses with 403 unless this caller has {@code role} on every tenant. */
    public void requireAllTenants(Role needed) {
        require(needed);
        if (!tenants.contains("*")) {
            throw AccessDeniedException.forbidden("key '" + name + "' is limited to some tenants; this needs a key for all (*)");
        }
    }

    public void require(Role needed) {
        if (!role.includes(needed)) {
            throw AccessDeniedException.forbidden("key '" + name + "' has role " + role.id() + "; this needs " + needed.id());
        }
    }
}
