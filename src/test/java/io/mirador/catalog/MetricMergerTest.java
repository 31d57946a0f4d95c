package io.mirador.catalog;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class MetricMergerTest {

    private static final int CAP = 3;
    private static final String TENANT = "default";
    private static final Instant T1 = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2025-01-01T00:15:00Z");
    private static final Instant T3 = Instant.parse("2025-01-01T00:30:00Z");
    private static final MetricMetadata COUNTER = new MetricMetadata("counter", "Requests served.", "requests");

    private final MetricMerger merger = new MetricMerger(CAP);

    /** An observation of {@code name} built the way a sync builds it, one series per label map. */
    @SafeVarargs
    private static MetricObservation observe(String name, Map<String, String>... series) {
        SeriesAccumulator acc = new SeriesAccumulator(name, CAP);
        for (Map<String, String> labels : series) {
            acc.addSeries(labels);
        }
        return acc.toObservation();
    }

    @Test
    void should_create_with_seen_at_and_inferred_type_when_metric_is_new_without_metadata() {
        // given
        MetricObservation observed = observe("http_requests_total",
                Map.of("job", "api", "code", "200"), Map.of("job", "api", "code", "500"));

        // when
        MetricDocument doc = merger.merge(null, observed, MetricMetadata.NONE, TENANT, false, T1);

        // then
        assertThat(doc.id()).isEqualTo("http_requests_total");
        assertThat(doc.name()).isEqualTo("http_requests_total");
        assertThat(doc.tenantId()).isEqualTo(TENANT);
        assertThat(doc.createdAt()).isEqualTo(T1);
        assertThat(doc.updatedAt()).isEqualTo(T1);
        assertThat(doc.lastSeen()).isEqualTo(T1);
        assertThat(doc.firstSeen()).isEqualTo(T1);
        assertThat(doc.type()).isEqualTo("counter");
        assertThat(doc.help()).isEmpty();
        assertThat(doc.typeSource()).isEqualTo(MetricDocument.TYPE_SOURCE_INFERRED).isEqualTo("inferred");
        assertThat(doc.seriesCount()).isEqualTo(2);
        assertThat(doc.labelKeys()).containsExactly("code", "job");
        assertThat(doc.labelValues()).containsOnly(entry("code", List.of("200", "500")), entry("job", List.of("api")));
        assertThat(doc.labels()).isEqualTo(Map.of("job", "api", "code", "200"));
    }

    @Test
    void should_take_type_help_and_unit_from_metadata_when_metric_is_new_with_metadata() {
        // given
        MetricObservation observed = observe("http_requests_total", Map.of("job", "api"));

        // when
        MetricDocument doc = merger.merge(null, observed, COUNTER, TENANT, false, T1);

        // then
        assertThat(doc.createdAt()).isEqualTo(T1);
        assertThat(doc.typeSource()).isEqualTo(MetricDocument.TYPE_SOURCE_METADATA).isEqualTo("metadata");
        assertThat(doc.type()).isEqualTo("counter");
        assertThat(doc.help()).isEqualTo("Requests served.");
        assertThat(doc.unit()).isEqualTo("requests");
    }

    @Test
    void should_infer_missing_type_and_unit_when_metadata_has_only_help() {
        // given
        MetricObservation observed = observe("node_memory_MemAvailable_bytes", Map.of("instance", "a"));
        MetricMetadata helpOnly = new MetricMetadata("", "Memory available.", "");

        // when
        MetricDocument doc = merger.merge(null, observed, helpOnly, TENANT, false, T1);

        // then
        assertThat(doc.type()).isEqualTo("gauge");
        assertThat(doc.unit()).isEqualTo("bytes");
        assertThat(doc.help()).isEqualTo("Memory available.");
        assertThat(doc.typeSource()).isEqualTo("metadata");
    }

    @Test
    void should_keep_last_metadata_when_later_observation_has_none() {
        // given a document typed from metadata
        MetricObservation observed = observe("http_requests_total", Map.of("job", "api"));
        MetricDocument existing = merger.merge(null, observed, COUNTER, TENANT, false, T1);

        // when the source no longer returns metadata for it
        MetricDocument next = merger.merge(existing, observed, MetricMetadata.NONE, TENANT, false, T2);

        // then
        assertThat(next.typeSource()).isEqualTo("metadata");
        assertThat(next.type()).isEqualTo("counter");
        assertThat(next.help()).isEqualTo("Requests served.");
        assertThat(next.unit()).isEqualTo("requests");
    }

    @Test
    void should_keep_last_metadata_when_incremental_observation_has_none() {
        // given
        MetricDocument existing = merger.merge(null, observe("http_requests_total", Map.of("job", "api")),
                COUNTER, TENANT, false, T1);

        // when
        MetricDocument next = merger.merge(existing, observe("http_requests_total", Map.of("job", "web")),
                MetricMetadata.NONE, TENANT, true, T2);

        // then
        assertThat(next.typeSource()).isEqualTo("metadata");
        assertThat(next.help()).isEqualTo("Requests served.");
    }

    @Test
    void should_replace_metadata_when_source_returns_new_metadata() {
        // given
        MetricObservation observed = observe("http_requests_total", Map.of("job", "api"));
        MetricDocument existing = merger.merge(null, observed, COUNTER, TENANT, false, T1);
        MetricMetadata newer = new MetricMetadata("counter", "All requests served.", "requests");

        // when
        MetricDocument next = merger.merge(existing, observed, newer, TENANT, false, T2);

        // then
        assertThat(next.help()).isEqualTo("All requests served.");
        assertThat(next.updatedAt()).isEqualTo(T2);
    }

    @Test
    void should_infer_again_when_existing_was_inferred_and_observation_has_no_metadata() {
        // given
        MetricObservation observed = observe("rpc_duration_seconds", Map.of("quantile", "0.5"));
        MetricDocument existing = merger.merge(null, observe("rpc_duration_seconds", Map.of("job", "a")),
                MetricMetadata.NONE, TENANT, false, T1);

        // when
        MetricDocument next = merger.merge(existing, observed, MetricMetadata.NONE, TENANT, false, T2);

        // then
        assertThat(existing.type()).isEqualTo("gauge");
        assertThat(next.type()).isEqualTo("summary");
        assertThat(next.typeSource()).isEqualTo("inferred");
    }

    @Test
    void should_union_label_values_and_keep_larger_count_when_merge_is_incremental() {
        // given a document from three series
        MetricDocument existing = merger.merge(null, observe("up",
                        Map.of("job", "node", "instance", "a"),
                        Map.of("job", "node", "instance", "b"),
                        Map.of("job", "vm", "instance", "c")),
                MetricMetadata.NONE, TENANT, false, T1);

        // when a short window saw one series, with a new value and a new key
        MetricDocument next = merger.merge(existing, observe("up", Map.of("job", "api", "zone", "eu")),
                MetricMetadata.NONE, TENANT, true, T2);

        // then
        assertThat(next.seriesCount()).isEqualTo(3);
        assertThat(next.labelValues()).containsOnly(
                entry("instance", List.of("a", "b", "c")),
                entry("job", List.of("api", "node", "vm")),
                entry("zone", List.of("eu")));
        assertThat(next.labelKeys()).containsExactly("instance", "job", "zone");
        assertThat(next.labelCardinality()).containsOnly(entry("instance", 3L), entry("job", 3L), entry("zone", 1L));
        assertThat(next.labels()).isEqualTo(existing.labels());
        assertThat(next.createdAt()).isEqualTo(T1);
        assertThat(next.firstSeen()).isEqualTo(T1);
        assertThat(next.lastSeen()).isEqualTo(T2);
        assertThat(next.updatedAt()).isEqualTo(T2);
    }

    @Test
    void should_take_the_larger_series_count_when_incremental_window_saw_more() {
        // given
        MetricDocument existing = merger.merge(null, observe("up", Map.of("job", "a")),
                MetricMetadata.NONE, TENANT, false, T1);

        // when
        MetricDocument next = merger.merge(existing, observe("up", Map.of("job", "a"), Map.of("job", "b")),
                MetricMetadata.NONE, TENANT, true, T2);

        // then
        assertThat(next.seriesCount()).isEqualTo(2);
    }

    @Test
    void should_cap_unioned_values_but_keep_a_lower_bound_cardinality_when_incremental_merge_overflows() {
        // given a document whose "job" key is already at the cap
        MetricDocument existing = merger.merge(null, observe("up",
                        Map.of("job", "b"), Map.of("job", "c"), Map.of("job", "d")),
                MetricMetadata.NONE, TENANT, false, T1);

        // when two more values arrive
        MetricDocument next = merger.merge(existing, observe("up", Map.of("job", "a"), Map.of("job", "e")),
                MetricMetadata.NONE, TENANT, true, T2);

        // then the kept values are the first CAP in order, and the count never drops below what is known
        assertThat(next.labelValues().get("job")).containsExactly("a", "b", "c");
        assertThat(next.labelCardinality().get("job")).isGreaterThanOrEqualTo(3L);
    }

    @Test
    void should_replace_everything_read_when_merge_is_full() {
        // given
        MetricDocument existing = merger.merge(null, observe("up",
                        Map.of("job", "node", "instance", "a"),
                        Map.of("job", "vm", "instance", "b"),
                        Map.of("job", "vm", "instance", "c")),
                MetricMetadata.NONE, TENANT, false, T1);

        // when a full sync reads a single, different series
        MetricDocument next = merger.merge(existing, observe("up", Map.of("job", "api")),
                MetricMetadata.NONE, TENANT, false, T2);

        // then
        assertThat(next.seriesCount()).isEqualTo(1);
        assertThat(next.labelValues()).containsOnly(entry("job", List.of("api")));
        assertThat(next.labelCardinality()).containsOnly(entry("job", 1L));
        assertThat(next.labelKeys()).containsExactly("job");
        assertThat(next.labels()).isEqualTo(Map.of("job", "api"));
        assertThat(next.createdAt()).isEqualTo(T1);
        assertThat(next.firstSeen()).isEqualTo(T1);
        assertThat(next.lastSeen()).isEqualTo(T2);
        assertThat(next.updatedAt()).isEqualTo(T2);
    }

    @Test
    void should_keep_updated_at_when_full_merge_finds_the_same_content() {
        // given
        MetricObservation observed = observe("up", Map.of("job", "node", "instance", "a"));
        MetricDocument existing = merger.merge(null, observed, MetricMetadata.NONE, TENANT, false, T1);

        // when
        MetricDocument next = merger.merge(existing, observed, MetricMetadata.NONE, TENANT, false, T2);

        // then
        assertThat(next.sameContentAs(existing)).isTrue();
        assertThat(next.updatedAt()).isEqualTo(T1);
        assertThat(next.lastSeen()).isEqualTo(T2);
        assertThat(next.createdAt()).isEqualTo(T1);
    }

    @Test
    void should_keep_updated_at_when_incremental_merge_adds_nothing_new() {
        // given
        MetricDocument existing = merger.merge(null, observe("up",
                        Map.of("job", "node"), Map.of("job", "vm")),
                COUNTER, TENANT, false, T1);

        // when
        MetricDocument next = merger.merge(existing, observe("up", Map.of("job", "vm")),
                MetricMetadata.NONE, TENANT, true, T3);

        // then
        assertThat(next.updatedAt()).isEqualTo(T1);
        assertThat(next.lastSeen()).isEqualTo(T3);
    }

    @Test
    void should_move_updated_at_when_content_changes() {
        // given
        MetricDocument existing = merger.merge(null, observe("up", Map.of("job", "node")),
                MetricMetadata.NONE, TENANT, false, T1);

        // when
        MetricDocument next = merger.merge(existing, observe("up", Map.of("job", "node"), Map.of("job", "vm")),
                MetricMetadata.NONE, TENANT, false, T2);

        // then
        assertThat(next.sameContentAs(existing)).isFalse();
        assertThat(next.updatedAt()).isEqualTo(T2);
    }

    @Test
    void should_ignore_timestamps_when_comparing_content() {
        // given
        MetricObservation observed = observe("up", Map.of("job", "node"));
        MetricDocument a = merger.merge(null, observed, MetricMetadata.NONE, TENANT, false, T1);
        MetricDocument b = merger.merge(null, observed, MetricMetadata.NONE, TENANT, false, T2);

        // when
        boolean same = a.sameContentAs(b);

        // then
        assertThat(same).isTrue();
        assertThat(a.sameContentAs(null)).isFalse();
    }

    @Test
    void should_sort_and_cap_values_but_count_exactly_when_accumulator_sees_many_values() {
        // given
        SeriesAccumulator acc = new SeriesAccumulator("up", CAP);
        for (String instance : List.of("e", "c", "a", "d", "b", "a")) {
            acc.addSeries(Map.of("instance", instance, "job", "node"));
        }

        // when
        MetricObservation observed = acc.toObservation();

        // then
        assertThat(observed.name()).isEqualTo("up");
        assertThat(observed.seriesCount()).isEqualTo(6);
        assertThat(observed.labelValues()).containsOnly(
                entry("instance", List.of("a", "b", "c")),
                entry("job", List.of("node")));
        assertThat(observed.labelCardinality()).containsOnly(entry("instance", 5L), entry("job", 1L));
        assertThat(observed.exampleLabels()).isEqualTo(Map.of("instance", "e", "job", "node"));
    }

    @Test
    void should_carry_capped_values_and_exact_cardinality_into_the_document_when_metric_is_new() {
        // given
        SeriesAccumulator acc = new SeriesAccumulator("up", CAP);
        for (int i = 9; i >= 0; i--) {
            acc.addSeries(Map.of("instance", "host-" + i));
        }

        // when
        MetricDocument doc = merger.merge(null, acc.toObservation(), MetricMetadata.NONE, TENANT, false, T1);

        // then
        assertThat(doc.labelValues().get("instance")).containsExactly("host-0", "host-1", "host-2");
        assertThat(doc.labelCardinality().get("instance")).isEqualTo(10L);
        assertThat(doc.seriesCount()).isEqualTo(10);
    }

    @Test
    void should_keep_the_first_series_as_example_when_caller_reuses_its_labels_map() {
        // given a reader that reuses one map for every series
        SeriesAccumulator acc = new SeriesAccumulator("up", CAP);
        HashMap<String, String> reused = new HashMap<>();
        reused.put("job", "first");
        acc.addSeries(reused);
        reused.clear();
        reused.put("job", "second");
        acc.addSeries(reused);

        // when
        MetricObservation observed = acc.toObservation();

        // then
        assertThat(observed.exampleLabels()).isEqualTo(Map.of("job", "first"));
        assertThat(observed.labelValues().get("job")).containsExactly("first", "second");
    }

    @Test
    void should_use_exact_cardinality_from_label_values_api_when_values_are_set() {
        // given a big metric whose series were counted in parts and whose values came from the label values API
        SeriesAccumulator acc = new SeriesAccumulator("big", CAP);
        acc.addSeriesCount(1_000, Map.of("pod", "p-0"));
        acc.addSeriesCount(500, Map.of("pod", "p-999"));
        acc.setLabelValues("pod", List.of("p-3", "p-1", "p-2", "p-0", "p-4"));

        // when
        MetricObservation observed = acc.toObservation();

        // then
        assertThat(acc.isEmpty()).isFalse();
        assertThat(observed.seriesCount()).isEqualTo(1_500);
        assertThat(observed.exampleLabels()).isEqualTo(Map.of("pod", "p-0"));
        assertThat(observed.labelValues().get("pod")).containsExactly("p-0", "p-1", "p-2");
        assertThat(observed.labelCardinality().get("pod")).isEqualTo(5L);
    }

    @Test
    void should_be_empty_when_no_series_were_added() {
        // given
        SeriesAccumulator acc = new SeriesAccumulator("gone", CAP);

        // when
        MetricObservation observed = acc.toObservation();

        // then
        assertThat(acc.isEmpty()).isTrue();
        assertThat(observed.seriesCount()).isZero();
        assertThat(observed.exampleLabels()).isEmpty();
        assertThat(observed.labelValues()).isEmpty();
    }
}
