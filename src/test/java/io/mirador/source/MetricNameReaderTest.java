package io.mirador.source;

import io.mirador.support.DutyCycle;
import io.mirador.tenant.Tenant;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.mirador.source.FakeSource.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The metric name list is never taken cut: a list shorter than the source's cap is the whole list, a list as
 * long as the cap is read again by name prefix until no part is cut, names with characters outside
 * {@code [a-zA-Z0-9_:]} are read by an extra selector, and too many of those is an error naming the setting.
 */
class MetricNameReaderTest {

    private static final Tenant TENANT = new Tenant("t", "http://vm.test:8428", "", Map.of(), "");
    private static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2025-01-01T00:00:00Z"),
            Instant.parse("2025-01-02T00:00:00Z"));
    private static final String NAMES = "/api/v1/label/__name__/values";
    private static final String OTHERS = "{__name__=~\".+\",__name__!~\"[a-zA-Z0-9_:].*\"}";

    /** A source holding one series of each name. */
    private static FakeSource sourceOf(String... names) {
        List<Map<String, String>> series = new ArrayList<>();
        for (String name : names) {
            series.add(s(name));
        }
        return FakeSource.of(Integer.MAX_VALUE, series);
    }

    private static MetricNameReader reader(FakeSource source, int cap) {
        return new MetricNameReader(new PrometheusApi(source, 100, DutyCycle.never()), cap);
    }

    /** The selectors of the name-list calls, one list per call. */
    private static List<List<String>> selectorsAsked(FakeSource source) {
        return source.calls(NAMES).stream().map(FakeSource.Call::selectors).collect(Collectors.toList());
    }

    @Test
    void should_return_the_list_sorted_in_one_call_when_it_is_shorter_than_the_cap() {
        // given a source answering names in its own order
        FakeSource source = FakeSource.answering(FakeSource.strings(List.of("zeta", "alpha", "mid")));

        // when
        List<String> names = reader(source, 4).names(TENANT, WINDOW);

        // then
        assertThat(names).containsExactly("alpha", "mid", "zeta");
        assertThat(source.calls()).singleElement().satisfies(c -> {
            assertThat(c.path()).isEqualTo(NAMES);
            assertThat(c.selectors()).isEmpty();
            assertThat(FakeSource.param(c.request(), "limit")).containsExactly("4");
            assertThat(FakeSource.param(c.request(), "start")).containsExactly(WINDOW.startParam());
            assertThat(FakeSource.param(c.request(), "end")).containsExactly(WINDOW.endParam());
        });
    }

    @Test
    void should_read_again_by_prefix_when_the_list_is_as_long_as_the_cap() {
        // given six names, a cap of three: the whole list and the names starting with a are cut
        FakeSource source = sourceOf("a", "a1", "a2", "a3", "b1", "c1");

        // when
        List<String> names = reader(source, 3).names(TENANT, WINDOW);

        // then: every name once, sorted, the one named like the prefix too
        assertThat(names).containsExactly("a", "a1", "a2", "a3", "b1", "c1");
        assertThat(selectorsAsked(source).get(0)).isEmpty();
        assertThat(selectorsAsked(source)).contains(
                List.of("{__name__=~\"a.*\"}"), List.of("{__name__=\"a\"}"), List.of("{__name__=~\"a1.*\"}"),
                List.of("{__name__=~\"b.*\"}"), List.of("{__name__=~\"c.*\"}"), List.of(OTHERS));
        // and: a prefix whose list was whole is not split further
        assertThat(selectorsAsked(source)).doesNotContain(List.of("{__name__=~\"b1.*\"}"), List.of("{__name__=\"b\"}"));
    }

    @Test
    void should_split_again_when_a_prefix_is_cut_too() {
        // given a cap of two: the list, prefix n and prefix n1 are each cut
        FakeSource source = sourceOf("n1x", "n1y", "n1z", "n2");

        // when
        List<String> names = reader(source, 2).names(TENANT, WINDOW);

        // then
        assertThat(names).containsExactly("n1x", "n1y", "n1z", "n2");
        assertThat(selectorsAsked(source)).contains(List.of("{__name__=~\"n.*\"}"), List.of("{__name__=~\"n1.*\"}"),
                List.of("{__name__=~\"n1x.*\"}"));
        // and: parts that came back whole are not split further
        assertThat(selectorsAsked(source)).doesNotContain(List.of("{__name__=\"n1x\"}"), List.of("{__name__=\"n2\"}"),
                List.of("{__name__=~\"n1xa.*\"}"), List.of("{__name__=~\"n2a.*\"}"));
    }

    @Test
    void should_read_names_with_other_characters_by_the_extra_selector_when_the_list_is_cut() {
        // given names with characters outside [a-zA-Z0-9_:], at the start and after a cut prefix
        FakeSource source = sourceOf("ab", "a-b", "a.b", "\u00e9t\u00e9");

        // when
        List<String> names = reader(source, 3).names(TENANT, WINDOW);

        // then
        assertThat(names).containsExactly("a-b", "a.b", "ab", "\u00e9t\u00e9");
        assertThat(selectorsAsked(source)).contains(List.of(OTHERS),
                List.of("{__name__=~\"a.+\",__name__!~\"a[a-zA-Z0-9_:].*\"}"));
    }

    @Test
    void should_throw_naming_the_setting_when_too_many_names_have_other_characters() {
        // given three names starting with '-' and a cap of two
        FakeSource source = sourceOf("-a", "-b", "-c", "x");
        MetricNameReader reader = reader(source, 2);

        // when / then
        assertThatThrownBy(() -> reader.names(TENANT, WINDOW))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("mirador.source.max-names")
                .hasMessageContaining("more than 2 metric names");
    }
}
