package io.mirador.tenant;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The configured tenants, read once at start from settings of the form
 * {@code mirador.tenants=a,b} and {@code mirador.tenant.<id>.<field>} (see application.properties).
 */
public final class Tenants {

    /** Letters, digits, '-', '_', '.', ':'; at most 128 characters; never "." or "..". */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d+(:\\d+)?");

    private final Map<String, Tenant> byId;

    public Tenants(Collection<Tenant> tenants) {
        Map<String, Tenant> map = new LinkedHashMap<>();
        for (Tenant t : tenants) {
            map.put(t.id(), t);
        }
        this.byId = Map.copyOf(map);
    }

    /** Whether {@code id} is a well-formed tenant id, safe to use as a directory name. */
    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }

    /** The tenant with this id; an unknown or malformed id is an {@link UnknownTenantException}. */
    public Tenant get(String id) {
        Tenant t = isValidId(id) ? byId.get(id) : null;
        if (t == null) {
            throw new UnknownTenantException("unknown tenant '" + abbreviate(id) + "'");
        }
        return t;
    }

    public Collection<Tenant> all() {
        return byId.values();
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    /**
     * Reads the tenants from settings.
     *
     * @param setting looks a setting up by its full name
     * @throws IllegalArgumentException naming the setting that is missing or malformed
     */
    public static Tenants fromSettings(Function<String, Optional<String>> setting) {
        String list = setting.apply("mirador.tenants").orElse("default");
        Map<String, Tenant> tenants = new LinkedHashMap<>();
        for (String raw : list.split(",")) {
            String id = raw.trim();
            if (id.isEmpty()) {
                continue;
            }
            if (!isValidId(id)) {
                throw new IllegalArgumentException("mirador.tenants: '" + id
                        + "' is not a valid tenant id (letters, digits, '-', '_', '.', ':', at most 128)");
            }
            String prefix = "mirador.tenant." + id + ".";
            String url = setting.apply(prefix + "source-url").orElseThrow(() ->
                    new IllegalArgumentException(prefix + "source-url is not set: every tenant needs a source URL"));
            checkUrl(prefix + "source-url", url);
            String account = setting.apply(prefix + "account").orElse("").trim();
            if (!account.isEmpty() && !ACCOUNT.matcher(account).matches()) {
                throw new IllegalArgumentException(prefix + "account: '" + account
                        + "' is not a VictoriaMetrics cluster account (accountID or accountID:projectID)");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            setting.apply(prefix + "headers").ifPresent(h -> parseHeaders(prefix + "headers", h, headers));
            setting.apply(prefix + "basic-auth").filter(s -> !s.isBlank()).ifPresent(basic -> {
                if (!basic.contains(":")) {
                    throw new IllegalArgumentException(prefix + "basic-auth must be user:password");
                }
                headers.put("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
            });
            setting.apply(prefix + "bearer-token").filter(s -> !s.isBlank())
                    .ifPresent(token -> headers.put("Authorization", "Bearer " + token.trim()));
            String metadataUrl = setting.apply(prefix + "metadata-url").orElse("").trim();
            if (!metadataUrl.isEmpty()) {
                checkUrl(prefix + "metadata-url", metadataUrl);
            }
            tenants.put(id, new Tenant(id, url.trim(), account, Map.copyOf(headers), metadataUrl));
        }
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("mirador.tenants is empty: configure at least one tenant");
        }
        return new Tenants(tenants.values());
    }

    private static void checkUrl(String name, String url) {
        try {
            URI uri = new URI(url.trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(name + ": '" + url + "' is not an http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + ": '" + url + "' is not a URL: " + e.getMessage());
        }
    }

    /** Headers are written {@code Name: value; Other: value}. */
    private static void parseHeaders(String name, String text, Map<String, String> into) {
        for (String part : text.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int colon = part.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(name + ": '" + part.trim() + "' is not 'Header-Name: value'");
            }
            into.put(part.substring(0, colon).trim(), part.substring(colon + 1).trim());
        }
    }
}
