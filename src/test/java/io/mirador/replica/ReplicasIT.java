package io.mirador.replica;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.testing.FaultySource;
import io.mirador.testing.MiradorProcess;
import io.mirador.testing.SentinelValkey;
import io.mirador.testing.Series;
import io.mirador.testing.Valkey;
import io.mirador.testing.VictoriaMetrics;
import io.mirador.testing.Waits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicas sharing one Valkey are one catalog: real processes (the packaged jar, each with its own port and data
 * directory), a real redis-server and a real VictoriaMetrics. One replica at a time reads the source; every replica
 * serves every generation the holder publishes; the syncs fail over when the holder dies; Valkey going away, coming
 * back, or coming back empty loses nothing.
 */
class ReplicasIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Kept when a test fails: each replica's log is there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final List<MiradorProcess> replicas = new ArrayList<>();

    @AfterEach
    void stopReplicas() {
        replicas.forEach(MiradorProcess::close);
    }

    @Test
    void should_serve_the_whole_catalog_from_replicas_started_after_the_sync_without_reading_the_source() throws Exception {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir); Valkey valkey = Valkey.start(dir)) {
            vm.importPrometheus(new Series().names("replicated_metric_", 300));
            MiradorProcess first = replica("r1", vm.url(), valkey, Map.of());
            assertThat(post(first, "/api/v1/metrics/sync/default?forceFull=true").statusCode()).isEqualTo(200);
            JsonNode expected = withoutTook(json(search(first, 100)));
            assertThat(expected.get("total").asInt()).isEqualTo(300);
            long seriesCalls = vm.requestsTo("/api/v1/series");

            // when: two replicas start with empty data directories
            MiradorProcess second = replica("r2", vm.url(), valkey, Map.of());
            MiradorProcess third = replica("r3", vm.url(), valkey, Map.of());

            // then: ready means serving the catalog: both answer what the first answers, from their first answer
            for (MiradorProcess r : List.of(second, third)) {
                assertThat(withoutTook(json(search(r, 100)))).isEqualTo(expected);
                assertThat(json(get(r, "/api/v1/metrics/default/replicated_metric_00042")))
                        .isEqualTo(json(get(first, "/api/v1/metrics/default/replicated_metric_00042")));
                JsonNode state = json(get(r, "/api/v1/metrics/sync/default/state"));
                assertThat(state.get("metrics_in_index").asInt()).isEqualTo(300);
                assertThat(state.get("index_generation").asLong()).isEqualTo(state.get("catalog_generation").asLong())
                        .isPositive();
                assertThat(state.get("sync_holder").asText()).isEqualTo("r1");
            }
            // and: the source was not read by them
            assertThat(vm.requestsTo("/api/v1/series")).isEqualTo(seriesCalls);

            // and: the holder embeds the metrics for semantic search, the others take its vectors from Valkey
            for (MiradorProcess r : List.of(first, second, third)) {
                Waits.until(Duration.ofSeconds(90), r.url() + " to have every metric's vector", () ->
                        json(get(r, "/api/v1/metrics/sync/default/state")).path("embeddings_waiting").asInt(-1) == 0);
            }
            JsonNode byMeaning = withoutTook(json(searchFor(first, "metric replicated across servers")));
            assertThat(byMeaning.get("mode").asText()).isEqualTo("hybrid");
            for (MiradorProcess r : List.of(second, third)) {
                assertThat(withoutTook(json(searchFor(r, "metric replicated across servers")))).isEqualTo(byMeaning);
            }
            assertThat(Files.readString(dir.resolve("r1.log"))).contains("(300 texts embedded here");
            for (String id : List.of("r2", "r3")) {
                assertThat(Files.readString(dir.resolve(id + ".log"))).contains("(0 texts embedded here")
                        .doesNotContainPattern("\\([1-9][0-9]* texts embedded here");
            }
        }
    }

    @Test
    void should_bring_a_sync_asked_of_any_replica_to_every_replica() throws Exception {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir); Valkey valkey = Valkey.start(dir)) {
            vm.importPrometheus(new Series().names("replicated_metric_", 50));
            MiradorProcess first = replica("r1", vm.url(), valkey, Map.of());
            MiradorProcess second = replica("r2", vm.url(), valkey, Map.of());
            MiradorProcess third = replica("r3", vm.url(), valkey, Map.of());
            assertThat(post(second, "/api/v1/metrics/sync/default?forceFull=true").statusCode()).isEqualTo(200);
            awaitTotal(List.of(first, second, third), 50);

            // when: a metric appears in the source and a replica that does not hold the syncs is asked for one
            vm.importPrometheus(new Series().add("replicated_newcomer_total", "job=\"new\""));
            HttpResponse<String> sync = post(third, "/api/v1/metrics/sync/default");

            // then: the holder ran it, and all three serve the newcomer within seconds
            assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
            assertThat(json(sync).at("/result/metrics_added").asInt()).isEqualTo(1);
            long started = System.nanoTime();
            awaitTotal(List.of(first, second, third), 51);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            for (MiradorProcess r : List.of(first, second, third)) {
                // the shared history reaches every replica within a second or two
                Waits.until(Duration.ofSeconds(5), "the shared history at " + r.url(), () -> {
                    JsonNode state = json(get(r, "/api/v1/metrics/sync/default/state"));
                    return state.get("successful_syncs").asInt() == 2 && state.get("metrics_in_index").asInt() == 51;
                });
            }
            // and: the run-time config changed on one replica applies on all
            assertThat(put(second, "/api/v1/metrics/sync/config", "{\"batch_size\":77}").statusCode()).isEqualTo(200);
            for (MiradorProcess r : List.of(first, third)) {
                Waits.until(Duration.ofSeconds(10), "the config to reach " + r.url(),
                        () -> json(get(r, "/api/v1/metrics/sync/config")).get("batch_size").asInt() == 77);
            }
        }
    }

    @Test
    void should_run_one_sync_and_answer_409_when_two_replicas_are_asked_at_once() throws Exception {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir); Valkey valkey = Valkey.start(dir);
             FaultySource slow = FaultySource.start(vm.url())) {
            vm.importPrometheus(new Series().names("replicated_metric_", 40));
            slow.always("/api/v1/series", FaultySource.Fault.slow(Duration.ofMillis(150)));
            Map<String, String> small = Map.of("mirador.sync.batch-size", "2");
            MiradorProcess first = replica("r1", slow.url(), valkey, small);
            MiradorProcess second = replica("r2", slow.url(), valkey, small);

            CompletableFuture<HttpResponse<String>> a = CompletableFuture.supplyAsync(
                    () -> post(first, "/api/v1/metrics/sync/default?forceFull=true"));
            CompletableFuture<HttpResponse<String>> b = CompletableFuture.supplyAsync(
                    () -> post(second, "/api/v1/metrics/sync/default?forceFull=true"));

            List<Integer> codes = new ArrayList<>(List.of(a.get().statusCode(), b.get().statusCode()));
            codes.sort(Integer::compare);
            assertThat(codes).as(a.get().body() + "\n" + b.get().body()).containsExactly(200, 409);
            HttpResponse<String> conflict = a.get().statusCode() == 409 ? a.get() : b.get();
            assertThat(json(conflict).at("/sync_status/status").asText()).isEqualTo("running");
            // one read of the source: each of the 20 read batches once
            assertThat(slow.calls("/api/v1/series")).isEqualTo(20);
        }
    }

    @Test
    void should_fail_over_when_the_holder_is_killed_in_a_full_sync() throws Exception {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir); Valkey valkey = Valkey.start(dir);
             FaultySource source = FaultySource.start(vm.url())) {
            vm.importPrometheus(new Series().names("replicated_metric_", 60));
            Map<String, String> small = Map.of("mirador.sync.batch-size", "2");
            MiradorProcess holder = replica("r1", source.url(), valkey, small);
            MiradorProcess second = replica("r2", source.url(), valkey, small);
            MiradorProcess third = replica("r3", source.url(), valkey, small);
            assertThat(post(second, "/api/v1/metrics/sync/default?forceFull=true").statusCode()).isEqualTo(200);
            awaitTotal(List.of(holder, second, third), 60);

            // searches on the survivors never stop
            AtomicInteger failedSearches = new AtomicInteger();
            AtomicInteger searches = new AtomicInteger();
            AtomicReference<Boolean> searching = new AtomicReference<>(true);
            Thread searcher = new Thread(() -> {
                while (searching.get()) {
                    for (MiradorProcess r : List.of(second, third)) {
                        HttpResponse<String> s = search(r, 5);
                        searches.incrementAndGet();
                        if (s.statusCode() != 200 || json(s).get("total").asInt() != 60) {
                            failedSearches.incrementAndGet();
                        }
                    }
                }
            });
            searcher.start();

            // when: the holder is killed in the middle of a full sync
            source.always("/api/v1/series", FaultySource.Fault.slow(Duration.ofMillis(200)));
            CompletableFuture.runAsync(() -> post(holder, "/api/v1/metrics/sync/default?forceFull=true"));
            Waits.until(Duration.ofSeconds(10), "the sync to be under way",
                    () -> source.calls("/api/v1/series") >= 3 && "running".equals(
                            json(get(second, "/api/v1/metrics/sync/default/status")).get("status").asText()));
            holder.kill();
            source.clear();

            // then: another replica takes the syncs within the lease, and records the sync interrupted
            Waits.until(Duration.ofSeconds(20), "the interrupted sync to be recorded", () -> {
                JsonNode status = json(get(second, "/api/v1/metrics/sync/default/status"));
                return "failed".equals(status.get("status").asText())
                        && status.get("errors").get(0).asText().contains("interrupted");
            });
            String newHolder = json(get(third, "/api/v1/metrics/sync/default/state")).get("sync_holder").asText();
            assertThat(newHolder).isIn("r2", "r3");
            // and: the next sync completes, asked of either survivor, and removed nothing
            HttpResponse<String> next = post(third, "/api/v1/metrics/sync/default?forceFull=true");
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            assertThat(json(next).at("/result/metrics_removed").asInt()).isZero();
            searching.set(false);
            searcher.join();
            assertThat(searches.get()).isPositive();
            assertThat(failedSearches.get()).as("searches on the surviving replicas that failed").isZero();
            awaitTotal(List.of(second, third), 60);
        }
    }

    @Test
    void should_keep_serving_while_valkey_is_down_and_lose_nothing_when_it_returns_with_or_without_its_data()
            throws Exception {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir); Valkey valkey = Valkey.start(dir)) {
            vm.importPrometheus(new Series().names("replicated_metric_", 30));
            MiradorProcess first = replica("r1", vm.url(), valkey, Map.of());
            MiradorProcess second = replica("r2", vm.url(), valkey, Map.of());
            assertThat(post(first, "/api/v1/metrics/sync/default?forceFull=true").statusCode()).isEqualTo(200);
            awaitTotal(List.of(first, second), 30);

            // when: Valkey goes down, and both replicas have noticed
            valkey.stop();
            for (MiradorProcess r : List.of(first, second)) {
                Waits.until(Duration.ofSeconds(15), r.url() + " to see Valkey down", () ->
                        "down".equals(json(get(r, "/api/v1/metrics/health")).path("state_store").asText()));
            }

            // then: both serve their last generation; a sync waits for Valkey, saying so
            awaitTotal(List.of(first, second), 30);
            HttpResponse<String> refused = post(second, "/api/v1/metrics/sync/default?forceFull=true");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.body()).contains("Valkey");

            // when: it comes back with its data
            valkey.start();
            vm.importPrometheus(new Series().add("replicated_after_outage", "job=\"x\""));

            // then: the syncs go on, and reach both
            // (each try bounded: a try answered late is no answer, the next try counts)
            Waits.until(Duration.ofSeconds(60), "a sync to run again", () -> send(HttpRequest.newBuilder(
                    URI.create(second.url() + "/api/v1/metrics/sync/default?forceFull=true"))
                    .POST(HttpRequest.BodyPublishers.noBody()), Duration.ofSeconds(15)).statusCode() == 200);
            awaitTotal(List.of(first, second), 31);

            // when: it comes back empty
            valkey.flushAll();

            // then: the replicas write the catalog and the records back, and a new replica serves it all
            Waits.until(Duration.ofSeconds(15), "the catalog to be written back",
                    () -> valkey.get("mirador:tenant:default:sync-record") != null
                            && "1".equals(cli(valkey, "EXISTS", "mirador:{catalog:default}:docs")));
            MiradorProcess third = replica("r3", vm.url(), valkey, Map.of());
            awaitTotal(List.of(third), 31);
            assertThat(json(get(third, "/api/v1/metrics/sync/default/state")).get("successful_syncs").asInt())
                    .isEqualTo(2);
        }
    }

    @Test
    void should_carry_on_when_the_sentinel_promotes_the_replica_of_a_stopped_primary() throws Exception {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir); SentinelValkey valkey = SentinelValkey.start(dir.resolve("sentinel"))) {
            vm.importPrometheus(new Series().names("replicated_metric_", 20));
            Map<String, String> sentinel = Map.of("mirador.state.valkey.sentinels", valkey.sentinels(),
                    "mirador.state.valkey.sentinel-master", SentinelValkey.MASTER_NAME);
            MiradorProcess first = replica("r1", vm.url(), sentinel);
            MiradorProcess second = replica("r2", vm.url(), sentinel);
            assertThat(post(second, "/api/v1/metrics/sync/default?forceFull=true").statusCode()).isEqualTo(200);
            awaitTotal(List.of(first, second), 20);

            // when: the primary dies and the sentinel promotes its replica
            valkey.killPrimary();
            Waits.until(Duration.ofSeconds(30), "the sentinel to promote the replica", valkey::replicaPromoted);

            // then: searches answer, syncs run again on the new primary and reach both replicas
            awaitTotal(List.of(first, second), 20);
            vm.importPrometheus(new Series().add("replicated_after_failover", "job=\"x\""));
            Waits.until(Duration.ofSeconds(40), "a sync to run on the new primary",
                    () -> post(first, "/api/v1/metrics/sync/default?forceFull=true").statusCode() == 200);
            awaitTotal(List.of(first, second), 21);
            assertThat(Long.parseLong(valkey.onPrimary("HGET", "mirador:{catalog:default}:meta", "generation")))
                    .isGreaterThanOrEqualTo(2);
        }
    }

    // ---- helpers

    private MiradorProcess replica(String id, String sourceUrl, Valkey valkey, Map<String, String> extra) {
        Map<String, String> s = new LinkedHashMap<>(extra);
        s.put("mirador.state.valkey.url", valkey.url());
        return replica(id, sourceUrl, s);
    }

    private MiradorProcess replica(String id, String sourceUrl, Map<String, String> extra) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("mirador.sync.enabled", "false");
        s.put("mirador.tenant.default.source-url", sourceUrl);
        s.put("mirador.data-dir", dir.resolve(id).toString());
        s.put("mirador.sync.retry-delay", "100ms");
        s.put("mirador.sync.max-retries", "1");
        s.put("mirador.sync.tick", "200");
        s.put("mirador.sync.first-tick", "200");
        s.put("mirador.state.store", "valkey");
        s.put("mirador.replica.id", id);
        s.put("mirador.replica.lease", "3s");
        s.putAll(extra);
        MiradorProcess p = MiradorProcess.start(dir.resolve(id + ".log"), Map.of(), s);
        replicas.add(p);
        if (replicas.size() == 1) {
            Waits.until(Duration.ofSeconds(15), id + " to hold the sync lease",
                    () -> id.equals(json(get(p, "/api/v1/metrics/sync/default/state")).path("sync_holder").asText()));
        }
        return p;
    }

    private static void awaitTotal(List<MiradorProcess> replicas, int total) {
        for (MiradorProcess r : replicas) {
            Waits.until(Duration.ofSeconds(15), r.url() + " to serve " + total + " metrics", () ->
                    json(search(r, 1)).get("total").asInt() == total);
        }
    }

    /** A search answer without its time taken, which differs from answer to answer. */
    private static JsonNode withoutTook(JsonNode answer) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) answer).remove("took");
        return answer;
    }

    private static String cli(Valkey valkey, String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-u", valkey.url(), "--raw"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> get(MiradorProcess r, String path) {
        return send(HttpRequest.newBuilder(URI.create(r.url() + path)).GET());
    }

    static HttpResponse<String> searchFor(MiradorProcess r, String query) {
        return send(HttpRequest.newBuilder(URI.create(r.url() + "/api/v1/metrics/search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"" + query + "\",\"limit\":20}")));
    }

    static HttpResponse<String> search(MiradorProcess r, int limit) {
        return send(HttpRequest.newBuilder(URI.create(r.url() + "/api/v1/metrics/search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"replicated\",\"limit\":" + limit + "}")));
    }

    static HttpResponse<String> post(MiradorProcess r, String path) {
        return send(HttpRequest.newBuilder(URI.create(r.url() + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    static HttpResponse<String> put(MiradorProcess r, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(r.url() + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, Duration.ofSeconds(60));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, Duration timeout) {
        try {
            return HTTP.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(r.statusCode() + " " + r.body(), e);
        }
    }
}
