package io.mirador.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real single-node VictoriaMetrics ({@code /usr/bin/victoria-metrics}, Debian's package) on a free
 * loopback port with its own data directory; stopped and started again on the same port and data.
 */
public final class VictoriaMetrics implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final List<String> flags;
    private final ServiceProcess process;

    private VictoriaMetrics(Path dataDir, int port, List<String> flags) {
        this.port = port;
        this.flags = flags;
        List<String> cmd = new ArrayList<>(List.of("victoria-metrics",
                "-httpListenAddr=127.0.0.1:" + port,
                "-storageDataPath=" + dataDir,
                "-retentionPeriod=1y",
                "-loggerLevel=ERROR"));
        cmd.addAll(flags);
        process = new ServiceProcess(cmd, dataDir.resolveSibling("victoria-metrics.log"), "to answer /health",
                () -> get("/health").statusCode() == 200);
    }

    /** Starts VictoriaMetrics with its data under {@code dir}; extra command-line flags may be given. */
    public static VictoriaMetrics start(Path dir, String... flags) {
        VictoriaMetrics vm = new VictoriaMetrics(dir.resolve("victoria-metrics"), FreePorts.next(), List.of(flags));
        vm.start();
        return vm;
    }

    public void start() {
        process.start();
    }

    /** Kills the process (as a crash or a network cut would look to a client). */
    public void stop() {
        process.stop();
    }

    /** The API base: the server with its {@code -http.pathPrefix}, if it was started with one. */
    public String url() {
        return rootUrl() + pathPrefix();
    }

    /** The server without any path prefix. */
    public String rootUrl() {
        return "http://127.0.0.1:" + port;
    }

    private String pathPrefix() {
        for (String f : flags) {
            if (f.startsWith("-http.pathPrefix=")) {
                return f.substring("-http.pathPrefix=".length());
            }
        }
        return "";
    }

    public int port() {
        return port;
    }

    /** Imports samples in the Prometheus text format and makes them searchable at once. */
    public void importPrometheus(Series series, String... extraLabels) {
        importPrometheus(series.text(), extraLabels);
    }

    /** Imports samples in the Prometheus text format and makes them searchable at once. */
    public void importPrometheus(String text, String... extraLabels) {
        StringBuilder query = new StringBuilder();
        for (String label : extraLabels) {
            query.append(query.isEmpty() ? "?" : "&").append("extra_label=")
                    .append(URLEncoder.encode(label, StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/import/prometheus" + query))
                .POST(HttpRequest.BodyPublishers.ofString(text)));
        check(r, "import");
        flush();
    }

    public void flush() {
        check(get("/internal/force_flush"), "force_flush");
    }

    /** Deletes the series matching a selector ({@code /api/v1/admin/tsdb/delete_series}). */
    public void deleteSeries(String selector) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/admin/tsdb/delete_series?match[]="
                + URLEncoder.encode(selector, StandardCharsets.UTF_8))).POST(HttpRequest.BodyPublishers.noBody()));
        check(r, "delete_series");
    }

    /**
     * VictoriaMetrics' own count of the requests to {@code path} it answered ({@code vm_http_requests_total}), read
     * after a second: its {@code /metrics} page is renewed at most once a second.
     */
    public long requestsTo(String path) {
        try {
            Thread.sleep(1_100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Matcher m = Pattern.compile("(?m)^vm_http_requests_total\\{path=\""
                + Pattern.quote(path) + "\"} (\\d+)").matcher(get("/metrics").body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void check(HttpResponse<String> r, String what) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    @Override
    public void close() {
        stop();
    }
}
