package io.mirador.api;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which message headers become HTTP response headers: only the few the API sets itself, and never a value the
 * client sent (Camel puts request headers and query parameters into the message, and would otherwise answer
 * them back: {@code ?Set-Cookie=...} or the caller's own {@code X-API-Key}). The request direction keeps
 * Camel's own filter, which stops clients from setting Camel's headers, and drops the content type: the front
 * door admitted JSON bodies only, and a client's {@code ?Content-Type=} must not steer the REST binding.
 */
public final class ResponseHeaders implements HeaderFilterStrategy {

    /** Content-Length is not here: the message's is the request's, and the server sets the response's itself. */
    static final Set<String> ALLOWED = Set.of("content-type", "www-authenticate", "allow", "retry-after", "vary",
            "cache-control", "content-encoding");
    private static final String SENT_BY_CLIENT = "mirador.headersSentByClient";

    private final HeaderFilterStrategy inbound = new HttpHeaderFilterStrategy();

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!ALLOWED.contains(lower)) {
            return true;
        }
        Set<?> sent = exchange == null ? null : exchange.getProperty(SENT_BY_CLIENT, Set.class);
        return sent != null && sent.contains(lower + '\n' + value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        if (inbound.applyFilterToExternalHeaders(name, value, exchange)) {
            return true;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("content-type")) {
            // the front door let only JSON bodies in: a content type (or a query parameter so named) says nothing more
            return true;
        }
        if (exchange != null && ALLOWED.contains(lower)) {
            Set<String> sent = exchange.getProperty(SENT_BY_CLIENT, Set.class);
            if (sent == null) {
                sent = new HashSet<>();
                exchange.setProperty(SENT_BY_CLIENT, sent);
            }
            sent.add(lower + '\n' + value);
        }
        return false;
    }
}
