package io.mirador.app;

import io.mirador.security.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Keeps a catalog without API keys off the network: it may listen on loopback only. */
final class ListenAddress {

    private static final Logger LOG = LoggerFactory.getLogger(ListenAddress.class);

    private ListenAddress() {
    }

    /**
     * @throws IllegalArgumentException naming the settings when the host is not loopback and no keys are
     *                                  configured, or when the port is taken (the HTTP server would only log it)
     */
    static void check(String host, int port, ApiKeys keys) {
        if (host.matches("[0-9.]+") && !isDottedQuad(host)) {
            // the JDK reads 127.1 as 127.0.0.1, the HTTP server does not: it would never listen
            throw new IllegalArgumentException("camel.server.host (MIRADOR_HTTP_HOST): '" + host
                    + "' is not a full IPv4 address; write all four parts, such as 127.0.0.1");
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("camel.server.port (MIRADOR_HTTP_PORT): cannot listen on " + host + ":" + port
                    + " (" + e.getMessage() + "); is another service using the port?");
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("camel.server.host (MIRADOR_HTTP_HOST): cannot resolve '" + host + "'");
        }
        if (keys.isEmpty() && !loopback) {
            throw new IllegalArgumentException("camel.server.host (MIRADOR_HTTP_HOST) is '" + host
                    + "', but no API keys are configured (mirador.api-keys): without keys the catalog listens on"
                    + " loopback only. Configure keys, or set MIRADOR_HTTP_HOST=127.0.0.1");
        }
        if (keys.isEmpty()) {
            LOG.info("no API keys configured: listening on loopback ({}) only, every request allowed", host);
        } else {
            LOG.info("{} API key(s) configured: every API request needs one (Authorization: Bearer or X-API-Key)", keys.size());
        }
    }

    private static boolean isDottedQuad(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
