package io.mirador.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A source holding exactly as many names as it lists at most, where reading names again by prefix is refused: a real
 * VictoriaMetrics with {@code -search.maxTagValues=1000} holding 1 000 names, and {@code -search.maxUniqueTimeseries}
 * below the series a prefix selector matches (as at ten million series, where such a selector is refused with 422).
 * The list is confirmed whole day by day through the TSDB status, without a selector.
 */
class SourceNameLimitIT {

    @TempDir
    Path dir;

    @Test
    void should_take_a_list_as_long_as_the_cap_as_whole_when_the_source_counts_as_many_names() {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir, "-search.maxTagValues=1000", "-search.maxUniqueTimeseries=500")) {
            vm.importPrometheus(new Series().names("limited_metric_", 1000));
            assertThat(vm.get("/api/v1/label/__name__/values?match[]=" + java.net.URLEncoder.encode(
                    "{__name__=~\"limited_.*\"}", java.nio.charset.StandardCharsets.UTF_8)).statusCode())
                    .as("a prefix selector is refused").isEqualTo(422);
            Map<String, String> settings = Mirador.settings(vm.url(), dir.resolve("data"));
            settings.put("mirador.source.max-names", "1000");
            try (Mirador mirador = Mirador.start(settings)) {
                JsonNode sync = mirador.syncNow(true);
                assertThat(sync.at("/result/metrics_processed").asInt()).isEqualTo(1000);
                assertThat(mirador.search("{\"query\":\"limited metric\",\"limit\":1}").get("total").asInt()).isEqualTo(1000);
            }
        }
    }
}
