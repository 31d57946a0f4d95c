package io.mirador.source;

import io.mirador.catalog.MetricObservation;
import io.mirador.support.DutyCycle;
import io.mirador.tenant.Tenant;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.mirador.source.FakeSource.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The series reader never sends VictoriaMetrics a call it will refuse when it can avoid it, and never lets a 422
 * reach the sync while a call can still be split: groups are sized from the series per name seen so far, a
 * refused group is halved down to single names, and a single name too big for any call is counted per label
 * value; only a part that no label can split any more is an error, naming the metric.
 */
class SeriesReaderTest {

    private static final Tenant TENANT = new Tenant("t", "http://vm.test:8428", "", Map.of(), "");
    private static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2025-01-01T00:00:00Z"),
            Instant.parse("2025-01-02T00:00:00Z"));
    private static final String SERIES = "/api/v1/series";

    private static SeriesReader reader(FakeSource source, int maxSeries, int labelValuesLimit) {
        return new SeriesReader(new PrometheusApi(source, 1000, DutyCycle.never()), maxSeries, 1000, labelValuesLimit);
    }

    /** {@code count} series of {@code name}, told apart by an {@code i} label. */
    private static List<Map<String, String>> seriesOf(String name, int count) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(s(name, "i", Integer.toString(i)));
        }
        return out;
    }

    /** The metric names a series call asked for (its one selector's {@code __name__} matcher). */
    private static List<String> namesAskedBy(FakeSource.Call call) {
        assertThat(call.selectors()).hasSize(1);
        FakeSource.Selector selector = FakeSource.Selector.parse(call.selectors().get(0));
        FakeSource.Selector.Matcher name = selector.matchers().get(0);
        assertThat(name.label()).isEqualTo("__name__");
        return name.op().equals("=") ? List.of(name.value()) : Arrays.asList(name.value().split("\\|"));
    }

    private static List<String> names(List<MetricObservation> observations) {
        return observations.stream().map(MetricObservation::name).collect(Collectors.toList());
    }

    @Test
    void should_ask_for_at_most_half_the_series_limit_per_call_when_an_estimate_exists() {
        // given twelve names of four series each, and a source refusing more than 40 series per call
        List<Map<String, String>> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int n = 0; n < 12; n++) {
            String name = String.format("metric_%02d", n);
            names.add(name);
            all.addAll(seriesOf(name, 4));
        }
        FakeSource source = FakeSource.of(40, all);
        SeriesReader reader = reader(source, 40, 100);

        // when: a first batch without any estimate, then a second batch once 4 series per name are known
        List<MetricObservation> first = reader.read(TENANT, names.subList(0, 4), WINDOW);
        int firstCalls = source.calls(SERIES).size();
        List<MetricObservation> second = reader.read(TENANT, names.subList(4, 12), WINDOW);

        // then: the first batch is one call; the second is split into groups of 20 / 4 = 5 names
        assertThat(firstCalls).isEqualTo(1);
        assertThat(namesAskedBy(source.calls(SERIES).get(0))).containsExactlyElementsOf(names.subList(0, 4));
        List<FakeSource.Call> later = source.calls(SERIES).subList(1, source.calls(SERIES).size());
        assertThat(later).extracting(c -> namesAskedBy(c).size()).containsExactly(5, 3);
        assertThat(later).allSatisfy(c -> {
            assertThat(c.refused()).isFalse();
            assertThat(c.matched()).isLessThanOrEqualTo(40 / 2);
        });
        assertThat(first).extracting(MetricObservation::seriesCount).containsOnly(4L);
        assertThat(names(second)).containsExactlyElementsOf(names.subList(4, 12));
        assertThat(second).extracting(MetricObservation::seriesCount).containsOnly(4L);
    }

    @Test
    void should_halve_a_refused_group_down_to_single_names_when_the_source_answers_422() {
        // given four names of six series each, and a source refusing more than 10 series per call
        List<Map<String, String>> all = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            all.addAll(seriesOf(name, 6));
        }
        FakeSource source = FakeSource.of(10, all);

        // when
        List<MetricObservation> observed = reader(source, 10, 100).read(TENANT, List.of("a", "b", "c", "d"), WINDOW);

        // then: 4 names (24 series) and 2 names (12) are refused, single names (6) are read
        List<FakeSource.Call> calls = source.calls(SERIES);
        assertThat(calls).extracting(SeriesReaderTest::namesAskedBy).containsExactly(
                List.of("a", "b", "c", "d"), List.of("a", "b"), List.of("a"), List.of("b"),
                List.of("c", "d"), List.of("c"), List.of("d"));
        assertThat(calls).extracting(FakeSource.Call::refused).containsExactly(true, true, false, false, true, false, false);
        assertThat(names(observed)).containsExactly("a", "b", "c", "d");
        assertThat(observed).extracting(MetricObservation::seriesCount).containsOnly(6L);
        assertThat(source.calls("/api/v1/labels")).isEmpty();
    }

    @Test
    void should_count_a_single_metric_per_label_value_when_no_call_may_return_all_its_series() {
        // given a metric of 31 series (3 instances x 10 shards, and one series without a shard), limit 10 per call
        List<Map<String, String>> all = new ArrayList<>();
        for (String instance : List.of("a", "b", "c")) {
            for (int shard = 0; shard < 10; shard++) {
                all.add(s("big", "instance", instance, "shard", "s" + shard));
            }
        }
        all.add(s("big", "instance", "z"));
        FakeSource source = FakeSource.of(10, all);

        // when
        List<MetricObservation> observed = reader(source, 10, 100).read(TENANT, List.of("big"), WINDOW);

        // then: its label keys come from the labels API, its values from the label values API
        assertThat(source.calls("/api/v1/labels")).singleElement()
                .satisfies(c -> assertThat(c.selectors()).containsExactly("{__name__=\"big\"}"));
        for (String key : List.of("instance", "shard")) {
            assertThat(source.calls("/api/v1/label/" + key + "/values")).singleElement().satisfies(c -> {
                assertThat(c.selectors()).containsExactly("{__name__=\"big\"}");
                assertThat(FakeSource.param(c.request(), "limit")).containsExactly("100");
            });
        }
        assertThat(source.calls("/api/v1/label/__name__/values")).isEmpty();
        // and: its series are counted per shard (the key with most values), halving refused value sets
        List<FakeSource.Call> series = source.calls(SERIES);
        assertThat(series.get(0).selectors()).containsExactly("{__name__=\"big\"}");
        assertThat(series.get(0).refused()).isTrue();
        List<FakeSource.Call> parts = series.subList(1, series.size());
        assertThat(parts).allSatisfy(c -> assertThat(FakeSource.Selector.parse(c.selectors().get(0)).byLabel())
                .containsKey("shard"));
        assertThat(parts).anySatisfy(c -> assertThat(c.refused()).isTrue());
        assertThat(parts).filteredOn(c -> !c.refused()).allSatisfy(c -> assertThat(c.matched()).isLessThanOrEqualTo(10));
        assertThat(parts).filteredOn(c -> !c.refused()).extracting(FakeSource.Call::matched)
                .containsExactlyInAnyOrder(1, 6, 9, 6, 9);
        // and: the observation holds every series once, with the values and exact counts of the label values API
        MetricObservation big = observed.get(0);
        assertThat(observed).hasSize(1);
        assertThat(big.name()).isEqualTo("big");
        assertThat(big.seriesCount()).isEqualTo(31);
        assertThat(big.labelValues()).containsOnly(
                entry("instance", List.of("a", "b", "c", "z")),
                entry("shard", List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9")));
        assertThat(big.labelCardinality()).containsOnly(entry("instance", 4L), entry("shard", 10L));
        assertThat(big.exampleLabels()).isNotEmpty().containsKey("instance");
    }

    @Test
    void should_split_one_value_by_another_label_when_that_value_alone_is_too_big() {
        // given: the id label has too many values to be listed (limit 6), and group x alone exceeds 4 series
        List<Map<String, String>> all = new ArrayList<>();
        for (int id = 0; id < 5; id++) {
            all.add(s("big", "group", "x", "id", Integer.toString(id)));
        }
        all.add(s("big", "group", "y", "id", "5"));
        all.add(s("big", "group", "z", "id", "6"));
        FakeSource source = FakeSource.of(4, all);

        // when
        List<MetricObservation> observed = reader(source, 4, 6).read(TENANT, List.of("big"), WINDOW);

        // then: group x is counted per id, asked for the ids of group x only
        assertThat(observed).singleElement().satisfies(o -> assertThat(o.seriesCount()).isEqualTo(7));
        assertThat(source.calls("/api/v1/label/id/values")).extracting(FakeSource.Call::selectors).containsExactly(
                List.of("{__name__=\"big\"}"), List.of("{__name__=\"big\",group=\"x\"}"));
        assertThat(source.calls(SERIES)).filteredOn(c -> !c.refused())
                .allSatisfy(c -> assertThat(c.matched()).isLessThanOrEqualTo(4));
        assertThat(source.calls(SERIES)).filteredOn(c -> !c.refused())
                .extracting(c -> FakeSource.Selector.parse(c.selectors().get(0)).byLabel().containsKey("id"))
                .contains(true, false);
    }

    @Test
    void should_throw_a_422_naming_the_metric_when_no_label_is_left_to_split_it_by() {
        // given six series of one job, told apart by an id with more values than may be listed (3)
        List<Map<String, String>> all = new ArrayList<>();
        for (int id = 0; id < 6; id++) {
            all.add(s("huge_metric", "job", "x", "id", Integer.toString(id)));
        }
        FakeSource source = FakeSource.of(4, all);
        SeriesReader reader = reader(source, 4, 3);

        // when / then
        assertThatThrownBy(() -> reader.read(TENANT, List.of("huge_metric"), WINDOW))
                .isInstanceOfSatisfying(SourceException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.isTooManySeries()).isTrue();
                })
                .hasMessageContaining("metric huge_metric")
                .hasMessageContaining("no label left")
                .hasMessageContaining("{__name__=\"huge_metric\",job=\"x\"}");
    }

    @Test
    void should_return_observations_in_the_order_of_the_names_when_calls_are_split_and_answered_in_another_order() {
        // given: the source answers series in its own order (alpha before zeta); big needs the label path
        List<Map<String, String>> all = new ArrayList<>();
        all.addAll(seriesOf("alpha", 2));
        all.addAll(seriesOf("mid", 1));
        for (int shard = 0; shard < 8; shard++) {
            all.add(s("big", "shard", "s" + shard));
        }
        all.addAll(seriesOf("zeta", 2));
        FakeSource source = FakeSource.of(6, all);

        // when
        List<MetricObservation> observed = reader(source, 6, 100).read(TENANT, List.of("zeta", "alpha", "big", "mid"), WINDOW);

        // then
        assertThat(names(observed)).containsExactly("zeta", "alpha", "big", "mid");
        assertThat(observed).extracting(MetricObservation::seriesCount).containsExactly(2L, 2L, 8L, 1L);
        assertThat(source.calls("/api/v1/labels")).hasSize(1);
    }

    @Test
    void should_leave_out_a_name_when_it_has_no_series_in_the_window() {
        // given
        List<Map<String, String>> all = new ArrayList<>();
        all.addAll(seriesOf("b", 1));
        all.addAll(seriesOf("a", 3));
        FakeSource source = FakeSource.of(100, all);

        // when
        List<MetricObservation> observed = reader(source, 100, 100).read(TENANT, List.of("a", "gone", "b"), WINDOW);

        // then
        assertThat(names(observed)).containsExactly("a", "b");
        assertThat(source.calls(SERIES)).hasSize(1);
    }

    @Test
    void should_rethrow_at_once_when_the_source_fails_with_another_status() {
        // given a source answering 503 to everything
        FakeSource source = new FakeSource(r -> {
            throw new SourceException(503, "unavailable", null);
        });

        // when / then: no halving, no label path
        assertThatThrownBy(() -> reader(source, 10, 100).read(TENANT, List.of("a", "b", "c"), WINDOW))
                .isInstanceOfSatisfying(SourceException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(source.calls()).hasSize(1);
    }
}
