package io.mirador.security;

import io.mirador.support.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The configured API keys, known by the SHA-256 of the key (never the key itself), each with a name,
 * a role and the tenants it may reach. Settings: {@code mirador.api-keys=name,other} and, per name,
 * {@code mirador.api-key.<name>.sha256}, {@code .role} (read, sync or admin) and {@code .tenants}
 * (comma-separated ids, or {@code *}).
 */
public final class ApiKeys {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final Map<String, Caller> bySha256;

    private ApiKeys(Map<String, Caller> bySha256) {
        this.bySha256 = Map.copyOf(bySha256);
    }

    public boolean isEmpty() {
        return bySha256.isEmpty();
    }

    public int size() {
        return bySha256.size();
    }

    /**
     * The caller of a request with these headers.
     *
     * @throws AccessDeniedException (401) when keys are configured and the request has none, or an unknown one
     */
    public Caller authenticate(String authorization, String apiKeyHeader) {
        if (bySha256.isEmpty()) {
            return Caller.LOOPBACK;
        }
        String key = apiKeyHeader != null && !apiKeyHeader.isBlank() ? apiKeyHeader.trim() : bearer(authorization);
        if (key == null) {
            throw AccessDeniedException.unauthorized("an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
        }
        Caller caller = bySha256.get(sha256(key));
        if (caller == null) {
            throw AccessDeniedException.unauthorized("the API key is not known");
        }
        return caller;
    }

    /** The key of an {@code Authorization} header: a bearer token, or the password of basic credentials (Hawtio). */
    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String a = authorization.trim();
        if (a.regionMatches(true, 0, "Bearer ", 0, 7) && a.length() > 7) {
            return a.substring(7).trim();
        }
        if (a.regionMatches(true, 0, "Basic ", 0, 6) && a.length() > 6) {
            try {
                String userAndPassword = new String(Base64.getDecoder().decode(a.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = userAndPassword.indexOf(':');
                return colon >= 0 && colon < userAndPassword.length() - 1 ? userAndPassword.substring(colon + 1) : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * The caller a key's name stands for, once the key was checked ({@link #authenticate}).
     *
     * @throws AccessDeniedException (401) when no key has this name
     */
    public Caller named(String name) {
        if (bySha256.isEmpty()) {
            return Caller.LOOPBACK;
        }
        for (Caller c : bySha256.values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw AccessDeniedException.unauthorized("the API key is not known");
    }

    /** Lower-case hex SHA-256 of a key, as the settings hold it. */
    public static String sha256(String key) {
        return HexFormat.of().formatHex(Sha256.of(key));
    }

    /**
     * Reads the keys from settings.
     *
     * @throws IllegalArgumentException naming the setting that is missing or malformed
     */
    public static ApiKeys fromSettings(Function<String, Optional<String>> setting) {
        Map<String, Caller> keys = new LinkedHashMap<>();
        for (String raw : setting.apply("mirador.api-keys").orElse("").split(",")) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            String prefix = "mirador.api-key." + name + ".";
            String hash = setting.apply(prefix + "sha256").orElseThrow(() ->
                    new IllegalArgumentException(prefix + "sha256 is not set: give the SHA-256 (hex) of the key"));
            if (!SHA256_HEX.matcher(hash).matches()) {
                throw new IllegalArgumentException(prefix + "sha256 must be 64 hex digits (the SHA-256 of the key, e.g. "
                        + "from `printf %s KEY | sha256sum`), not the key itself");
            }
            Role role;
            try {
                role = Role.of(setting.apply(prefix + "role").orElse("read"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(prefix + "role: " + e.getMessage());
            }
            Set<String> tenants = new LinkedHashSet<>();
            for (String t : setting.apply(prefix + "tenants").orElse("").split(",")) {
                if (!t.isBlank()) {
                    tenants.add(t.trim());
                }
            }
            if (tenants.isEmpty()) {
                throw new IllegalArgumentException(prefix + "tenants is not set: list the tenant ids the key may reach, or *");
            }
            if (keys.put(hash.toLowerCase(), new Caller(name, role, Set.copyOf(tenants))) != null) {
                throw new IllegalArgumentException(prefix + "sha256 is the same as another key's");
            }
        }
        return new ApiKeys(keys);
    }
}
