package io.mirador.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import io.mirador.testing.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator sees: Prometheus metrics that move, health probes, Jolokia read-only, the OpenAPI document. */
class OperationsIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static VictoriaMetrics vm;
    static Mirador mirador;

    @BeforeAll
    static void start() {
        vm = VictoriaMetrics.start(dir);
        vm.importPrometheus(new Series().names("observed_metric_", 30));
        mirador = Mirador.start(Mirador.settings(vm.url(), dir.resolve("data")));
    }

    @AfterAll
    static void stop() {
        mirador.close();
        vm.close();
    }

    @Test
    void should_move_the_sync_and_search_meters() {
        // given
        double syncsBefore = metric("mirador_metrics_metadata_sync_total", "strategy=\"full\"");

        // when
        mirador.syncNow(true);
        mirador.search("{\"query\":\"observed\"}");

        // then
        assertThat(metric("mirador_metrics_metadata_sync_total", "strategy=\"full\"")).isEqualTo(syncsBefore + 1);
        assertThat(metric("mirador_metrics_metadata_sync_success_total", "strategy=\"full\"")).isGreaterThanOrEqualTo(1);
        assertThat(metric("mirador_metrics_metadata_sync_duration_seconds_count", "strategy=\"full\"")).isGreaterThanOrEqualTo(1);
        assertThat(metric("mirador_metrics_metadata_sync_duration_seconds_sum", "strategy=\"full\"")).isGreaterThan(0);
        assertThat(metric("mirador_metrics_metadata_indexed", "tenant=\"default\"")).isEqualTo(30);
        assertThat(metric("mirador_search_duration_seconds_count", "endpoint=\"search\"")).isGreaterThanOrEqualTo(1);
        assertThat(metric("camel_exchanges_total", "routeId=\"sync-run\"")).isGreaterThanOrEqualTo(1);
    }

    /** Every sync counter exists at zero, with its help text, before any sync or error: rate() and alerts see it. */
    @Test
    void should_expose_every_sync_meter_at_zero_before_the_first_sync() throws Exception {
        Map<String, String> s = Mirador.settings(vm.url(), dir.resolve("fresh"));
        try (Mirador fresh = Mirador.start(s)) {
            String text = fresh.get("/observe/metrics").body();
            for (String strategy : List.of("full", "incremental")) {
                for (String status : List.of("failed", "cancelled")) {
                    assertThat(metricOf(fresh, "mirador_metrics_metadata_sync_errors_total",
                            "status=\"" + status + "\",strategy=\"" + strategy + "\"")).isZero();
                }
                assertThat(metricOf(fresh, "mirador_metrics_metadata_sync_total", "strategy=\"" + strategy + "\"")).isZero();
                assertThat(metricOf(fresh, "mirador_metrics_metadata_sync_success_total", "strategy=\"" + strategy + "\"")).isZero();
            }
            assertThat(text).contains("# HELP mirador_metrics_metadata_sync_errors_total Syncs that failed");
            assertThat(text).contains("# HELP mirador_metrics_metadata_indexed Metrics");
        }
    }

    /** Both ways of asking for a sync answer the same result: counts, duration both ways, start and end. */
    @Test
    void should_answer_one_result_shape_from_both_sync_endpoints() {
        JsonNode byPath = mirador.post("/api/v1/metrics/sync/default?forceFull=true", null).ok();
        JsonNode byBody = mirador.post("/api/v1/metrics/sync", "{\"tenant_id\":\"default\",\"force_full_sync\":true}").ok();

        List<String> pathFields = new ArrayList<>();
        byPath.get("result").fieldNames().forEachRemaining(pathFields::add);
        List<String> bodyFields = new ArrayList<>();
        byBody.fieldNames().forEachRemaining(bodyFields::add);
        assertThat(bodyFields).containsExactlyElementsOf(pathFields);
        assertThat(pathFields).contains("metrics_processed", "metrics_added", "metrics_updated", "metrics_removed",
                "duration", "duration_ms", "start_time", "end_time", "status", "strategy", "tenant_id");
        assertThat(byBody.get("status").asText()).isEqualTo("completed");
        assertThat(byBody.get("metrics_processed").asInt()).isEqualTo(30);
    }

    @Test
    void should_count_failed_syncs_and_report_the_source_down_without_losing_readiness() throws Exception {
        mirador.syncNow(true);
        Map<String, String> s = Mirador.settings("http://127.0.0.1:" + io.mirador.testing.FreePorts.next(), dir.resolve("down"));
        try (Mirador broken = Mirador.start(s)) {
            assertThat(broken.post("/api/v1/metrics/sync/default?forceFull=true", null).status()).isEqualTo(503);
            assertThat(metricOf(broken, "mirador_metrics_metadata_sync_errors_total", "status=\"failed\"")).isEqualTo(1);
            JsonNode all = JSON.readTree(broken.get("/observe/health").body());
            assertThat(check(all, "mirador-sources")).isEqualTo("DOWN");
            assertThat(check(all, "mirador-indexes")).isEqualTo("UP");
            assertThat(broken.get("/observe/health/ready").status()).isEqualTo(200);
            assertThat(broken.get("/observe/health/live").status()).isEqualTo(200);
            JsonNode api = broken.get("/api/v1/metrics/health").json();
            assertThat(api.get("status").asText()).isEqualTo("unhealthy");
            assertThat(api.get("tenants").get(0).get("source_reachable").asBoolean()).isFalse();
        }
    }

    @Test
    void should_answer_the_probes() throws IOException {
        assertThat(mirador.get("/observe/health/live").status()).isEqualTo(200);
        Mirador.Response ready = mirador.get("/observe/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(check(JSON.readTree(ready.body()), "mirador-indexes")).isEqualTo("UP");
        JsonNode all = JSON.readTree(mirador.get("/observe/health").body());
        assertThat(check(all, "mirador-sources")).isEqualTo("UP");
        assertThat(check(all, "mirador-state-store")).isEqualTo("UP");
    }

    @Test
    void should_let_jolokia_read_but_never_write_or_execute() throws IOException {
        JsonNode read = JSON.readTree(mirador.get("/observe/jolokia/read/java.lang:type=Memory/HeapMemoryUsage").body());
        assertThat(read.get("status").asInt()).isEqualTo(200);
        JsonNode route = JSON.readTree(mirador.get(
                "/observe/jolokia/read/org.apache.camel:context=mirador,type=routes,name=%22sync-run%22/State").body());
        assertThat(route.get("value").asText()).isEqualTo("Started");

        JsonNode exec = JSON.readTree(mirador.get("/observe/jolokia/exec/java.lang:type=Memory/gc").body());
        assertThat(exec.get("status").asInt()).isEqualTo(403);
        JsonNode stopRoute = JSON.readTree(mirador.get(
                "/observe/jolokia/exec/org.apache.camel:context=mirador,type=routes,name=%22sync-run%22/stop()").body());
        assertThat(stopRoute.get("status").asInt()).isEqualTo(403);
        JsonNode write = JSON.readTree(mirador.post("/observe/jolokia",
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}").body());
        assertThat(write.get("status").asInt()).isEqualTo(403);
    }

    @Test
    void should_describe_every_rest_route_in_the_openapi_document() throws IOException {
        JsonNode doc = JSON.readTree(mirador.get("/api/v1/openapi.json").body());
        List<String> operations = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields()
                .forEachRemaining(m -> operations.add(m.getValue().get("operationId").asText())));
        // every REST verb of the routes, by its id
        Matcher ids = Pattern.compile("- id: (rest-[a-z-]+)").matcher(Files.readString(Path.of("routes", "api.camel.yaml")));
        List<String> routes = new ArrayList<>();
        while (ids.find()) {
            routes.add(ids.group(1));
        }
        assertThat(routes).hasSizeGreaterThanOrEqualTo(10);
        assertThat(operations).containsExactlyInAnyOrderElementsOf(routes);
        assertThat(doc.at("/paths/~1api~1v1~1metrics~1search/post/requestBody/content/application~1json/schema/$ref").asText())
                .endsWith("SearchRequest");
        assertThat(doc.at("/components/schemas/SearchResponse/properties/results").isMissingNode()).isFalse();
    }

    private static String check(JsonNode health, String name) {
        for (JsonNode c : health.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c.get("status").asText();
            }
        }
        throw new AssertionError("no health check " + name + " in " + health);
    }

    private static double metric(String name, String labelPart) {
        return metricOf(mirador, name, labelPart);
    }

    /** The value of the first series of {@code name} whose labels contain {@code labelPart}, 0 when none. */
    static double metricOf(Mirador m, String name, String labelPart) {
        for (String line : m.get("/observe/metrics").body().split("\n")) {
            if (line.startsWith(name + "{") && line.contains(labelPart)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no series " + name + " with " + labelPart + " at /observe/metrics");
    }

    @Test
    void should_reload_an_edited_route_file_when_reload_is_on() throws Exception {
        Path routes = dir.resolve("routes");
        Files.createDirectories(routes);
        for (String f : List.of("api.camel.yaml", "source.camel.yaml", "sync.camel.yaml")) {
            Files.copy(Path.of("routes", f), routes.resolve(f));
        }
        Map<String, String> s = Mirador.settings(vm.url(), dir.resolve("reload"));
        s.put("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
        s.put("camel.main.routes-reload-enabled", "true");
        s.put("camel.main.routes-reload-directory", routes.toString());
        try (Mirador dev = Mirador.start(s)) {
            assertThat(dev.get("/api/v1/metrics/health").headers()).doesNotContainKey("cache-control");
            // an integration team edits a route: the state answer gets a header (one the API may answer)
            Path api = routes.resolve("api.camel.yaml");
            String edited = Files.readString(api).replace("""
                          uri: direct:api-health
                          steps:
                    """, """
                          uri: direct:api-health
                          steps:
                            - setHeader:
                                name: Cache-Control
                                constant: "no-store"
                    """);
            assertThat(edited).contains("no-store");
            Files.writeString(api, edited);
            Waits.until(Duration.ofSeconds(30), "the edited route to be reloaded",
                    () -> "no-store".equals(dev.get("/api/v1/metrics/health").headers().get("cache-control")));
            assertThat(dev.state().get("tenant_id").asText()).isEqualTo("default");
        }
    }
}
