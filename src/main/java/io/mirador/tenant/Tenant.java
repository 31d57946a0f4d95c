package io.mirador.tenant;

import java.util.Map;

/**
 * A configured tenant: where its metrics come from and how to authenticate there.
 *
 * @param sourceUrl   base URL of a Prometheus-compatible source (single-node VictoriaMetrics, Prometheus,
 *                    vmselect or vmauth)
 * @param account     VictoriaMetrics cluster {@code accountID[:projectID]}, or empty for a single-node source
 * @param headers     headers sent with every source request (authorization and extras)
 * @param metadataUrl base URL of a Prometheus API to read {@code /api/v1/metadata} from instead of the
 *                    source (for sources that keep no metadata), or empty
 */
public record Tenant(String id, String sourceUrl, String account, Map<String, String> headers, String metadataUrl) {

    /** Base of the Prometheus querying API of this tenant, without a trailing slash. */
    public String apiBase() {
        String base = trimSlash(sourceUrl);
        return account.isEmpty() ? base : base + "/select/" + account + "/prometheus";
    }

    public static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
