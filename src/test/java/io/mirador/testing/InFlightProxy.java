package io.mirador.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP proxy on a free loopback port that forwards every call unchanged to an upstream (a
 * {@link FaultySource}, a VictoriaMetrics) and measures how many calls of each path were in flight at once: a call
 * counts from the moment its request line arrives until its whole answer has been written back. Each call has
 * its own thread, so concurrent calls are answered concurrently. Thread-safe.
 */
public final class InFlightProxy implements AutoCloseable {

    /** Headers that belong to one connection or that {@link HttpClient} sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect", "http2-settings");

    private final String upstream;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "in-flight-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).executor(threads).build();
    private final Map<String, Gauge> byPath = new ConcurrentHashMap<>();

    /** Calls of one path now in flight, and the most seen at once. */
    private static final class Gauge {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();
        final AtomicInteger total = new AtomicInteger();

        void enter() {
            total.incrementAndGet();
            int n = now.incrementAndGet();
            max.accumulateAndGet(n, Math::max);
        }

        void leave() {
            now.decrementAndGet();
        }
    }

    private InFlightProxy(String upstream, HttpServer server) {
        this.upstream = upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream;
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Starts a proxy forwarding to this base URL (e.g. {@code faulty.url()}). */
    public static InFlightProxy start(String upstreamBaseUrl) {
        URI.create(upstreamBaseUrl);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.next()), 200);
            return new InFlightProxy(upstreamBaseUrl, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where clients call the proxy: {@code http://127.0.0.1:<port>}, with no path. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The most calls of exactly this path that were in flight at the same time, since the start or the last reset. */
    public int maxInFlight(String path) {
        Gauge g = byPath.get(path);
        return g == null ? 0 : g.max.get();
    }

    /** How many calls of exactly this path came, since the start or the last reset. */
    public int calls(String path) {
        Gauge g = byPath.get(path);
        return g == null ? 0 : g.total.get();
    }

    /** Starts counting afresh (calls in flight now still count as in flight). */
    public void reset() {
        for (Gauge g : byPath.values()) {
            g.max.set(g.now.get());
            g.total.set(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Gauge gauge = byPath.computeIfAbsent(exchange.getRequestURI().getRawPath(), p -> new Gauge());
        gauge.enter();
        try (exchange) {
            forward(exchange);
        } finally {
            gauge.leave();
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        URI target = exchange.getRequestURI();
        String pathAndQuery = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + pathAndQuery))
                .timeout(Duration.ofMinutes(2))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                for (String v : values) {
                    try {
                        request.header(name, v);
                    } catch (IllegalArgumentException e) {
                        // a header java.net.http refuses to be given
                    }
                }
            }
        });
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            exchange.sendResponseHeaders(502, -1);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
            return;
        }
        answer.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        byte[] out = answer.body();
        boolean noBody = exchange.getRequestMethod().equals("HEAD") || answer.statusCode() == 204
                || answer.statusCode() == 304;
        exchange.sendResponseHeaders(answer.statusCode(), noBody ? -1 : out.length == 0 ? -1 : out.length);
        if (!noBody && out.length > 0) {
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    @Override
    public String toString() {
        return "InFlightProxy[" + url() + " -> " + upstream + "]";
    }
}
