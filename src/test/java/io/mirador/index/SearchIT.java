package io.mirador.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search over HTTP on a catalog synced from a real VictoriaMetrics loaded with hand-made series: query
 * syntax and JSON filters, listing, sorts, facets, highlights, histogram and summary families, typos,
 * recording-rule names, one metric's document, name completion, and malformed queries (400, never 500).
 *
 * <p>The data, by {@code job}:
 * <ul>
 *   <li>node: node_network_receive_bytes_total (counter, 2 series, device), node_filesystem_avail_bytes
 *       (gauge, device, mountpoint), node_memory_MemAvailable_bytes (gauge), node_load1 (gauge, no unit),
 *       node_cpu_seconds_total (counter, 3 series, cpu, mode);</li>
 *   <li>app: the histogram http_request_duration_seconds, the summary rpc_latency_seconds,
 *       memory_pool_used_bytes (gauge), app_requests_total and app_memory_allocations_total (counters);</li>
 *   <li>queue: queue_depth_small, _medium and _large with 1, 3 and 5 series;</li>
 *   <li>api and web: the recording rule job:http_requests:rate5m (2 series);</li>
 *   <li>legacy: retired_widget_gauge, deleted from the source after the full sync, so the incremental
 *       sync that follows leaves it an older {@code last_seen} than every other metric.</li>
 * </ul>
 */
class SearchIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String HISTOGRAM = "http_request_duration_seconds";
    static final String SUMMARY = "rpc_latency_seconds";
    static final String RULE = "job:http_requests:rate5m";
    static final String RETIRED = "retired_widget_gauge";
    static final List<String> NODE_METRICS = List.of("node_cpu_seconds_total", "node_filesystem_avail_bytes",
            "node_load1", "node_memory_MemAvailable_bytes", "node_network_receive_bytes_total");

    @TempDir
    static Path dir;
    static VictoriaMetrics vm;
    static Mirador mirador;

    @BeforeAll
    static void start() throws InterruptedException {
        vm = VictoriaMetrics.start(dir);
        vm.importPrometheus(new Series()
                .add("node_network_receive_bytes_total", "device=\"eth0\"")
                .add("node_network_receive_bytes_total", "device=\"lo\"")
                .add("node_filesystem_avail_bytes", "device=\"/dev/sda1\",mountpoint=\"/\"")
                .add("node_memory_MemAvailable_bytes", "")
                .add("node_load1", "")
                .add("node_cpu_seconds_total", "cpu=\"0\",mode=\"idle\"")
                .add("node_cpu_seconds_total", "cpu=\"0\",mode=\"user\"")
                .add("node_cpu_seconds_total", "cpu=\"1\",mode=\"idle\""), "job=node");
        vm.importPrometheus(new Series()
                .add(HISTOGRAM + "_bucket", "le=\"0.1\"")
                .add(HISTOGRAM + "_bucket", "le=\"1\"")
                .add(HISTOGRAM + "_bucket", "le=\"+Inf\"")
                .add(HISTOGRAM + "_sum", "")
                .add(HISTOGRAM + "_count", "")
                .add(SUMMARY, "quantile=\"0.5\"")
                .add(SUMMARY, "quantile=\"0.9\"")
                .add(SUMMARY + "_sum", "")
                .add(SUMMARY + "_count", "")
                .add("memory_pool_used_bytes", "pool=\"heap\"")
                .add("app_requests_total", "path=\"/a\"")
                .add("app_memory_allocations_total", "pool=\"heap\""), "job=app");
        Series queues = new Series();
        queueSeries(queues, "queue_depth_small", 1);
        queueSeries(queues, "queue_depth_medium", 3);
        queueSeries(queues, "queue_depth_large", 5);
        vm.importPrometheus(queues, "job=queue");
        vm.importPrometheus(new Series()
                .add(RULE, "job=\"api\"")
                .add(RULE, "job=\"web\"")
                .add(RETIRED, "job=\"legacy\""));
        mirador = Mirador.start(Mirador.settings(vm.url(), dir.resolve("mirador")));
        mirador.syncNow(true);
        // every metric but the retired one is seen again by a later (incremental) sync: a later last_seen (an
        // incremental sync moves last_seen of what it confirms once it lies before its window: a 1 s lookback here)
        vm.deleteSeries("{__name__=\"" + RETIRED + "\"}");
        mirador.put("/api/v1/metrics/sync/config", "{\"time_range_lookback\":\"1s\"}").ok();
        Thread.sleep(1100);
        mirador.syncNow(false);
    }

    private static void queueSeries(Series series, String name, int count) {
        for (int i = 0; i < count; i++) {
            series.add(name, "queue=\"q" + i + "\"");
        }
    }

    @AfterAll
    static void stop() {
        if (mirador != null) {
            mirador.close();
        }
        if (vm != null) {
            vm.close();
        }
    }

    // --- field syntax in the query -------------------------------------------------------------

    @Test
    void should_list_only_counters_when_the_query_says_type_counter() {
        // when
        JsonNode r = search(Map.of("query", "type:counter job=node"));

        // then
        assertThat(names(r)).containsExactly("node_cpu_seconds_total", "node_network_receive_bytes_total");
        assertThat(r.get("total").asLong()).isEqualTo(2);
        r.get("results").forEach(m -> assertThat(m.get("type").asText()).isEqualTo("counter"));
    }

    @Test
    void should_list_only_byte_metrics_when_the_query_says_unit_bytes() {
        // when
        JsonNode r = search(Map.of("query", "unit:bytes job=node"));

        // then
        assertThat(names(r)).containsExactly("node_filesystem_avail_bytes", "node_memory_MemAvailable_bytes",
                "node_network_receive_bytes_total");
        r.get("results").forEach(m -> assertThat(m.get("unit").asText()).isEqualTo("bytes"));
    }

    @Test
    void should_list_metrics_having_the_key_when_the_query_says_label_device() {
        // when
        JsonNode r = search(Map.of("query", "label:device"));

        // then
        assertThat(names(r)).containsExactly("node_filesystem_avail_bytes", "node_network_receive_bytes_total");
        assertThat(r.get("total").asLong()).isEqualTo(2);
    }

    @Test
    void should_list_names_matching_the_pattern_when_the_query_says_name_with_a_wildcard() {
        // when
        JsonNode r = search(Map.of("query", "name:node_*"));

        // then
        assertThat(names(r)).containsExactlyElementsOf(NODE_METRICS);
        assertThat(r.get("total").asLong()).isEqualTo(NODE_METRICS.size());
    }

    @Test
    void should_list_names_with_the_prefix_when_the_query_says_name_without_a_wildcard() {
        // when
        JsonNode r = search(Map.of("query", "name:queue_depth"));

        // then
        assertThat(names(r)).containsExactly("queue_depth_large", "queue_depth_medium", "queue_depth_small");
    }

    @Test
    void should_list_the_metrics_of_the_pair_when_the_query_is_a_label_pair() {
        // when
        JsonNode r = search(Map.of("query", "job=node"));

        // then
        assertThat(names(r)).containsExactlyElementsOf(NODE_METRICS);
        assertThat(r.get("total").asLong()).isEqualTo(NODE_METRICS.size());
    }

    @Test
    void should_leave_counters_out_when_the_query_negates_type_counter() {
        // when
        JsonNode r = search(Map.of("query", "-type:counter job=node"));

        // then
        assertThat(names(r)).containsExactly("node_filesystem_avail_bytes", "node_load1", "node_memory_MemAvailable_bytes");
    }

    @Test
    void should_apply_the_filters_to_the_matches_of_the_words_when_both_are_given() {
        // when
        JsonNode gauges = search(Map.of("query", "bytes type:gauge"));
        JsonNode notCounters = search(Map.of("query", "receive -type:gauge"));
        JsonNode onNode = search(Map.of("query", "memory job=node"));

        // then
        assertThat(names(gauges)).containsExactlyInAnyOrder("node_filesystem_avail_bytes", "node_memory_MemAvailable_bytes",
                "memory_pool_used_bytes");
        assertThat(names(notCounters)).containsExactly("node_network_receive_bytes_total");
        assertThat(names(onNode)).containsExactly("node_memory_MemAvailable_bytes");
        assertThat(names(search(Map.of("query", "receive -type:counter")))).isEmpty();
    }

    // --- the same filters as JSON fields -------------------------------------------------------

    @Test
    void should_filter_by_type_when_the_body_has_types() {
        // when
        JsonNode r = search(Map.of("query", "", "types", List.of("counter"), "labels", Map.of("job", "node")));
        JsonNode two = search(Map.of("query", "", "types", List.of("histogram", "summary")));

        // then
        assertThat(names(r)).containsExactly("node_cpu_seconds_total", "node_network_receive_bytes_total");
        assertThat(names(two)).containsExactly(HISTOGRAM, SUMMARY);
    }

    @Test
    void should_filter_by_unit_when_the_body_has_units() {
        // when
        JsonNode r = search(Map.of("query", "", "units", List.of("seconds")));

        // then: the families once each, their parts folded
        assertThat(names(r)).containsExactly(HISTOGRAM, "node_cpu_seconds_total", SUMMARY);
        assertThat(r.get("total").asLong()).isEqualTo(3);
    }

    @Test
    void should_filter_by_label_value_when_the_body_has_labels_with_a_value() {
        // when
        JsonNode r = search(Map.of("query", "", "labels", Map.of("device", "eth0")));

        // then
        assertThat(names(r)).containsExactly("node_network_receive_bytes_total");
    }

    @Test
    void should_filter_by_label_key_when_the_body_has_labels_with_a_star() {
        // when
        JsonNode r = search(Map.of("query", "", "labels", Map.of("device", "*")));

        // then
        assertThat(names(r)).containsExactly("node_filesystem_avail_bytes", "node_network_receive_bytes_total");
    }

    @Test
    void should_combine_words_and_body_filters_when_both_are_given() {
        // when
        JsonNode r = search(Map.of("query", "bytes", "types", List.of("gauge"), "labels", Map.of("job", "node")));

        // then
        assertThat(names(r)).containsExactlyInAnyOrder("node_filesystem_avail_bytes", "node_memory_MemAvailable_bytes");
    }

    // --- listing -------------------------------------------------------------------------------

    @Test
    void should_list_exactly_the_matching_metrics_when_the_query_is_empty_and_filters_are_given() {
        // when
        JsonNode queues = search(Map.of("query", "", "labels", Map.of("job", "queue")));
        JsonNode page = search(Map.of("query", "", "labels", Map.of("job", "node"), "limit", 2, "offset", 2));

        // then
        assertThat(names(queues)).containsExactly("queue_depth_large", "queue_depth_medium", "queue_depth_small");
        assertThat(queues.get("total").asLong()).isEqualTo(3);
        assertThat(names(page)).containsExactlyElementsOf(NODE_METRICS.subList(2, 4));
        assertThat(page.get("total").asLong()).as("total is all matches, not the page").isEqualTo(5);
    }

    // --- sorts ---------------------------------------------------------------------------------

    @Test
    void should_sort_by_name_ascending_when_sort_is_name_without_order() {
        // when
        JsonNode asc = search(Map.of("query", "", "labels", Map.of("job", "queue"), "sort", "name"));
        JsonNode desc = search(Map.of("query", "", "labels", Map.of("job", "queue"), "sort", "name", "order", "desc"));

        // then
        assertThat(names(asc)).containsExactly("queue_depth_large", "queue_depth_medium", "queue_depth_small");
        assertThat(names(desc)).containsExactly("queue_depth_small", "queue_depth_medium", "queue_depth_large");
    }

    @Test
    void should_sort_by_series_count_descending_when_sort_is_series_count_without_order() {
        // when
        JsonNode desc = search(Map.of("query", "", "labels", Map.of("job", "queue"), "sort", "series_count"));
        JsonNode asc = search(Map.of("query", "", "labels", Map.of("job", "queue"), "sort", "series_count", "order", "asc"));

        // then
        assertThat(names(desc)).containsExactly("queue_depth_large", "queue_depth_medium", "queue_depth_small");
        assertThat(longs(desc, "series_count")).containsExactly(5L, 3L, 1L);
        assertThat(names(asc)).containsExactly("queue_depth_small", "queue_depth_medium", "queue_depth_large");
        assertThat(longs(asc, "series_count")).containsExactly(1L, 3L, 5L);
    }

    @Test
    void should_sort_by_last_seen_newest_first_when_sort_is_last_seen_without_order() {
        // when
        JsonNode desc = search(Map.of("query", "", "sort", "last_seen", "limit", 1000));
        JsonNode asc = search(Map.of("query", "", "sort", "last_seen", "order", "asc", "limit", 1000));

        // then: the retired metric was last seen by the full sync, everything else by the later one
        List<String> newestFirst = names(desc);
        assertThat(newestFirst).hasSizeGreaterThan(2).last().isEqualTo(RETIRED);
        assertThat(names(asc)).first().isEqualTo(RETIRED);
        List<Instant> seen = instants(desc, "last_seen");
        assertThat(seen.get(seen.size() - 1)).isBefore(seen.get(0));
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).as("last_seen of %s", newestFirst.get(i)).isBeforeOrEqualTo(seen.get(i - 1));
        }
        List<Instant> seenAsc = instants(asc, "last_seen");
        for (int i = 1; i < seenAsc.size(); i++) {
            assertThat(seenAsc.get(i)).isAfterOrEqualTo(seenAsc.get(i - 1));
        }
    }

    @ParameterizedTest
    @MethodSource
    void should_answer_400_when_sort_or_order_is_unknown(Map<String, Object> body, String message) {
        // when
        Mirador.Response r = mirador.post("/api/v1/metrics/search", json(body));

        // then
        assertError(r, message);
    }

    static Stream<Arguments> should_answer_400_when_sort_or_order_is_unknown() {
        return Stream.of(
                Arguments.of(Map.of("query", "", "sort", "size"), "sort must be one of"),
                Arguments.of(Map.of("query", "", "sort", "name", "order", "up"), "order must be asc or desc"));
    }

    // --- facets --------------------------------------------------------------------------------

    @Test
    void should_count_matches_by_type_unit_and_label_key_when_facets_are_asked() {
        // when
        JsonNode r = search(Map.of("query", "", "labels", Map.of("job", "node"), "facets", true));

        // then
        JsonNode facets = r.get("facets");
        assertThat(facets).as("facets in %s", r).isNotNull();
        assertThat(counts(facets.get("types"))).isEqualTo(Map.of("counter", 2L, "gauge", 3L));
        assertThat(counts(facets.get("units"))).isEqualTo(Map.of("bytes", 3L, "seconds", 1L));
        assertThat(counts(facets.get("label_keys")))
                .isEqualTo(Map.of("job", 5L, "device", 2L, "cpu", 1L, "mode", 1L, "mountpoint", 1L));
    }

    @Test
    void should_not_count_facets_when_facets_are_not_asked() {
        // when
        JsonNode r = search(Map.of("query", "", "labels", Map.of("job", "node")));

        // then
        assertThat(r.path("facets").isMissingNode() || r.get("facets").isNull()).as("facets in %s", r).isTrue();
    }

    // --- highlights ----------------------------------------------------------------------------

    @Test
    void should_mark_the_matched_word_of_the_name_when_highlights_are_on_by_default() {
        // when
        JsonNode first = search(Map.of("query", "network")).get("results").get(0);

        // then
        assertThat(first.get("name").asText()).isEqualTo("node_network_receive_bytes_total");
        assertThat(first.path("highlights").path("name").asText()).isEqualTo("node_<em>network</em>_receive_bytes_total");
    }

    @Test
    void should_mark_nothing_when_highlight_is_false() {
        // when
        JsonNode first = search(Map.of("query", "network", "highlight", false)).get("results").get(0);

        // then
        assertThat(first.get("name").asText()).isEqualTo("node_network_receive_bytes_total");
        assertThat(first.path("highlights").isMissingNode() || first.get("highlights").isNull())
                .as("highlights of %s", first).isTrue();
    }

    // --- histogram and summary families --------------------------------------------------------

    @Test
    void should_show_the_histogram_once_with_its_parts_when_a_search_matches_the_family() {
        // when
        JsonNode r = search(Map.of("query", "http request duration"));

        // then
        List<String> names = names(r);
        assertThat(names).contains(HISTOGRAM)
                .doesNotContain(HISTOGRAM + "_bucket", HISTOGRAM + "_sum", HISTOGRAM + "_count");
        JsonNode family = byName(r, HISTOGRAM);
        assertThat(family.get("type").asText()).isEqualTo("histogram");
        assertThat(strings(family.get("parts"))).containsExactlyInAnyOrder(
                HISTOGRAM + "_bucket", HISTOGRAM + "_sum", HISTOGRAM + "_count");
        assertThat(strings(family.get("label_keys"))).doesNotContain("le");
    }

    /** The state counts metrics as a search lists them (a family once), and names the documents apart. */
    @Test
    void should_count_in_the_state_what_a_search_lists_and_the_documents_apart() {
        // when
        JsonNode state = mirador.state();
        JsonNode all = search(Map.of("query", "", "limit", 1000));

        // then
        assertThat(state.get("metrics_in_index").asInt()).isEqualTo(all.get("total").asInt());
        // the histogram's three parts and the summary's two are documents a search folds into their families
        assertThat(state.get("documents_in_index").asInt()).isEqualTo(all.get("total").asInt() + 5);
        JsonNode health = mirador.get("/api/v1/metrics/health").ok();
        assertThat(health.get("tenants").get(0).get("metrics_in_index").asInt()).isEqualTo(all.get("total").asInt());
    }

    @Test
    void should_find_the_part_itself_when_the_query_is_the_exact_part_name() {
        // when
        JsonNode r = search(Map.of("query", HISTOGRAM + "_count"));
        JsonNode summaryPart = search(Map.of("query", SUMMARY + "_sum"));

        // then
        assertThat(names(r)).first().isEqualTo(HISTOGRAM + "_count");
        assertThat(names(summaryPart)).first().isEqualTo(SUMMARY + "_sum");
    }

    @Test
    void should_show_the_summary_once_with_its_parts_when_a_search_matches_the_family() {
        // when
        JsonNode r = search(Map.of("query", "rpc latency"));

        // then
        assertThat(names(r)).contains(SUMMARY).doesNotContain(SUMMARY + "_sum", SUMMARY + "_count");
        JsonNode family = byName(r, SUMMARY);
        assertThat(family.get("type").asText()).isEqualTo("summary");
        assertThat(strings(family.get("parts"))).containsExactlyInAnyOrder(SUMMARY, SUMMARY + "_sum", SUMMARY + "_count");
    }

    // --- typos ---------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "netwrok,    node_network_receive_bytes_total",
            "recieve,    node_network_receive_bytes_total",
            "filesytsem, node_filesystem_avail_bytes",
            "memroy avail, node_memory_MemAvailable_bytes"})
    void should_find_the_metric_when_a_word_has_two_letters_swapped(String typo, String expected) {
        // when
        List<String> names = names(search(Map.of("query", typo, "limit", 5)));

        // then
        assertThat(names).as("results of '%s'", typo).isNotEmpty();
        assertThat(names.get(0)).as("first result of '%s' in %s", typo, names).isEqualTo(expected);
    }

    // --- recording-rule names and one metric's document ----------------------------------------

    @Test
    void should_find_a_recording_rule_when_its_name_has_colons() {
        // when
        JsonNode exact = search(Map.of("query", RULE));
        JsonNode words = search(Map.of("query", "http requests rate5m"));

        // then
        assertThat(names(exact)).first().isEqualTo(RULE);
        assertThat(names(words)).contains(RULE);
    }

    @Test
    void should_answer_the_whole_document_when_a_metric_is_asked_by_name() {
        // when
        JsonNode doc = mirador.get("/api/v1/metrics/default/" + RULE).ok();

        // then
        assertThat(doc.get("name").asText()).isEqualTo(RULE);
        assertThat(doc.get("id").asText()).isEqualTo(RULE);
        assertThat(doc.get("series_count").asLong()).isEqualTo(2);
        assertThat(strings(doc.get("label_values").get("job"))).containsExactly("api", "web");
        assertThat(doc.get("label_cardinality").get("job").asLong()).isEqualTo(2);
        assertThat(strings(doc.get("label_keys"))).containsExactly("job");
        Instant firstSeen = Instant.parse(doc.get("first_seen").asText());
        Instant lastSeen = Instant.parse(doc.get("last_seen").asText());
        assertThat(lastSeen).isAfterOrEqualTo(firstSeen);
        assertThat(doc.get("tenant_id").asText()).isEqualTo("default");
    }

    @Test
    void should_answer_404_when_the_metric_is_unknown() {
        // when
        Mirador.Response r = mirador.get("/api/v1/metrics/default/no_such_metric_total");

        // then
        assertThat(r.status()).as("status of %s", r.body()).isEqualTo(404);
        assertThat(r.json().get("status").asText()).isEqualTo("error");
        assertThat(r.json().get("errorType").asText()).isEqualTo("not_found");
        assertThat(r.json().get("error").asText()).contains("no_such_metric_total");
    }

    // --- name completion -----------------------------------------------------------------------

    @Test
    void should_complete_names_starting_with_the_text_first_when_the_case_differs() {
        // when
        List<String> names = suggestions(suggest("MEMORY", 10));

        // then: the name that starts with it, then names with a word that does, each group by name
        assertThat(names).containsExactly("memory_pool_used_bytes", "app_memory_allocations_total",
                "node_memory_MemAvailable_bytes");
    }

    @Test
    void should_complete_a_name_when_each_typed_word_starts_one_of_its_words() {
        // when
        List<String> names = suggestions(suggest("mem avail", 10));

        // then
        assertThat(names).containsExactly("node_memory_MemAvailable_bytes");
    }

    @Test
    void should_answer_at_most_limit_names_when_more_complete_the_text() {
        // when
        List<String> names = suggestions(suggest("node", 2));

        // then
        assertThat(names).containsExactlyElementsOf(NODE_METRICS.subList(0, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1000", "many"})
    void should_answer_400_when_the_suggest_limit_is_out_of_range(String limit) {
        // when
        Mirador.Response r = mirador.get("/api/v1/metrics/suggest?q=node&limit=" + limit);

        // then
        assertError(r, "limit");
    }

    // --- malformed queries ---------------------------------------------------------------------

    @ParameterizedTest(name = "{1}")
    @MethodSource
    void should_answer_400_with_a_message_when_the_query_is_malformed(String query, String message) {
        // when
        Mirador.Response r = mirador.post("/api/v1/metrics/search", json(Map.of("query", query)));

        // then
        assertError(r, message);
    }

    static Stream<Arguments> should_answer_400_with_a_message_when_the_query_is_malformed() {
        String fortyTerms = IntStream.range(0, 40).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
        return Stream.of(
                Arguments.of("\"cpu", "unbalanced quote"),
                Arguments.of("node \"cpu seconds", "unbalanced quote"),
                Arguments.of("-", "excludes nothing"),
                Arguments.of("cpu - seconds", "excludes nothing"),
                Arguments.of("=node", "nothing before it"),
                Arguments.of("type:", "no value"),
                Arguments.of("job=", "no value"),
                Arguments.of("x".repeat(10_000), "characters long"),
                Arguments.of(fortyTerms, "terms"));
    }

    @Test
    void should_answer_fast_and_never_500_when_the_query_is_a_wildcard_bomb() {
        // given
        String bomb = "name:" + "*a".repeat(20) + "*";

        // when
        long started = System.nanoTime();
        Mirador.Response r = mirador.post("/api/v1/metrics/search", json(Map.of("query", bomb)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // then: refused as too complex, or answered cheaply
        assertThat(r.status()).as("status of %s", r.body()).isIn(200, 400);
        if (r.status() == 400) {
            assertError(r, "");
        }
        assertThat(took).as("time to answer %s", bomb).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void should_answer_fast_and_never_500_when_a_label_filter_is_a_wildcard_bomb() {
        // given
        String bomb = "*a".repeat(20) + "*";

        // when
        long started = System.nanoTime();
        Mirador.Response r = mirador.post("/api/v1/metrics/search", json(Map.of("query", "", "labels", Map.of("job", bomb))));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // then
        assertThat(r.status()).as("status of %s", r.body()).isIn(200, 400);
        if (r.status() == 400) {
            assertError(r, "");
        }
        assertThat(took).as("time to answer %s", bomb).isLessThan(Duration.ofSeconds(2));
    }

    // --- helpers -------------------------------------------------------------------------------

    static JsonNode search(Map<String, ?> body) {
        return mirador.search(json(body));
    }

    static JsonNode suggest(String typed, int limit) {
        return mirador.get("/api/v1/metrics/suggest?q=" + URLEncoder.encode(typed, StandardCharsets.UTF_8).replace("+", "%20")
                + "&limit=" + limit).ok();
    }

    static String json(Map<String, ?> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> names(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.get("results").forEach(m -> out.add(m.get("name").asText()));
        return out;
    }

    static List<String> suggestions(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.get("suggestions").forEach(s -> out.add(s.get("name").asText()));
        return out;
    }

    static List<Long> longs(JsonNode response, String field) {
        List<Long> out = new ArrayList<>();
        response.get("results").forEach(m -> out.add(m.get(field).asLong()));
        return out;
    }

    static List<Instant> instants(JsonNode response, String field) {
        List<Instant> out = new ArrayList<>();
        response.get("results").forEach(m -> out.add(Instant.parse(m.get(field).asText())));
        return out;
    }

    static List<String> strings(JsonNode array) {
        assertThat(array).as("a JSON array").isNotNull();
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Map<String, Long> counts(JsonNode object) {
        assertThat(object).as("a facet").isNotNull();
        Map<String, Long> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }

    static JsonNode byName(JsonNode response, String name) {
        for (JsonNode m : response.get("results")) {
            if (m.get("name").asText().equals(name)) {
                return m;
            }
        }
        throw new AssertionError(name + " not among the results: " + response);
    }

    static void assertError(Mirador.Response r, String message) {
        assertThat(r.status()).as("status of %s", r.body()).isEqualTo(400);
        JsonNode body = r.json();
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("errorType").asText()).isEqualTo("bad_data");
        assertThat(body.get("error").asText()).isNotBlank().contains(message);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
