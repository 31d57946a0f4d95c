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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart keeps state, status and index; the hybrid schedule picks up where it was: no sync before
 * its interval has passed, and an incremental one (not a full one) when the full interval has not.
 */
class RestartIT {

    @TempDir
    Path dir;

    @Test
    void should_keep_state_and_index_and_not_redo_a_full_sync_when_restarted() {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir)) {
            vm.importPrometheus(new Series().names("kept_metric_", 40));
            Map<String, String> settings = Mirador.settings(vm.url(), dir.resolve("mirador"));
            settings.put("mirador.sync.enabled", "true");
            settings.put("mirador.sync.strategy", "hybrid");
            settings.put("mirador.sync.interval", "1h");
            settings.put("mirador.sync.full-sync-interval", "24h");

            // given: the first scheduled sync, a full one, done
            JsonNode stateBefore;
            JsonNode statusBefore;
            try (Mirador first = Mirador.start(settings)) {
                Waits.until(Duration.ofSeconds(30), "the first scheduled sync",
                        () -> first.status().get("status").asText().equals("completed"));
                statusBefore = first.status();
                stateBefore = first.state();
            }
            assertThat(statusBefore.get("strategy").asText()).isEqualTo("full");

            // when: restarted with an interval that has not passed
            try (Mirador second = Mirador.start(settings)) {
                // then: everything is there at once, and no sync starts
                assertThat(second.state()).isEqualTo(stateBefore);
                assertThat(second.status()).isEqualTo(statusBefore);
                assertThat(second.search("{\"query\":\"kept metric\"}").get("total").asInt()).isEqualTo(40);
                sleep(Duration.ofSeconds(2));
                assertThat(second.state().get("total_syncs").asInt()).isEqualTo(1);
            }

            // when: restarted with a short interval, the full interval still far away
            settings.put("mirador.sync.interval", "1s");
            try (Mirador third = Mirador.start(settings)) {
                Waits.until(Duration.ofSeconds(30), "the next scheduled sync",
                        () -> third.state().get("total_syncs").asInt() >= 2 && !third.state().get("is_currently_syncing").asBoolean());

                // then: it was incremental, and the last full sync is the one from before the restarts
                assertThat(third.status().get("strategy").asText()).isEqualTo("incremental");
                assertThat(third.state().get("last_full_sync_time")).isEqualTo(stateBefore.get("last_full_sync_time"));
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
