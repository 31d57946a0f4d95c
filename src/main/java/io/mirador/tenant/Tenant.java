package io.mirador.tenant;

import java.util.Map;

/**
 * A configured tenant: where its metrics come from and how to authenticate there.
 *
 * @param sourceUrl base URL of a Prometheus-compatible source (single-node VictoriaMetrics, Prometheus,
 *                  vmselect or vmauth)
 * @param account   VictoriaMetrics cluster {@code accountID[:projectID]}, or empty for a single-node source
 * @param headers   headers sent with every source request (authorization and extras)
 */
public record Tenant(String id, String sourceUrl, String account, Map<String, String> headers) {

    /** Base of the Prometheus querying API of this tenant, without a trailing slash. */
    public String apiBase() {
        String base = sourceUrl.endsWith("/") ? sourceUrl.substring(0, sourceUrl.length() - 1) : sourceUrl;
        return account.isEmpty() ? base : base + "/select/" + account + "/prometheus";
    }
}
