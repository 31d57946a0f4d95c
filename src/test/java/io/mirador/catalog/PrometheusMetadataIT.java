package io.mirador.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.testing.Mirador;
import io.mirador.testing.NodeExporter;
import io.mirador.testing.Prometheus;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Type, help and families come from the metadata of a real Prometheus scraping a real node exporter;
 * when the tenant's source becomes a VictoriaMetrics 1.79 (which keeps no metadata), the last known
 * metadata stays, and only metrics the catalog never had metadata for are inferred from their names.
 */
class PrometheusMetadataIT {

    static final String CPU = "node_cpu_seconds_total";
    static final String CPU_HELP = "Seconds the CPUs spent in each mode.";
    static final String HTTP_DURATION = "prometheus_http_request_duration_seconds";

    @TempDir
    static Path shared;
    static NodeExporter node;
    static Prometheus prometheus;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSources() {
        node = NodeExporter.start(shared.resolve("node"));
        prometheus = Prometheus.start(shared.resolve("prometheus"), node);
    }

    @AfterAll
    static void stopSources() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void should_take_type_help_and_families_from_metadata_when_the_source_is_prometheus() {
        try (Mirador mirador = Mirador.start(Mirador.settings(prometheus.url(), dir.resolve("mirador")))) {
            // when
            mirador.syncNow(true);

            // then
            JsonNode cpu = metric(mirador, CPU);
            assertThat(cpu.get("type").asText()).isEqualTo("counter");
            assertThat(cpu.get("help").asText()).isEqualTo(CPU_HELP);
            assertThat(cpu.get("type_source").asText()).isEqualTo("metadata");

            JsonNode histogram = metric(mirador, HTTP_DURATION);
            assertThat(histogram.get("type").asText()).isEqualTo("histogram");
            assertThat(histogram.get("type_source").asText()).isEqualTo("metadata");
            assertThat(histogram.get("help").asText()).isNotBlank();
            assertThat(strings(histogram.get("parts"))).containsExactlyInAnyOrder(
                    HTTP_DURATION + "_bucket", HTTP_DURATION + "_count", HTTP_DURATION + "_sum");
            assertThat(strings(histogram.get("label_keys"))).contains("handler").doesNotContain("le");

            // and: a search shows the family, not its parts
            List<String> found = names(mirador.search("{\"query\":\"prometheus http request duration\",\"limit\":20}"));
            assertThat(found).contains(HTTP_DURATION)
                    .doesNotContain(HTTP_DURATION + "_bucket", HTTP_DURATION + "_count", HTTP_DURATION + "_sum");
        }
    }

    @Test
    void should_keep_the_last_known_metadata_when_the_source_stops_returning_it() {
        Path data = dir.resolve("mirador");
        // given: a catalog synced from Prometheus, with metadata
        try (Mirador mirador = Mirador.start(Mirador.settings(prometheus.url(), data))) {
            mirador.syncNow(true);
            assertThat(metric(mirador, CPU).get("type_source").asText()).isEqualTo("metadata");
        }

        // and: the same node's series, plus a metric of its own, in a VictoriaMetrics that keeps no metadata
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir)) {
            vm.importPrometheus(node.scrape(), "job=node", "instance=" + node.address());
            vm.importPrometheus(new Series().add("my_new_requests_total", "path=\"/checkout\""), "job=shop");
            assertThat(vm.get("/api/v1/metadata").body()).doesNotContain(CPU);

            // when: the service starts again on the same data, its source now the VictoriaMetrics
            try (Mirador mirador = Mirador.start(Mirador.settings(vm.url(), data))) {
                JsonNode result = mirador.syncNow(true).get("result");

                // then: the metric known from metadata keeps it
                assertThat(result.get("metrics_processed").asInt()).as("sync result %s", result).isPositive();
                JsonNode cpu = metric(mirador, CPU);
                assertThat(cpu.get("type").asText()).isEqualTo("counter");
                assertThat(cpu.get("help").asText()).isEqualTo(CPU_HELP);
                assertThat(cpu.get("type_source").asText()).isEqualTo("metadata");

                // and: the metric never described is typed from its name, and says so
                JsonNode fresh = metric(mirador, "my_new_requests_total");
                assertThat(fresh.get("type").asText()).isEqualTo("counter");
                assertThat(fresh.get("type_source").asText()).isEqualTo("inferred");
                assertThat(fresh.get("help").asText()).isEmpty();

                // and: what VictoriaMetrics does not hold is gone after this full sync
                assertThat(mirador.get("/api/v1/metrics/default/" + HTTP_DURATION).status()).isEqualTo(404);
            }
        }
    }

    private static JsonNode metric(Mirador mirador, String name) {
        return mirador.get("/api/v1/metrics/default/" + name).ok();
    }

    private static List<String> names(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.get("results").forEach(m -> out.add(m.get("name").asText()));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        assertThat(array).as("a JSON array").isNotNull();
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
