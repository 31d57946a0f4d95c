package io.mirador.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incremental syncs read the series of only the names the source's census shows changed, on a real VictoriaMetrics,
 * and miss nothing: a new label value of an existing metric, a new metric, a metric deleted while another appears the
 * same day (the day's series count does not move), and the deleted metric's removal at the next full sync. With more
 * names than the census lists one by one, a change makes the sync read every name, as without a census.
 */
class IncrementalSyncIT {

    private static final String SERIES = "/api/v1/series";

    @TempDir
    Path dir;

    /** The census counts a UTC day: the steps of a test must not straddle midnight. */
    /** A test and its minute-long windows stay within one UTC day: from 23:58 it waits until 00:01:10. */
    @BeforeEach
    void awayFromMidnight() throws InterruptedException {
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        LocalTime settled = LocalTime.of(0, 1, 10);
        if (now.isAfter(LocalTime.of(23, 58))) {
            Thread.sleep(Duration.between(now, LocalTime.MAX).toMillis() + Duration.between(LocalTime.MIDNIGHT, settled).toMillis());
        } else if (now.isBefore(settled)) {
            Thread.sleep(Duration.between(now, settled).toMillis());
        }
    }

    @Test
    void should_read_only_the_changed_names_and_miss_nothing_when_incremental_syncs_follow_a_full_one() {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir);
             Mirador mirador = Mirador.start(lookbackOfAMinute(vm))) {
            // given
            vm.importPrometheus(new Series()
                    .add("shop_orders_total", "instance=\"a\"")
                    .add("shop_carts_active", "instance=\"a\"")
                    .names("filler_metric_", 50), "job=shop");
            assertCounts(mirador.syncNow(true).get("result"), 52, 52, 0, 0);
            long reads = vm.requestsTo(SERIES);

            // when: nothing changed
            JsonNode unchanged = mirador.syncNow(false).get("result");

            // then: every name confirmed, no series read
            assertThat(unchanged.get("strategy").asText()).isEqualTo("incremental");
            assertCounts(unchanged, 52, 0, 0, 0);
            assertThat(vm.requestsTo(SERIES)).as("series requests").isEqualTo(reads);

            // when: a new label value of an existing metric
            vm.importPrometheus(new Series().add("shop_orders_total", "instance=\"b\""), "job=shop");
            JsonNode newValue = mirador.syncNow(false).get("result");

            // then: that one name is read
            assertCounts(newValue, 52, 0, 1, 0);
            assertThat(vm.requestsTo(SERIES)).as("series requests").isEqualTo(reads + 1);
            JsonNode orders = mirador.search("{\"query\":\"shop_orders_total\"}").get("results").get(0);
            assertThat(orders.get("label_values").get("instance")).extracting(JsonNode::asText).containsExactly("a", "b");
            assertThat(orders.get("series_count").asInt()).isEqualTo(2);

            // when: a new metric
            vm.importPrometheus(new Series().add("shop_refunds_total", "instance=\"a\""), "job=shop");
            JsonNode newMetric = mirador.syncNow(false).get("result");

            // then
            assertCounts(newMetric, 53, 1, 0, 0);
            assertThat(found(mirador, "shop_refunds_total")).isTrue();

            // when: a metric deleted and another one new, the same day: the day's series count stays
            vm.deleteSeries("{__name__=\"shop_carts_active\"}");
            vm.importPrometheus(new Series().add("shop_coupons_total", "instance=\"a\""), "job=shop");
            JsonNode swapped = mirador.syncNow(false).get("result");

            // then: the new one is found all the same; an incremental sync removes nothing
            assertCounts(swapped, 53, 1, 0, 0);
            assertThat(found(mirador, "shop_coupons_total")).isTrue();
            assertThat(found(mirador, "shop_carts_active")).isTrue();

            // when: a series of one metric deleted and a new label value of another existing metric, the same day:
            // the day's total stays, the two names' counts do not
            vm.deleteSeries("{__name__=\"shop_refunds_total\"}");
            vm.importPrometheus(new Series().add("shop_orders_total", "instance=\"c\""), "job=shop");
            JsonNode offset = mirador.syncNow(false).get("result");

            // then: the new label value is found
            assertCounts(offset, 52, 0, 1, 0);
            JsonNode grown = mirador.get("/api/v1/metrics/default/shop_orders_total").ok();
            assertThat(grown.get("label_values").get("instance")).extracting(JsonNode::asText).containsExactly("a", "b", "c");

            // when: the next full sync
            JsonNode full = mirador.syncNow(true).get("result");

            // then: the deleted metrics go
            assertCounts(full, 52, 0, 0, 2);
            assertThat(found(mirador, "shop_carts_active")).isFalse();
            assertThat(found(mirador, "shop_refunds_total")).isFalse();
            assertThat(mirador.state().get("metrics_in_index").asInt()).isEqualTo(52);
        }
    }

    @Test
    void should_read_every_name_when_series_were_added_and_the_census_does_not_count_each_name() {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir);
             Mirador mirador = Mirador.start(lookbackOfAMinute(vm))) {
            // given: more names than the census lists with their counts (1 000)
            vm.importPrometheus(new Series().names("wide_metric_", 1_100), "job=wide");
            assertCounts(mirador.syncNow(true).get("result"), 1_100, 1_100, 0, 0);
            long reads = vm.requestsTo(SERIES);
            assertCounts(mirador.syncNow(false).get("result"), 1_100, 0, 0, 0);
            assertThat(vm.requestsTo(SERIES)).as("series requests while nothing changed").isEqualTo(reads);

            // when: a new label value of one of them
            vm.importPrometheus(new Series().add("wide_metric_00042", "instance=\"new\""), "job=wide");
            JsonNode grown = mirador.syncNow(false).get("result");

            // then: every name read again, the change found
            assertCounts(grown, 1_100, 0, 1, 0);
            assertThat(vm.requestsTo(SERIES) - reads).as("series requests").isGreaterThan(1);
            JsonNode metric = mirador.search("{\"query\":\"wide_metric_00042\"}").get("results").get(0);
            assertThat(metric.get("label_values").get("instance")).extracting(JsonNode::asText).contains("new");
        }
    }

    private static boolean found(Mirador mirador, String name) {
        JsonNode results = mirador.search("{\"query\":\"" + name + "\"}").get("results");
        return results.size() > 0 && results.get(0).get("name").asText().equals(name);
    }

    private static void assertCounts(JsonNode result, int processed, int added, int updated, int removed) {
        assertThat(result.get("metrics_processed").asInt()).as("processed in %s", result).isEqualTo(processed);
        assertThat(result.get("metrics_added").asInt()).as("added in %s", result).isEqualTo(added);
        assertThat(result.get("metrics_updated").asInt()).as("updated in %s", result).isEqualTo(updated);
        assertThat(result.get("metrics_removed").asInt()).as("removed in %s", result).isEqualTo(removed);
    }

    /**
     * An incremental sync reads every name while its window reaches into the day before (UTC), which the census does not
     * count: with a minute's lookback that is only the day's first minute, not its first hour.
     */
    private Map<String, String> lookbackOfAMinute(VictoriaMetrics vm) {
        Map<String, String> settings = Mirador.settings(vm.url(), dir.resolve("mirador"));
        settings.put("mirador.sync.lookback", "1m");
        return settings;
    }
}
