package io.mirador.catalog;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A metric's words for semantic search: name words, help, unit; a huge help text is cut; equal texts, equal hashes. */
class MetricTextTest {

    static MetricDocument doc(String name, String help, String unit) {
        Instant now = Instant.parse("2026-11-26T00:00:00Z");
        return new MetricDocument(name, name, "gauge", help, unit, Map.of(), List.of(), "t", now, now, now, now, 1,
                Map.of(), Map.of(), MetricDocument.TYPE_SOURCE_METADATA, null, null);
    }

    @Test
    void should_say_the_name_words_help_and_unit_when_a_metric_has_them() {
        assertThat(MetricText.of(doc("node_memory_MemAvailable_bytes", " Memory information field. ", "bytes")))
                .isEqualTo("node memory mem available bytes: Memory information field.");
        assertThat(MetricText.of(doc("rec:rule.sum", "", "seconds"))).isEqualTo("rec rule sum (seconds)");
    }

    @Test
    void should_describe_the_series_a_scraper_writes_when_the_source_has_no_help_for_them() {
        assertThat(MetricText.of(doc("up", "", ""))).startsWith("up: 1 if the scrape target is healthy");
        assertThat(MetricText.of(doc("up", "Its own help.", ""))).isEqualTo("up: Its own help.");
        assertThat(MetricText.of(doc("down", "", ""))).isEqualTo("down");
    }

    @Test
    void should_cut_a_huge_help_text_and_hash_equal_texts_alike() {
        String huge = "x".repeat(100_000);
        String text = MetricText.of(doc("big_help", huge, ""));

        assertThat(text).hasSize("big help: ".length() + MetricText.MAX_HELP);
        assertThat(MetricText.hash(text)).hasSize(16).isEqualTo(MetricText.hash(MetricText.of(doc("big_help", huge + "y", ""))));
        assertThat(MetricText.hash("a")).isNotEqualTo(MetricText.hash("b"));
    }
}
