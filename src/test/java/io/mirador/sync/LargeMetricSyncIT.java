package io.mirador.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.SharedVictoriaMetrics;
import io.mirador.testing.VictoriaMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant whose one metric has 60 000 series, twice VictoriaMetrics' default {@code -search.maxSeries},
 * beside 2 000 other metric names: every name is indexed, the big metric with its exact series count and
 * all its label keys, and no 422 reaches the sync status.
 */
class LargeMetricSyncIT {

    static final int BIG_SERIES = 60_000;
    static final int OTHER_NAMES = 2_000;

    @RegisterExtension
    static final SharedVictoriaMetrics vm = SharedVictoriaMetrics.loadedWith(LargeMetricSyncIT::load);

    @TempDir
    Path dir;

    private static void load(VictoriaMetrics vm) {
        Series big = new Series();
        for (int instance = 0; instance < 60; instance++) {
            for (int shard = 0; shard < 1000; shard++) {
                big.add("big_requests_total", "instance=\"host-" + instance + "\",shard=\"" + shard + "\"");
            }
        }
        vm.importPrometheus(big, "job=api");
        vm.importPrometheus(new Series().names("other_metric_", OTHER_NAMES));
    }

    @Test
    void should_index_every_name_and_count_all_series_when_one_metric_exceeds_max_series() {
        // given
        try (Mirador mirador = Mirador.start(Mirador.settings(vm.url(), dir.resolve("default-limits")))) {
            // when
            JsonNode result = mirador.syncNow(true).get("result");

            // then
            assertThat(result.get("metrics_processed").asInt()).isEqualTo(OTHER_NAMES + 1);
            assertThat(result.get("metrics_added").asInt()).isEqualTo(OTHER_NAMES + 1);
            assertCatalogComplete(mirador);
        }
    }

    @Test
    void should_read_every_name_when_the_name_list_is_cut_at_the_source_limit() {
        // given: the source answers at most 500 names per call, so the list must be read by prefix
        Map<String, String> settings = Mirador.settings(vm.url(), dir.resolve("small-name-limit"));
        settings.put("mirador.source.max-names", "500");
        try (Mirador mirador = Mirador.start(settings)) {
            // when
            mirador.syncNow(true);

            // then
            assertCatalogComplete(mirador);
        }
    }

    private static void assertCatalogComplete(Mirador mirador) {
        JsonNode status = mirador.status();
        assertThat(status.get("status").asText()).isEqualTo("completed");
        assertThat(status.has("errors")).as("errors in %s", status).isFalse();
        assertThat(mirador.search("{\"query\":\"\",\"limit\":1}").get("total").asLong()).isEqualTo(OTHER_NAMES + 1);
        assertThat(mirador.search("{\"query\":\"other metric 01999\"}").get("results").get(0).get("name").asText())
                .isEqualTo("other_metric_01999");

        JsonNode big = mirador.search("{\"query\":\"big_requests_total\"}").get("results").get(0);
        assertThat(big.get("name").asText()).isEqualTo("big_requests_total");
        assertThat(big.get("series_count").asLong()).isEqualTo(BIG_SERIES);
        assertThat(big.get("label_keys")).extracting(JsonNode::asText).containsExactly("instance", "job", "shard");
        assertThat(big.get("label_cardinality").get("shard").asLong()).isEqualTo(1000);
        assertThat(big.get("label_cardinality").get("instance").asLong()).isEqualTo(60);
        assertThat(big.get("label_values").get("job")).extracting(JsonNode::asText).isEqualTo(List.of("api"));
    }
}
