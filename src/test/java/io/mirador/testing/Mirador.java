package io.mirador.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.app.MiradorApplication;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real service, started in this JVM with the real routes and application.properties, on a free
 * port with its own data directory; tests talk to it over HTTP only.
 */
public final class Mirador implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Main main;
    private final int port;

    private Mirador(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    /**
     * Settings every test service starts with: its source, its data directory, short retries, and no
     * scheduled syncs (a test that wants them sets {@code mirador.sync.enabled}), so syncs run when a test asks.
     */
    public static Map<String, String> settings(String sourceUrl, Path dataDir) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("mirador.sync.enabled", "false");
        s.put("mirador.tenant.default.source-url", sourceUrl);
        s.put("mirador.data-dir", dataDir.toString());
        s.put("mirador.sync.retry-delay", "100ms");
        s.put("mirador.sync.max-retries", "1");
        s.put("mirador.sync.tick", "200");
        s.put("mirador.sync.first-tick", "200");
        return s;
    }

    /** Starts the service with these settings over application.properties. */
    public static Mirador start(Map<String, String> settings) {
        int port = FreePorts.next();
        Main main = MiradorApplication.newMain();
        main.addOverrideProperty("camel.server.port", Integer.toString(port));
        main.addOverrideProperty("camel.management.port", Integer.toString(port));
        settings.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("the service did not start", e);
        }
        return new Mirador(main, port);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url() + path)).GET());
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** {@code POST /api/v1/metrics/search} with this body; asserts 200. */
    public JsonNode search(String json) {
        return post("/api/v1/metrics/search", json).ok();
    }

    /** Runs a sync of the default tenant to its end; asserts 200. */
    public JsonNode syncNow(boolean full) {
        return post("/api/v1/metrics/sync/default?forceFull=" + full, null).ok();
    }

    public JsonNode status() {
        return get("/api/v1/metrics/sync/default/status").ok();
    }

    public JsonNode state() {
        return get("/api/v1/metrics/sync/default/state").ok();
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, String> headers = new LinkedHashMap<>();
            r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            return new Response(r.statusCode(), r.body(), headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the service did not stop cleanly", e);
        }
    }

    /** An HTTP answer; header names lower-cased. */
    public record Response(int status, String body, Map<String, String> headers) {

        public Response(int status, String body) {
            this(status, body, Map.of());
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        /** The JSON body, after asserting the status is 200. */
        public JsonNode ok() {
            if (status != 200) {
                throw new AssertionError("expected 200, got " + status + ": " + body);
            }
            return json();
        }
    }
}
