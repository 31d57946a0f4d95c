package io.mirador.source;

import io.mirador.catalog.MetricMetadata;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class PrometheusResponsesTest {

    private static final String ERROR = "{\"status\":\"error\",\"errorType\":\"422\",\"error\":\"boom\"}";

    private static InputStream body(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    /** One series as the sink saw it, copied because the reader reuses its labels map. */
    private record Series(String name, Map<String, String> labels) {
    }

    private static List<Series> readSeries(String json) throws IOException {
        List<Series> out = new ArrayList<>();
        PrometheusResponses.series(body(json), (name, labels) -> out.add(new Series(name, new TreeMap<>(labels))));
        return out;
    }

    @Test
    void should_read_the_tsdb_status_census_and_minus_one_for_what_it_does_not_say() throws IOException {
        // given: VictoriaMetrics' answer (other lists and fields around the ones read), and Prometheus' (no totalSeries)
        String vm = "{\"status\":\"success\",\"data\":{\"totalSeries\":51,\"seriesCountByMetricName\":[{\"name\":\"up\","
                + "\"value\":1},{\"name\":\"node_cpu_seconds_total\",\"value\":50}],\"labelValueCountByLabelName\":"
                + "[{\"name\":\"instance\",\"value\":3},{\"name\":\"__name__\",\"value\":2}],\"headStats\":{\"numSeries\":51}}}";
        String prometheus = "{\"status\":\"success\",\"data\":{\"headStats\":{\"numSeries\":51},"
                + "\"labelValueCountByLabelName\":[{\"name\":\"job\",\"value\":2},{\"name\":\"__name__\",\"value\":5000}]}}";
        LocalDate day = LocalDate.of(2026, 11, 26);

        // when
        SeriesCensus fromVm = PrometheusResponses.census(body(vm), day);
        SeriesCensus fromPrometheus = PrometheusResponses.census(body(prometheus), day);

        // then
        assertThat(fromVm).isEqualTo(new SeriesCensus(day, 51, 2, Map.of("up", 1L, "node_cpu_seconds_total", 50L)));
        assertThat(fromVm.countsSeries()).isTrue();
        assertThat(fromVm.hasEveryName()).isTrue();
        assertThat(fromPrometheus.totalSeries()).isEqualTo(-1);
        assertThat(fromPrometheus.names()).isEqualTo(5000);
        assertThat(fromPrometheus.countsSeries()).isFalse();
        assertThat(fromPrometheus.hasEveryName()).isFalse();
        assertThatThrownBy(() -> PrometheusResponses.census(body(ERROR), day)).isInstanceOf(SourceAnswerException.class);
    }

    @Test
    void should_keep_at_most_a_thousand_names_when_a_census_lists_more() throws IOException {
        // given: a source answering far more names than topN asked for
        StringBuilder json = new StringBuilder("{\"status\":\"success\",\"data\":{\"totalSeries\":5000,"
                + "\"seriesCountByMetricName\":[");
        for (int i = 0; i < 5000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"m").append(i).append("\",\"value\":1}");
        }
        json.append("],\"labelValueCountByLabelName\":[{\"name\":\"__name__\",\"value\":5000}]}}");

        // when
        SeriesCensus census = PrometheusResponses.census(body(json.toString()), LocalDate.of(2026, 11, 26));

        // then
        assertThat(census.seriesByName()).hasSize(PrometheusApi.CENSUS_NAMES);
        assertThat(census.names()).isEqualTo(5000);
        assertThat(census.hasEveryName()).isFalse();
    }

    @Test
    void should_read_the_strings_when_data_is_a_string_array() throws IOException {
        // given
        String json = "{\"status\":\"success\",\"data\":[\"up\",\"node_load1\",\"rec:rule:sum\"]}";

        // when
        List<String> strings = PrometheusResponses.strings(body(json));

        // then
        assertThat(strings).containsExactly("up", "node_load1", "rec:rule:sum");
    }

    @Test
    void should_read_no_strings_when_data_is_empty() throws IOException {
        // given
        String json = "{\"status\":\"success\",\"data\":[]}";

        // when
        List<String> strings = PrometheusResponses.strings(body(json));

        // then
        assertThat(strings).isEmpty();
    }

    @Test
    void should_skip_other_fields_when_they_come_before_data() throws IOException {
        // given warnings and extra fields ahead of data
        String json = "{\"status\":\"success\",\"isPartial\":false,\"warnings\":[\"w\"],\"stats\":{\"a\":[1,2]},"
                + "\"data\":[\"a\"]}";

        // when
        List<String> strings = PrometheusResponses.strings(body(json));

        // then
        assertThat(strings).containsExactly("a");
    }

    @Test
    void should_throw_when_data_holds_a_non_string() {
        // given
        String json = "{\"status\":\"success\",\"data\":[\"a\",1]}";

        // when / then
        assertThatThrownBy(() -> PrometheusResponses.strings(body(json))).isInstanceOf(IOException.class);
    }

    @Test
    void should_hand_name_and_labels_without_name_when_series_are_read() throws IOException {
        // given
        String json = "{\"status\":\"success\",\"data\":["
                + "{\"__name__\":\"up\",\"job\":\"node\",\"instance\":\"a:9100\"},"
                + "{\"__name__\":\"up\",\"job\":\"vm\",\"instance\":\"b:8428\"}]}";

        // when
        List<Series> series = readSeries(json);

        // then
        assertThat(series).containsExactly(
                new Series("up", Map.of("job", "node", "instance", "a:9100")),
                new Series("up", Map.of("job", "vm", "instance", "b:8428")));
    }

    @Test
    void should_read_the_name_when_it_comes_after_other_labels() throws IOException {
        // given
        String json = "{\"status\":\"success\",\"data\":[{\"job\":\"node\",\"__name__\":\"node_load1\",\"cpu\":\"0\"}]}";

        // when
        List<Series> series = readSeries(json);

        // then
        assertThat(series).containsExactly(new Series("node_load1", Map.of("job", "node", "cpu", "0")));
    }

    @Test
    void should_not_carry_labels_over_when_next_series_has_fewer_labels() throws IOException {
        // given
        String json = "{\"status\":\"success\",\"data\":["
                + "{\"__name__\":\"x\",\"a\":\"1\",\"b\":\"2\"},"
                + "{\"__name__\":\"x\",\"a\":\"3\"}]}";

        // when
        List<Series> series = readSeries(json);

        // then
        assertThat(series).extracting(Series::labels).containsExactly(Map.of("a", "1", "b", "2"), Map.of("a", "3"));
    }

    @Test
    void should_read_no_series_when_data_is_empty() throws IOException {
        // given
        String json = "{\"status\":\"success\",\"data\":[]}";

        // when
        List<Series> series = readSeries(json);

        // then
        assertThat(series).isEmpty();
    }

    @Test
    void should_throw_when_a_label_value_is_not_a_string() {
        // given
        String json = "{\"status\":\"success\",\"data\":[{\"__name__\":\"x\",\"a\":1}]}";

        // when / then
        assertThatThrownBy(() -> readSeries(json)).isInstanceOf(IOException.class).hasMessageContaining("label a");
    }

    @Test
    void should_keep_the_first_entry_per_name_when_metadata_lists_several() throws IOException {
        // given
        String json = "{\"status\":\"success\",\"data\":{"
                + "\"up\":[{\"type\":\"gauge\",\"help\":\"Target is up.\",\"unit\":\"\"}],"
                + "\"http_requests_total\":["
                + "{\"type\":\"counter\",\"help\":\"Requests served.\",\"unit\":\"requests\"},"
                + "{\"type\":\"gauge\",\"help\":\"Other help.\",\"unit\":\"\"}]}}";

        // when
        Map<String, MetricMetadata> metadata = PrometheusResponses.metadata(body(json));

        // then
        assertThat(metadata).containsOnly(
                entry("up", new MetricMetadata("gauge", "Target is up.", "")),
                entry("http_requests_total", new MetricMetadata("counter", "Requests served.", "requests")));
    }

    @Test
    void should_default_missing_fields_to_empty_when_metadata_entry_is_partial() throws IOException {
        // given an entry without unit and with an extra nested field
        String json = "{\"status\":\"success\",\"data\":{\"x\":[{\"extra\":{\"k\":[1]},\"type\":\"summary\",\"help\":\"h\"}]}}";

        // when
        Map<String, MetricMetadata> metadata = PrometheusResponses.metadata(body(json));

        // then
        assertThat(metadata).containsOnly(entry("x", new MetricMetadata("summary", "h", "")));
    }

    @Test
    void should_leave_out_a_name_when_its_metadata_list_is_empty() throws IOException {
        // given
        String json = "{\"status\":\"success\",\"data\":{\"x\":[],\"y\":[{\"type\":\"gauge\",\"help\":\"\",\"unit\":\"\"}]}}";

        // when
        Map<String, MetricMetadata> metadata = PrometheusResponses.metadata(body(json));

        // then
        assertThat(metadata).containsOnlyKeys("y");
    }

    @Test
    void should_throw_mentioning_the_error_when_strings_response_is_an_error() {
        // given
        String json = ERROR;

        // when / then
        assertThatThrownBy(() -> PrometheusResponses.strings(body(json)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("error")
                .hasMessageContaining("boom");
    }

    @Test
    void should_throw_mentioning_the_error_when_series_response_is_an_error() {
        // given
        String json = ERROR;

        // when / then
        assertThatThrownBy(() -> readSeries(json))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("boom");
    }

    @Test
    void should_throw_mentioning_the_error_when_metadata_response_is_an_error() {
        // given
        String json = ERROR;

        // when / then
        assertThatThrownBy(() -> PrometheusResponses.metadata(body(json)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("boom");
    }

    @Test
    void should_throw_when_an_error_response_also_carries_data() {
        // given an error envelope that still has a data field
        String json = "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"too many series\",\"data\":[\"a\"]}";

        // when / then
        assertThatThrownBy(() -> PrometheusResponses.strings(body(json)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("too many series");
    }

    @Test
    void should_throw_when_data_has_the_wrong_shape() {
        // given an object where an array is expected
        String json = "{\"status\":\"success\",\"data\":{\"a\":[]}}";

        // when / then
        assertThatThrownBy(() -> PrometheusResponses.strings(body(json))).isInstanceOf(IOException.class);
    }

    @Test
    void should_throw_when_response_is_not_a_json_object() {
        // given
        String json = "[\"a\"]";

        // when / then
        assertThatThrownBy(() -> PrometheusResponses.strings(body(json))).isInstanceOf(IOException.class);
    }

    @Test
    void should_keep_the_first_series_of_a_range_query_and_count_the_others() throws IOException {
        // given
        StringBuilder json = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        for (int i = 0; i < 25; i++) {
            json.append(i == 0 ? "" : ",").append("{\"metric\":{\"mode\":\"m").append(i)
                    .append("\"},\"values\":[[1700000000,\"1.5\"],[1700000015.5,\"NaN\"],[1700000030,\"+Inf\"]]}");
        }
        json.append("]}}");

        // when
        RangeSeries r = PrometheusResponses.matrix(body(json.toString()), 10);

        // then
        assertThat(r.series()).hasSize(10);
        assertThat(r.total()).isEqualTo(25);
        assertThat(r.truncated()).isTrue();
        assertThat(r.series().get(3).labels()).containsEntry("mode", "m3");
        assertThat(r.series().get(0).times()).containsExactly(1700000000, 1700000015.5, 1700000030);
        assertThat(r.series().get(0).values()[0]).isEqualTo(1.5);
        assertThat(r.series().get(0).values()[1]).isNaN();
        assertThat(r.series().get(0).values()[2]).isInfinite();
    }

    @Test
    void should_refuse_a_range_answer_that_failed_is_no_matrix_or_has_a_garbage_value() {
        assertThatThrownBy(() -> PrometheusResponses.matrix(body(
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}"), 10))
                .isInstanceOf(SourceAnswerException.class).hasMessageContaining("parse error");
        assertThatThrownBy(() -> PrometheusResponses.matrix(body(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"), 10))
                .isInstanceOf(SourceAnswerException.class).hasMessageContaining("matrix");
        assertThatThrownBy(() -> PrometheusResponses.matrix(body(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                        + "\"values\":[[1,\"one\"]]}]}}"), 10))
                .isInstanceOf(SourceAnswerException.class).hasMessageContaining("'one'");
    }

    @Test
    void should_refuse_a_range_series_with_more_points_than_prometheus_allows_or_labels_and_times_that_are_no_strings_and_numbers() {
        StringBuilder many = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{},\"values\":[");
        for (int i = 0; i <= PrometheusResponses.MAX_POINTS; i++) {
            many.append(i == 0 ? "" : ",").append("[").append(1_700_000_000 + i).append(",\"1\"]");
        }
        many.append("]}]}}");
        assertThatThrownBy(() -> PrometheusResponses.matrix(body(many.toString()), 10))
                .isInstanceOf(SourceAnswerException.class).hasMessageContaining("more than 11000 points");
        assertThatThrownBy(() -> PrometheusResponses.matrix(body("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
                + "\"result\":[{\"metric\":{\"a\":null},\"values\":[]}]}}"), 10))
                .isInstanceOf(SourceAnswerException.class).hasMessageContaining("label a");
        assertThatThrownBy(() -> PrometheusResponses.matrix(body("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
                + "\"result\":[{\"metric\":{},\"values\":[[\"x\",\"1\"]]}]}}"), 10))
                .isInstanceOf(SourceAnswerException.class).hasMessageContaining("time");
    }
}
