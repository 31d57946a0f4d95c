package io.mirador.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus ({@code prometheus}, Debian's package) on a free loopback port, scraping the given
 * targets and itself every second; it serves real {@code /api/v1/metadata}.
 */
public final class Prometheus implements AutoCloseable {

    private final int port = FreePorts.next();
    private final ServiceProcess process;

    private Prometheus(Path dir, List<String> nodeTargets, Map<String, String> otherJobs) throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.createDirectories(dir);
        StringBuilder others = new StringBuilder();
        otherJobs.forEach((job, target) -> others.append("""
                  - job_name: %s
                    static_configs: [{targets: ["%s"]}]
                """.formatted(job, target)));
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: node
                    static_configs: [{targets: [%s]}]
                  - job_name: prometheus
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(String.join(", ", nodeTargets.stream().map(t -> "\"" + t + "\"").toList()), port) + others);
        process = new ServiceProcess(List.of("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("prometheus-data"), "--web.listen-address=127.0.0.1:" + port),
                dir.resolve("prometheus.log"), url() + "/-/ready");
    }

    /** Starts Prometheus scraping these node exporters, and waits until their metadata is served. */
    public static Prometheus start(Path dir, NodeExporter... nodes) {
        return start(dir, Map.of(), nodes);
    }

    /** Starts Prometheus scraping these node exporters and other targets (job name to host:port). */
    public static Prometheus start(Path dir, Map<String, String> otherJobs, NodeExporter... nodes) {
        try {
            Prometheus p = new Prometheus(dir, java.util.Arrays.stream(nodes).map(NodeExporter::address).toList(), otherJobs);
            p.process.start();
            Waits.until(Duration.ofSeconds(60), "Prometheus to serve the metadata of its targets", () ->
                    ServiceProcess.get(p.url() + "/api/v1/metadata?metric=node_cpu_seconds_total").body().contains("counter")
                    && ServiceProcess.get(p.url() + "/api/v1/metadata?metric=prometheus_http_request_duration_seconds")
                    .body().contains("histogram"));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** What Prometheus exposes about itself, in the Prometheus text format. */
    public String scrape() {
        return ServiceProcess.get(url() + "/metrics").body();
    }

    @Override
    public void close() {
        process.close();
    }
}
