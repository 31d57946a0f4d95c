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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * VictoriaMetrics stops in the middle of a full sync: the source calls are retried; when the source comes
 * back in time the sync completes, else it is recorded failed with the reason and nothing is removed.
 * Searches answer from the last commit throughout.
 */
class SourceOutageIT {

    static final int NAMES = 5_000;

    @TempDir
    Path dir;

    @Test
    void should_record_failure_and_keep_the_index_when_the_source_stays_down() throws Exception {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir)) {
            vm.importPrometheus(new Series().names("load_metric_", NAMES));
            Map<String, String> settings = slowSyncSettings(vm, "2", "200ms");
            try (Mirador mirador = Mirador.start(settings)) {
                // given: a committed catalog, and metrics deleted at the source that a completed sync would remove
                mirador.syncNow(true);
                vm.deleteSeries("{__name__=~\"load_metric_000.*\"}");
                SearchWatch watch = SearchWatch.start(mirador, NAMES);

                // when: the source dies during the next full sync
                CompletableFuture<Mirador.Response> sync = CompletableFuture.supplyAsync(
                        () -> mirador.post("/api/v1/metrics/sync/default?forceFull=true", null));
                waitUntilProcessing(mirador);
                vm.stop();
                Mirador.Response answer = sync.get();
                watch.stop();

                // then
                assertThat(answer.status()).isEqualTo(503);
                assertThat(answer.json().get("errorType").asText()).isEqualTo("unavailable");
                JsonNode status = mirador.status();
                assertThat(status.get("status").asText()).isEqualTo("failed");
                assertThat(status.get("errors").get(0).asText()).contains("cannot read").contains(vm.url());
                JsonNode state = mirador.state();
                assertThat(state.get("failed_syncs").asInt()).isEqualTo(1);
                assertThat(state.get("last_error").asText()).contains("cannot read");
                assertThat(state.get("metrics_in_index").asInt()).isEqualTo(NAMES);
                assertThat(mirador.search("{\"query\":\"load_metric_00001\"}").get("total").asInt()).isEqualTo(1);
                assertThat(mirador.search("{\"query\":\"\"}").get("total").asInt()).isEqualTo(NAMES);
                watch.assertAllAnswered();
            }
        }
    }

    @Test
    void should_complete_when_the_source_returns_within_the_retries() throws Exception {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir)) {
            vm.importPrometheus(new Series().names("load_metric_", NAMES));
            try (Mirador mirador = Mirador.start(slowSyncSettings(vm, "4", "500ms"))) {
                // given
                mirador.syncNow(true);
                vm.deleteSeries("{__name__=~\"load_metric_000.*\"}");
                SearchWatch watch = SearchWatch.start(mirador, NAMES, NAMES - 100);

                // when: the source is down for a moment during the sync
                CompletableFuture<Mirador.Response> sync = CompletableFuture.supplyAsync(
                        () -> mirador.post("/api/v1/metrics/sync/default?forceFull=true", null));
                waitUntilProcessing(mirador);
                vm.stop();
                Thread.sleep(300);
                vm.start();
                Mirador.Response answer = sync.get();
                watch.stop();

                // then
                JsonNode result = answer.ok().get("result");
                assertThat(result.get("metrics_removed").asInt()).isEqualTo(100);
                assertThat(mirador.status().get("status").asText()).isEqualTo("completed");
                assertThat(mirador.search("{\"query\":\"\"}").get("total").asInt()).isEqualTo(NAMES - 100);
                watch.assertAllAnswered();
            }
        }
    }

    /** Five names per series call, so a full sync makes a thousand calls and lasts long enough to be cut. */
    private Map<String, String> slowSyncSettings(VictoriaMetrics vm, String maxRetries, String retryDelay) {
        Map<String, String> settings = Mirador.settings(vm.url(), dir.resolve("mirador"));
        settings.put("mirador.sync.batch-size", "5");
        settings.put("mirador.sync.max-retries", maxRetries);
        settings.put("mirador.sync.retry-delay", retryDelay);
        return settings;
    }

    private static void waitUntilProcessing(Mirador mirador) {
        Waits.until(Duration.ofSeconds(30), "the sync to be running", () -> {
            JsonNode s = mirador.status();
            return s.get("status").asText().equals("running") && s.get("metrics_processed").asInt() >= 50;
        });
    }

    /** Searches in a loop on another thread, recording every answer that is not one of the commits' (never a half). */
    static final class SearchWatch {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<String> wrong = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile int answered;

        private SearchWatch(Mirador mirador, Set<Integer> commitTotals) {
            thread = new Thread(() -> {
                while (running.get()) {
                    Mirador.Response r = mirador.post("/api/v1/metrics/search", "{\"query\":\"load metric\",\"limit\":5}");
                    if (r.status() != 200 || !commitTotals.contains(r.json().get("total").asInt())) {
                        wrong.add(r.status() + " " + r.body());
                    }
                    answered++;
                }
            });
        }

        static SearchWatch start(Mirador mirador, Integer... commitTotals) {
            SearchWatch w = new SearchWatch(mirador, Set.of(commitTotals));
            w.thread.start();
            return w;
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        void assertAllAnswered() {
            assertThat(answered).isGreaterThan(10);
            assertThat(wrong).isEmpty();
        }
    }
}
