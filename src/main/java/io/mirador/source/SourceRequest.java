package io.mirador.source;

import io.mirador.tenant.Tenant;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One call to a tenant's Prometheus API: the path under the tenant's API base, its parameters, and
 * the reader of its response. Calls with selectors are POSTed as a form, since a batch of names makes
 * a selector longer than a URL may be.
 */
public record SourceRequest<T>(Tenant tenant, String path, List<Map.Entry<String, String>> params, boolean post,
                               ResponseReader<T> reader) {

    public String url() {
        return tenant.apiBase() + path;
    }

    /** The parameters, form-encoded. */
    public String encodedParams() {
        return params.stream()
                .map(p -> encode(p.getKey()) + "=" + encode(p.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return (post ? "POST " : "GET ") + url();
    }
}
