package io.mirador.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The counts a sync reports are exact: added, updated, removed and processed, over three full syncs. */
class SyncCountersIT {

    @TempDir
    Path dir;

    @Test
    void should_count_exactly_when_metrics_are_added_changed_and_deleted() {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir);
             Mirador mirador = Mirador.start(Mirador.settings(vm.url(), dir.resolve("mirador")))) {
            // given
            vm.importPrometheus(new Series()
                    .add("shop_orders_total", "instance=\"a\"")
                    .add("shop_carts_active", "instance=\"a\"")
                    .add("shop_payments_failed_total", "instance=\"a\"")
                    .names("filler_metric_", 50), "job=shop");

            // when
            JsonNode first = mirador.syncNow(true).get("result");

            // then
            assertCounts(first, 53, 53, 0, 0);

            // given: one metric deleted, one new
            vm.deleteSeries("{__name__=\"shop_carts_active\"}");
            vm.importPrometheus(new Series().add("shop_refunds_total", "instance=\"a\""), "job=shop");

            // when
            JsonNode second = mirador.syncNow(true).get("result");

            // then
            assertCounts(second, 53, 1, 0, 1);
            assertThat(mirador.search("{\"query\":\"shop_carts_active\"}").get("total").asInt()).isZero();
            assertThat(mirador.search("{\"query\":\"shop refunds\"}").get("results").get(0).get("name").asText())
                    .isEqualTo("shop_refunds_total");
            assertThat(mirador.search("{\"query\":\"\"}").get("total").asInt()).isEqualTo(53);

            // given: a new series (new label value) of an existing metric
            vm.importPrometheus(new Series().add("shop_orders_total", "instance=\"b\""), "job=shop");

            // when
            JsonNode third = mirador.syncNow(true).get("result");

            // then
            assertCounts(third, 53, 0, 1, 0);
            JsonNode orders = mirador.search("{\"query\":\"shop_orders_total\"}").get("results").get(0);
            assertThat(orders.get("series_count").asInt()).isEqualTo(2);
            assertThat(mirador.state().get("metrics_in_index").asInt()).isEqualTo(53);
        }
    }

    private static void assertCounts(JsonNode result, int processed, int added, int updated, int removed) {
        assertThat(result.get("metrics_processed").asInt()).as("processed in %s", result).isEqualTo(processed);
        assertThat(result.get("metrics_added").asInt()).as("added in %s", result).isEqualTo(added);
        assertThat(result.get("metrics_updated").asInt()).as("updated in %s", result).isEqualTo(updated);
        assertThat(result.get("metrics_removed").asInt()).as("removed in %s", result).isEqualTo(removed);
    }
}
