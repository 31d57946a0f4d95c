package io.mirador.explorer;

import io.mirador.catalog.MetricDocument;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The PromQL suggested by type, the breakdown label chosen, and names PromQL cannot write bare. */
class SuggestedQueryTest {

    static MetricDocument doc(String name, String type, Map<String, Long> cardinality) {
        return part(name, type, cardinality, null);
    }

    static MetricDocument part(String name, String type, Map<String, Long> cardinality, String family) {
        Instant now = Instant.parse("2026-11-26T00:00:00Z");
        return new MetricDocument(name, name, type, "", "", Map.of(), List.copyOf(cardinality.keySet()), "t", now, now, now,
                now, 1, Map.of(), cardinality, MetricDocument.TYPE_SOURCE_METADATA, family, null);
    }

    @Test
    void should_sum_a_counters_rate_by_the_label_with_most_values_up_to_ten() {
        assertThat(SuggestedQuery.of(doc("node_cpu_seconds_total", "counter",
                Map.of("cpu", 2L, "mode", 8L, "instance", 3L, "job", 1L))))
                .isEqualTo("sum by (mode) (rate(node_cpu_seconds_total[5m]))");
        assertThat(SuggestedQuery.of(doc("http_requests_total", "counter", Map.of("path", 500L, "job", 3L, "instance", 9L))))
                .isEqualTo("sum by (job) (rate(http_requests_total[5m]))");
        assertThat(SuggestedQuery.of(doc("x_total", "untyped", Map.of("instance", 1L))))
                .isEqualTo("sum (rate(x_total[5m]))");
    }

    @Test
    void should_read_a_histogram_at_its_95th_percentile_a_summary_by_quantile_and_a_gauge_as_it_is() {
        assertThat(SuggestedQuery.of(doc("http_request_duration_seconds", "histogram", Map.of("le", 12L))))
                .isEqualTo("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))");
        assertThat(SuggestedQuery.of(doc("http_request_duration_seconds_bucket", "counter", Map.of("le", 12L))))
                .isEqualTo("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))");
        assertThat(SuggestedQuery.of(doc("go_gc_duration_seconds", "summary", Map.of("quantile", 5L))))
                .isEqualTo("max by (quantile) (go_gc_duration_seconds)");
        assertThat(SuggestedQuery.of(doc("node_load1", "gauge", Map.of()))).isEqualTo("node_load1");
        // a family's parts are read as the family
        assertThat(SuggestedQuery.of(part("http_request_duration_seconds_count", "histogram", Map.of(), "http_request_duration_seconds")))
                .isEqualTo("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))");
        assertThat(SuggestedQuery.of(part("go_gc_duration_seconds_sum", "summary", Map.of(), "go_gc_duration_seconds")))
                .isEqualTo("max by (quantile) (go_gc_duration_seconds)");
    }

    @Test
    void should_quote_a_name_promql_cannot_write_bare_so_that_it_cannot_add_to_the_query() {
        assertThat(SuggestedQuery.of(doc("a.b-c", "gauge", Map.of()))).isEqualTo("{__name__=\"a.b-c\"}");
        assertThat(SuggestedQuery.of(doc("x\"} or vector(1) or {a=\"", "gauge", Map.of())))
                .isEqualTo("{__name__=\"x\\\"} or vector(1) or {a=\\\"\"}");
        assertThat(SuggestedQuery.of(doc("ok_total", "counter", Map.of("bad-label", 3L)))).isEqualTo("sum (rate(ok_total[5m]))");
    }
}
