package io.mirador.app;

import java.time.Duration;

/**
 * The HTTP server of the API and {@code /observe} ({@code camel.server.*}, {@code mirador.http.*}), read once at start.
 *
 * @param bodyTimeout a request whose body has not arrived whole by then loses its connection
 * @param idleTimeout a connection silent this long is closed
 */
record HttpSettings(String host, int port, int maxBodyBytes, Duration bodyTimeout, Duration idleTimeout) {

    static HttpSettings from(Settings s) {
        return new HttpSettings(
                s.text("camel.server.host"),
                s.integer("camel.server.port", 1, 65535),
                s.integer("camel.server.max-body-size", 1024, 1 << 30),
                s.duration("mirador.http.body-timeout", Duration.ofSeconds(1), Duration.ofHours(1)),
                s.duration("mirador.http.idle-timeout", Duration.ofSeconds(1), Duration.ofDays(1)));
    }
}
