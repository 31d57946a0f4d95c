package io.mirador.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import io.mirador.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Two sync triggers for one tenant at once: one runs, the other gets 409 with the running sync's status. */
class ConcurrentSyncIT {

    @TempDir
    Path dir;

    @Test
    void should_answer_409_with_the_running_status_when_a_sync_is_running() throws Exception {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir)) {
            vm.importPrometheus(new Series().names("busy_metric_", 3_000));
            Map<String, String> settings = Mirador.settings(vm.url(), dir.resolve("mirador"));
            settings.put("mirador.sync.batch-size", "3");
            try (Mirador mirador = Mirador.start(settings)) {
                // given: a sync running
                CompletableFuture<Mirador.Response> first = CompletableFuture.supplyAsync(
                        () -> mirador.post("/api/v1/metrics/sync/default?forceFull=true", null));
                Waits.until(Duration.ofSeconds(30), "the first sync to run",
                        () -> mirador.status().get("status").asText().equals("running"));

                // when
                Mirador.Response second = mirador.post("/api/v1/metrics/sync/default", null);
                Mirador.Response bodyForm = mirador.post("/api/v1/metrics/sync", "{\"tenant_id\":\"default\"}");

                // then
                for (Mirador.Response conflict : new Mirador.Response[] {second, bodyForm}) {
                    assertThat(conflict.status()).isEqualTo(409);
                    JsonNode body = conflict.json();
                    assertThat(body.get("status").asText()).isEqualTo("error");
                    assertThat(body.get("errorType").asText()).isEqualTo("conflict");
                    assertThat(body.get("sync_status").get("status").asText()).isEqualTo("running");
                    assertThat(body.get("sync_status").get("strategy").asText()).isEqualTo("full");
                }
                JsonNode done = first.get().ok();
                assertThat(done.get("result").get("metrics_added").asInt()).isEqualTo(3_000);
                assertThat(mirador.state().get("total_syncs").asInt()).isEqualTo(1);
            }
        }
    }
}
