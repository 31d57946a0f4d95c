package io.mirador.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.testing.FaultySource;
import io.mirador.testing.MiradorProcess;
import io.mirador.testing.Series;
import io.mirador.testing.SharedVictoriaMetrics;
import io.mirador.testing.VictoriaMetrics;
import io.mirador.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service as a real process: SIGTERM during a full sync stops it at a batch boundary, commits
 * nothing of it, records it cancelled and exits within 10 seconds, also while a source call waits to be retried;
 * a process killed mid-sync leaves an index the next start opens at its last commit, and the killed sync counts
 * as failed.
 */
class LifecycleIT {

    static final int NAMES = 5_000;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    @RegisterExtension
    static final SharedVictoriaMetrics vm = SharedVictoriaMetrics.withNames("lifecycle_metric_", NAMES);

    @Test
    void should_cancel_the_sync_and_exit_within_10_seconds_on_sigterm() throws Exception {
        Path data = dir.resolve("sigterm");
        try (MiradorProcess first = start(data, "first")) {
            post(first, "/api/v1/metrics/sync/default?forceFull=true");
            startSlowSync(first);

            // when
            Duration took = first.terminate(Duration.ofSeconds(10));

            // then
            assertThat(took).isLessThan(Duration.ofSeconds(10));
        }
        try (MiradorProcess second = start(data, "second")) {
            JsonNode status = get(second, "/api/v1/metrics/sync/default/status");
            assertThat(status.get("status").asText()).isEqualTo("cancelled");
            assertThat(status.get("errors").get(0).asText()).contains("stopping");
            assertThat(get(second, "/api/v1/metrics/sync/default/state").get("metrics_in_index").asInt()).isEqualTo(NAMES);
            assertThat(search(second).get("total").asInt()).isEqualTo(NAMES);
        }
    }

    @Test
    void should_open_the_last_commit_after_a_kill() throws Exception {
        Path data = dir.resolve("kill");
        try (MiradorProcess first = start(data, "first")) {
            post(first, "/api/v1/metrics/sync/default?forceFull=true");
            startSlowSync(first);
            first.kill();
        }
        try (MiradorProcess second = start(data, "second")) {
            assertThat(search(second).get("total").asInt()).isEqualTo(NAMES);
            JsonNode status = get(second, "/api/v1/metrics/sync/default/status");
            assertThat(status.get("status").asText()).isEqualTo("failed");
            assertThat(status.get("errors").get(0).asText()).contains("interrupted");
            // the interrupted sync counts as failed, and is the last error
            JsonNode state = get(second, "/api/v1/metrics/sync/default/state");
            assertThat(state.get("total_syncs").asInt()).isEqualTo(2);
            assertThat(state.get("failed_syncs").asInt()).isEqualTo(1);
            assertThat(state.get("last_error").asText()).contains("interrupted");
            // and the index takes a new sync, which a second kill interrupts again
            assertThat(post(second, "/api/v1/metrics/sync/default?forceFull=true").statusCode()).isEqualTo(200);
            startSlowSync(second);
            second.kill();
        }
        try (MiradorProcess third = start(data, "third")) {
            JsonNode state = get(third, "/api/v1/metrics/sync/default/state");
            assertThat(state.get("total_syncs").asInt()).isEqualTo(4);
            assertThat(state.get("failed_syncs").asInt()).isEqualTo(2);
            assertThat(state.get("successful_syncs").asInt()).isEqualTo(2);
            assertThat(search(third).get("total").asInt()).isEqualTo(NAMES);
        }
    }

    /** SIGTERM while a source call waits for its next try: the wait ends at once, the sync is recorded cancelled. */
    @Test
    void should_cancel_a_sync_waiting_between_retries_at_once_on_sigterm() throws Exception {
        Path data = dir.resolve("retry-wait");
        try (FaultySource source = FaultySource.start(vm.url())) {
            try (MiradorProcess first = start(data, "first", source.url(), Map.of(
                    "METRICS_METADATA_SYNC_RETRY_DELAY", "60s", "METRICS_METADATA_SYNC_MAX_RETRIES", "3"))) {
                post(first, "/api/v1/metrics/sync/default?forceFull=true");
                // given: every series call fails, and the sync waits a minute before its next try
                source.always("/api/v1/series", FaultySource.Fault.httpStatus(503));
                Thread t = new Thread(() -> {
                    try {
                        post(first, "/api/v1/metrics/sync/default?forceFull=true");
                    } catch (Exception e) {
                        // the process stops under the request
                    }
                });
                t.setDaemon(true);
                t.start();
                Waits.until(Duration.ofSeconds(30), "a series call to fail", () -> source.faulted("/api/v1/series") >= 1);
                Thread.sleep(500);

                // when
                Duration took = first.terminate(Duration.ofSeconds(10));

                // then: no waiting for the retry delay nor for Camel's shutdown timeout
                assertThat(took).isLessThan(Duration.ofSeconds(5));
            }
            source.clear();
            try (MiradorProcess second = start(data, "second", source.url(), Map.of())) {
                JsonNode status = get(second, "/api/v1/metrics/sync/default/status");
                assertThat(status.get("status").asText()).isEqualTo("cancelled");
                JsonNode state = get(second, "/api/v1/metrics/sync/default/state");
                assertThat(state.get("total_syncs").asInt()).isEqualTo(2);
                assertThat(state.get("failed_syncs").asInt()).isEqualTo(1);
                assertThat(search(second).get("total").asInt()).isEqualTo(NAMES);
            }
        }
    }

    private static MiradorProcess start(Path data, String name) {
        return start(data, name, vm.url(), Map.of());
    }

    private static MiradorProcess start(Path data, String name, String source, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "VICTORIAMETRICS_URL", source,
                "MIRADOR_DATA_DIR", data.resolve("data").toString(),
                "METRICS_METADATA_SYNC_ENABLED", "false",
                "METRICS_METADATA_SYNC_BATCH_SIZE", "5"));
        env.putAll(more);
        return MiradorProcess.start(data.resolve(name + ".log"), env, Map.of());
    }

    /** Starts a full sync (five names a batch: a thousand batches) and waits until it is well under way. */
    private static void startSlowSync(MiradorProcess m) {
        Thread t = new Thread(() -> {
            try {
                post(m, "/api/v1/metrics/sync/default?forceFull=true");
            } catch (Exception e) {
                // the process stops under the request
            }
        });
        t.setDaemon(true);
        t.start();
        Waits.until(Duration.ofSeconds(30), "the sync to run", () -> {
            JsonNode s = get(m, "/api/v1/metrics/sync/default/status");
            return s.get("status").asText().equals("running") && s.get("metrics_processed").asInt() >= 100;
        });
    }

    private static JsonNode search(MiradorProcess m) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(m.url() + "/api/v1/metrics/search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static JsonNode get(MiradorProcess m, String path) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(m.url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static HttpResponse<String> post(MiradorProcess m, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(m.url() + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
