package io.mirador.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A source whose own cap on name lists is lower than {@code mirador.source.max-names} (a real VictoriaMetrics started
 * with {@code -search.maxTagValues=1000}, holding 5 000 names): the cut list is noticed through the source's TSDB
 * status and read again by name prefix, and the full sync holds every name.
 */
class SourceNameCapIT {

    @TempDir
    Path dir;

    @Test
    void should_read_every_name_when_the_source_cuts_name_lists_below_the_configured_cap() {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir, "-search.maxTagValues=1000")) {
            vm.importPrometheus(new Series().names("capped_metric_", 5000));
            assertThat(vm.get("/api/v1/label/__name__/values").body()).as("the source cuts its own list")
                    .doesNotContain("capped_metric_04999");
            try (Mirador mirador = Mirador.start(Mirador.settings(vm.url(), dir.resolve("data")))) {
                JsonNode sync = mirador.syncNow(true);
                assertThat(sync.at("/result/metrics_processed").asInt()).isEqualTo(5000);
                assertThat(sync.at("/result/metrics_added").asInt()).isEqualTo(5000);
                assertThat(mirador.search("{\"query\":\"capped metric\",\"limit\":1}").get("total").asInt())
                        .isEqualTo(5000);
                assertThat(mirador.get("/api/v1/metrics/default/capped_metric_04999").status()).isEqualTo(200);
            }
        }
    }
}
