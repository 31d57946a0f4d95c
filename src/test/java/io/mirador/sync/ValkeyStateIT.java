package io.mirador.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.Valkey;
import io.mirador.testing.VictoriaMetrics;
import io.mirador.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * State in Valkey (a real redis-server that the test stops and starts): state, status and config are kept
 * there; the catalog serves while it is down, says degraded, and its writes reach Valkey when it is back.
 */
class ValkeyStateIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String RECORD = "mirador:tenant:default:sync-record";

    @TempDir
    Path dir;

    @Test
    void should_keep_state_in_valkey_and_catch_up_after_an_outage() throws Exception {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir); Valkey valkey = Valkey.start(dir)) {
            vm.importPrometheus(new Series().names("stateful_metric_", 20));
            Map<String, String> settings = settings(vm, valkey, "first");
            try (Mirador mirador = Mirador.start(settings)) {
                // given: a sync written to Valkey
                mirador.syncNow(true);
                assertThat(JSON.readTree(valkey.get(RECORD)).at("/state/total_syncs").asInt()).isEqualTo(1);
                assertThat(JSON.readTree(valkey.get(RECORD)).at("/status/status").asText()).isEqualTo("completed");
                mirador.put("/api/v1/metrics/sync/config", "{\"batch_size\":250}").ok();
                assertThat(valkey.get("mirador:sync-config")).contains("\"batch_size\":250");

                // when: Valkey goes down
                valkey.stop();

                // then: the catalog answers; a sync waits for Valkey, saying so; health says degraded
                Mirador.Response refused = mirador.post("/api/v1/metrics/sync/default?forceFull=true", null);
                assertThat(refused.status()).as(refused.body()).isEqualTo(503);
                assertThat(refused.body()).contains("Valkey");
                assertThat(mirador.search("{\"query\":\"stateful metric\"}").get("total").asInt()).isEqualTo(20);
                assertThat(mirador.state().get("total_syncs").asInt()).isEqualTo(1);
                Waits.until(Duration.ofSeconds(10), "health to say degraded", () -> {
                    JsonNode h = mirador.get("/api/v1/metrics/health").ok();
                    return h.get("status").asText().equals("degraded") && h.get("state_store").asText().equals("down");
                });

                // when: Valkey is back
                valkey.start();

                // then: syncs run again (once this replica holds the sync lease again), and reach it; health recovers
                Waits.until(Duration.ofSeconds(30), "a sync to run again",
                        () -> mirador.post("/api/v1/metrics/sync/default?forceFull=true", null).status() == 200);
                Waits.until(Duration.ofSeconds(15), "the second sync to reach Valkey",
                        () -> valkey.get(RECORD) != null && JSON.readTree(valkey.get(RECORD)).at("/state/total_syncs").asInt() == 2);
                Waits.until(Duration.ofSeconds(10), "health to recover",
                        () -> mirador.get("/api/v1/metrics/health").ok().get("status").asText().equals("healthy"));
            }

            // when: another catalog with a new data directory starts on the same Valkey
            try (Mirador second = Mirador.start(settings(vm, valkey, "second"))) {
                // then: it reads the state and config from Valkey
                assertThat(second.state().get("total_syncs").asInt()).isEqualTo(2);
                assertThat(second.get("/api/v1/metrics/sync/config").ok().get("batch_size").asInt()).isEqualTo(250);
            }
        }
    }

    @Test
    void should_start_and_serve_when_valkey_is_down() {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir); Valkey valkey = Valkey.start(dir)) {
            vm.importPrometheus(new Series().names("lonely_metric_", 5));
            valkey.stop();
            try (Mirador mirador = Mirador.start(settings(vm, valkey, "down"))) {
                // the catalog answers (empty: never synced), and a sync waits for Valkey, saying so
                Mirador.Response refused = mirador.post("/api/v1/metrics/sync/default?forceFull=true", null);
                assertThat(refused.status()).as(refused.body()).isEqualTo(503);
                assertThat(refused.body()).contains("Valkey");
                assertThat(mirador.search("{\"query\":\"lonely\"}").get("total").asInt()).isZero();
                JsonNode health = mirador.get("/api/v1/metrics/health").ok();
                assertThat(health.get("status").asText()).isIn("degraded", "unhealthy");
                assertThat(health.get("state_store").asText()).isEqualTo("down");

                // when: Valkey starts, the sync runs
                valkey.start();
                Waits.until(Duration.ofSeconds(30), "a sync to run once Valkey answers",
                        () -> mirador.post("/api/v1/metrics/sync/default?forceFull=true", null).status() == 200);
                assertThat(mirador.search("{\"query\":\"lonely\"}").get("total").asInt()).isEqualTo(5);
            }
        }
    }

    private Map<String, String> settings(VictoriaMetrics vm, Valkey valkey, String name) {
        Map<String, String> s = Mirador.settings(vm.url(), dir.resolve(name));
        s.put("mirador.state.store", "valkey");
        s.put("mirador.state.valkey.url", valkey.url());
        return s;
    }
}
