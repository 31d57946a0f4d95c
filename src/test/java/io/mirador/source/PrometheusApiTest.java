package io.mirador.source;

import io.mirador.catalog.MetricMetadata;
import io.mirador.catalog.SeriesAccumulator;
import io.mirador.support.DutyCycle;
import io.mirador.tenant.Tenant;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.mirador.source.FakeSource.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The Prometheus API calls are sent as the source expects them (where, with which credentials, which parameters in
 * which order), and an answer with no series for names the source has just listed is refused by the reader itself,
 * so it is a failed read and never an empty catalog.
 */
class PrometheusApiTest {

    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer secret-token");
    private static final Tenant TENANT = new Tenant("t", "http://vm.test:8428/", "", AUTH, "");
    /** The end has a fraction of a second: it is sent rounded up. */
    private static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2025-01-01T00:00:00Z"),
            Instant.parse("2025-01-01T01:00:00.250Z"));
    private static final String EMPTY = "{\"status\":\"success\",\"data\":[]}";

    private static PrometheusApi api(FakeSource source) {
        return new PrometheusApi(source, 100, DutyCycle.never());
    }

    @Test
    void should_refuse_an_answer_without_series_when_reading_series_of_several_listed_names() {
        // given a source that answers a well-formed, successful, empty list
        FakeSource source = FakeSource.answering(EMPTY);

        // when / then: the reader ran and refused it
        assertThatThrownBy(() -> api(source).seriesOfListedNames(TENANT, List.of("{__name__=~\"up|down\"}"), WINDOW, 2))
                .isInstanceOf(SourceReadException.class)
                .cause()
                .isInstanceOf(SourceAnswerException.class)
                .hasMessage("the source answered no series for 2 metric names it listed");
        assertThat(source.calls()).hasSize(1);
    }

    @Test
    void should_accept_an_answer_without_series_when_one_listed_name_lost_its_series() {
        // given: the one name asked for may have been deleted since the list was read
        FakeSource source = FakeSource.answering(EMPTY);

        // when
        Map<String, SeriesAccumulator> page = api(source).seriesOfListedNames(TENANT, List.of("{__name__=\"up\"}"), WINDOW, 1);

        // then
        assertThat(page).isEmpty();
    }

    @Test
    void should_count_zero_when_counting_series_and_the_answer_has_none() {
        // given
        FakeSource source = FakeSource.answering(EMPTY);

        // when
        PrometheusApi.SeriesCount count = api(source).countSeries(TENANT, List.of("{__name__=\"up\",job=\"\"}"), WINDOW);

        // then: counting a part may find nothing
        assertThat(count.count()).isZero();
        assertThat(count.first()).isNull();
    }

    @Test
    void should_fold_series_per_name_when_reading_series_of_listed_names() {
        // given
        FakeSource source = FakeSource.answering(FakeSource.series(List.of(
                s("up", "job", "node"), s("node_load1", "job", "node"), s("up", "job", "vm"))));

        // when
        Map<String, SeriesAccumulator> page = api(source).seriesOfListedNames(TENANT,
                List.of("{__name__=~\"up|node_load1\"}"), WINDOW, 2);

        // then
        assertThat(page.keySet()).containsExactly("up", "node_load1");
        assertThat(page.get("up").seriesCount()).isEqualTo(2);
        assertThat(page.get("up").toObservation().labelValues()).containsOnly(entry("job", List.of("node", "vm")));
        assertThat(page.get("node_load1").seriesCount()).isEqualTo(1);
    }

    @Test
    void should_post_start_end_and_every_selector_when_reading_series() {
        // given
        FakeSource source = FakeSource.answering(FakeSource.series(List.of(s("up"))));

        // when
        api(source).seriesOfListedNames(TENANT, List.of("{__name__=\"up\"}", "{__name__=\"down\"}"), WINDOW, 2);

        // then
        SourceRequest<?> sent = source.calls().get(0).request();
        assertThat(sent.url()).isEqualTo("http://vm.test:8428/api/v1/series");
        assertThat(sent.post()).isTrue();
        assertThat(sent.tenantId()).isEqualTo("t");
        assertThat(sent.headers()).isEqualTo(AUTH);
        assertThat(sent.params()).containsExactly(
                entry("start", "1735689600"), entry("end", "1735693201"),
                entry("match[]", "{__name__=\"up\"}"), entry("match[]", "{__name__=\"down\"}"));
    }

    @Test
    void should_get_label_values_with_the_limit_last_when_a_limit_is_given() {
        // given
        FakeSource source = FakeSource.answering(FakeSource.strings(List.of("a", "b")));

        // when
        List<String> values = api(source).labelValues(TENANT, "__name__", List.of("{__name__=~\"a.*\"}"), WINDOW, 50);

        // then
        assertThat(values).containsExactly("a", "b");
        SourceRequest<?> sent = source.calls().get(0).request();
        assertThat(sent.url()).isEqualTo("http://vm.test:8428/api/v1/label/__name__/values");
        assertThat(sent.post()).isFalse();
        assertThat(sent.params()).containsExactly(
                entry("start", "1735689600"), entry("end", "1735693201"),
                entry("match[]", "{__name__=~\"a.*\"}"), entry("limit", "50"));
        assertThat(sent.encodedParams())
                .isEqualTo("start=1735689600&end=1735693201&match%5B%5D=%7B__name__%3D%7E%22a.*%22%7D&limit=50");
    }

    @Test
    void should_send_no_limit_and_no_selector_when_none_are_given() {
        // given
        FakeSource source = FakeSource.answering(FakeSource.strings(List.of()));

        // when
        api(source).labelValues(TENANT, "job", List.of(), WINDOW, 0);

        // then
        assertThat(source.calls().get(0).request().params()).containsExactly(
                entry("start", "1735689600"), entry("end", "1735693201"));
    }

    @Test
    void should_get_label_names_of_the_selected_series_when_asked_for_labels() {
        // given
        FakeSource source = FakeSource.answering(FakeSource.strings(List.of("__name__", "job")));

        // when
        List<String> names = api(source).labelNames(TENANT, List.of("{__name__=\"up\"}"), WINDOW);

        // then
        assertThat(names).containsExactly("__name__", "job");
        SourceRequest<?> sent = source.calls().get(0).request();
        assertThat(sent.url()).isEqualTo("http://vm.test:8428/api/v1/labels");
        assertThat(sent.post()).isFalse();
        assertThat(sent.params()).containsExactly(
                entry("start", "1735689600"), entry("end", "1735693201"), entry("match[]", "{__name__=\"up\"}"));
    }

    @Test
    void should_ask_the_metadata_url_without_the_tenants_credentials_when_the_tenant_has_one() {
        // given a tenant whose metadata comes from a Prometheus beside its source
        Tenant tenant = new Tenant("t", "http://vm.test:8428", "0:0", AUTH, "http://prom.test:9090/");
        FakeSource source = FakeSource.answering("{\"status\":\"success\",\"data\":{\"up\":[{\"type\":\"gauge\",\"help\":\"Up.\",\"unit\":\"\"}]}}");

        // when
        Map<String, MetricMetadata> metadata = api(source).metadata(tenant);

        // then
        assertThat(metadata).containsOnly(entry("up", new MetricMetadata("gauge", "Up.", "")));
        SourceRequest<?> sent = source.calls().get(0).request();
        assertThat(sent.url()).isEqualTo("http://prom.test:9090/api/v1/metadata");
        assertThat(sent.headers()).isEmpty();
        assertThat(sent.params()).isEmpty();
        assertThat(sent.post()).isFalse();
        assertThat(sent.tenantId()).isEqualTo("t");
    }

    @Test
    void should_ask_the_source_with_its_credentials_when_the_tenant_has_no_metadata_url() {
        // given a VictoriaMetrics cluster tenant
        Tenant tenant = new Tenant("t", "http://vm.test:8427", "0:0", AUTH, "");
        FakeSource source = FakeSource.answering("{\"status\":\"success\",\"data\":{}}");

        // when
        api(source).metadata(tenant);

        // then
        SourceRequest<?> sent = source.calls().get(0).request();
        assertThat(sent.url()).isEqualTo("http://vm.test:8427/select/0:0/prometheus/api/v1/metadata");
        assertThat(sent.headers()).isEqualTo(AUTH);
        assertThat(sent.params()).isEmpty();
    }
}
