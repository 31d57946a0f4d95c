package io.mirador.source;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One call to a Prometheus API: where, with which headers and parameters, and the reader of its response.
 * Calls with selectors are POSTed as a form, since a batch of names makes a selector longer than a URL may be.
 *
 * @param tenantId the tenant the call is made for
 * @param headers  sent with the call (the tenant's authorization and extra headers)
 */
public record SourceRequest<T>(String tenantId, String url, Map<String, String> headers,
                               List<Map.Entry<String, String>> params, boolean post, ResponseReader<T> reader) {

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
        return (post ? "POST " : "GET ") + url;
    }
}
