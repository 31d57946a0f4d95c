package io.mirador.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.testing.FreePorts;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import io.mirador.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** PUT /api/v1/metrics/sync/config applies a valid config at once, in any of the three duration forms, and keeps it across restarts. */
class SyncConfigIT {

    @TempDir
    Path dir;

    @Test
    void should_apply_a_new_interval_to_the_running_schedule() throws Exception {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir)) {
            vm.importPrometheus(new Series().names("scheduled_metric_", 3));
            Map<String, String> settings = Mirador.settings(vm.url(), dir.resolve("schedule"));
            settings.put("mirador.sync.enabled", "true");
            settings.put("mirador.sync.interval", "1h");
            try (Mirador mirador = Mirador.start(settings)) {
                Waits.until(Duration.ofSeconds(30), "the first scheduled sync",
                        () -> mirador.state().get("total_syncs").asInt() == 1);
                Thread.sleep(1500);
                assertThat(mirador.state().get("total_syncs").asInt()).isEqualTo(1);

                // when
                mirador.put("/api/v1/metrics/sync/config", "{\"interval\":\"1s\"}").ok();

                // then: the running schedule syncs again without a restart
                Waits.until(Duration.ofSeconds(30), "a sync on the new interval",
                        () -> mirador.state().get("total_syncs").asInt() >= 3);
            }
        }
    }

    @Test
    void should_sync_each_tenant_on_its_own_interval_and_strategy() throws Exception {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir)) {
            vm.importPrometheus(new Series().names("per_tenant_metric_", 3));
            Map<String, String> settings = Mirador.settings(vm.url(), dir.resolve("tenants"));
            settings.put("mirador.sync.enabled", "true");
            settings.put("mirador.sync.interval", "1h");
            settings.put("mirador.tenants", "fast,slow");
            settings.put("mirador.default-tenant", "fast");
            settings.put("mirador.tenant.fast.source-url", vm.url());
            settings.put("mirador.tenant.slow.source-url", vm.url());
            settings.put("mirador.tenant.fast.sync-interval", "1s");
            settings.put("mirador.tenant.fast.sync-strategy", "incremental");
            try (Mirador mirador = Mirador.start(settings)) {
                Waits.until(Duration.ofSeconds(30), "the fast tenant to sync three times", () ->
                        mirador.get("/api/v1/metrics/sync/fast/state").ok().get("total_syncs").asInt() >= 3);
                assertThat(mirador.get("/api/v1/metrics/sync/slow/state").ok().get("total_syncs").asInt()).isEqualTo(1);
                assertThat(mirador.get("/api/v1/metrics/sync/fast/status").ok().get("strategy").asText()).isEqualTo("incremental");
                assertThat(mirador.get("/api/v1/metrics/sync/slow/status").ok().get("strategy").asText()).isEqualTo("full");
            }
        }
    }

    @Test
    void should_apply_and_keep_a_valid_config() {
        Map<String, String> settings = Mirador.settings("http://127.0.0.1:" + FreePorts.next(), dir.resolve("data"));
        try (Mirador mirador = Mirador.start(settings)) {
            // when: MIRADOR-CORE's example body, durations as nanoseconds in strings, plus other forms
            JsonNode answer = mirador.put("/api/v1/metrics/sync/config", """
                    {"enabled": true, "strategy": "full", "interval": "900000000000",
                     "full_sync_interval": "PT12H", "batch_size": 500, "max_retries": 2,
                     "retry_delay": 30000000000, "time_range_lookback": "1h30m"}""").ok();

            // then
            assertThat(answer.get("message").asText()).isEqualTo("Sync configuration updated successfully");
            JsonNode config = mirador.get("/api/v1/metrics/sync/config").ok();
            assertThat(config.get("strategy").asText()).isEqualTo("full");
            assertThat(config.get("interval").asText()).isEqualTo("15m0s");
            assertThat(config.get("full_sync_interval").asText()).isEqualTo("12h0m0s");
            assertThat(config.get("batch_size").asInt()).isEqualTo(500);
            assertThat(config.get("retry_delay").asText()).isEqualTo("30s");
            assertThat(config.get("time_range_lookback").asText()).isEqualTo("1h30m0s");
        }
        try (Mirador restarted = Mirador.start(settings)) {
            JsonNode config = restarted.get("/api/v1/metrics/sync/config").ok();
            assertThat(config.get("strategy").asText()).isEqualTo("full");
            assertThat(config.get("batch_size").asInt()).isEqualTo(500);
        }
    }
}
