package io.mirador.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mirador.testing.FaultySource;
import io.mirador.testing.FaultySource.Fault;
import io.mirador.testing.InFlightProxy;
import io.mirador.testing.Mirador;
import io.mirador.testing.SharedVictoriaMetrics;
import io.mirador.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A newcomer changes how syncs behave by editing the YAML routes or the settings alone, as docs/architecture.md
 * ("Where to change what") says: the retry policy in {@code routes/source.camel.yaml} (reloaded live) and
 * {@code max_retries} through the config API, the read batch ({@code mirador.sync.batch-size}), the index batch
 * ({@code mirador.index.batch-size}) and the read parallelism ({@code mirador.sync.read-threads}). Real
 * VictoriaMetrics behind the fault-injecting proxy, the real service; each change is seen where it acts: the calls
 * at the source, the aggregator's own counters over Jolokia.
 */
class PolicyEditsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int N = 40;
    static final String SERIES_CALL = "/api/v1/series";
    static final String FULL_SYNC = "/api/v1/metrics/sync/default?forceFull=true";

    @RegisterExtension
    static final SharedVictoriaMetrics vm = SharedVictoriaMetrics.withNames("policy_metric_", N);

    @TempDir
    static Path dir;

    /**
     * The retry policy: a series call answered 503 is made 1 + max_retries times (max_retries 1 from the settings,
     * then 3 at once after PUT /sync/config); once the SourceException clause of source.camel.yaml no longer takes
     * 5xx and the file is reloaded, the next failing sync makes the call exactly once.
     */
    @Test
    void should_retry_as_the_config_and_the_edited_route_file_say_when_the_source_answers_503() throws Exception {
        // given: the service runs the routes of a copy of routes/, reloaded when edited
        Path routes = copyRoutes("routes-retry");
        try (FaultySource faulty = FaultySource.start(vm.url())) {
            Map<String, String> s = Mirador.settings(faulty.url(), dir.resolve("data-retry"));
            s.put("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
            s.put("camel.main.routes-reload-enabled", "true");
            s.put("camel.main.routes-reload-directory", routes.toString());
            try (Mirador mirador = Mirador.start(s)) {
                faulty.always(SERIES_CALL, Fault.httpStatus(503));

                // when: max_retries is 1 (Mirador.settings)
                int before = faulty.faulted(SERIES_CALL);
                Mirador.Response first = mirador.post(FULL_SYNC, null);

                // then
                assertThat(first.status()).as(first.body()).isEqualTo(503);
                assertThat(faulty.faulted(SERIES_CALL) - before).as("series calls, max_retries 1").isEqualTo(1 + 1);

                // when: max_retries 3 at run time, no restart
                mirador.put("/api/v1/metrics/sync/config", "{\"max_retries\":3}").ok();
                before = faulty.faulted(SERIES_CALL);
                Mirador.Response second = mirador.post(FULL_SYNC, null);

                // then
                assertThat(second.status()).as(second.body()).isEqualTo(503);
                assertThat(faulty.faulted(SERIES_CALL) - before).as("series calls, max_retries 3").isEqualTo(1 + 3);

                // when: the SourceException clause no longer retries a 5xx (only a 429), and the file is reloaded
                Path source = routes.resolve("source.camel.yaml");
                String original = Files.readString(source);
                String edited = original.replace("simple: \"${exception.status} == 429 || ${exception.status} >= 500\"",
                        "simple: \"${exception.status} == 429\"");
                assertThat(edited).isNotEqualTo(original);
                int reloads = reloadCounter(mirador);
                saveAtomically(source, edited);
                awaitReloaded(mirador, reloads);
                assertThat(reloadStrategy(mirador).get("FailedCounter").asInt()).as("failed reloads").isZero();
                before = faulty.faulted(SERIES_CALL);
                Mirador.Response third = mirador.post(FULL_SYNC, null);

                // then
                assertThat(third.status()).as(third.body()).isEqualTo(503);
                assertThat(faulty.faulted(SERIES_CALL) - before).as("series calls, 5xx not retried").isEqualTo(1);
                assertThat(mirador.status().get("errors").get(0).asText()).contains("503");
            }
        }
    }

    /**
     * The read batch: over 40 metrics of one series each, mirador.sync.batch-size 5 makes 8 read batches and 50 makes
     * one (SourceScan.nameBatches); SeriesReader reads a batch in one call while the series per name seen so far fit
     * half of mirador.source.max-series (here 1 per name against 15 000), so the source sees 8 series calls, then 1.
     * A sync asked for with {@code batch_size} 10 in the body of POST /sync makes 4, whatever the setting.
     */
    @Test
    void should_make_one_series_call_per_read_batch_when_the_read_batch_size_is_set() {
        for (int[] c : new int[][] {{5, 8}, {50, 1}}) {
            // given
            int batchSize = c[0];
            int expectedCalls = c[1];
            try (FaultySource faulty = FaultySource.start(vm.url());
                 Mirador mirador = Mirador.start(settings(faulty.url(), "data-read-batch-" + batchSize,
                         Map.of("mirador.sync.batch-size", Integer.toString(batchSize))))) {

                // when
                JsonNode result = mirador.syncNow(true).get("result");

                // then
                assertThat(result.get("metrics_processed").asInt()).isEqualTo(N);
                assertThat(faulty.calls(SERIES_CALL)).as("series calls, batch-size %d", batchSize).isEqualTo(expectedCalls);

                // when: one sync with its own read batch size
                int before = faulty.calls(SERIES_CALL);
                JsonNode own = mirador.post("/api/v1/metrics/sync",
                        "{\"tenant_id\":\"default\",\"force_full_sync\":true,\"batch_size\":10}").ok();

                // then
                assertThat(own.get("metrics_processed").asInt()).isEqualTo(N);
                assertThat(faulty.calls(SERIES_CALL) - before).as("series calls, batch_size 10 in the body").isEqualTo(4);
            }
        }
    }

    /**
     * The index batch: with mirador.index.batch-size 7, the 40 documents of a sync are written in 5 batches that
     * completed at 7 documents and one (the last 5) completed by the sync's end; with the default 1000, in one batch
     * completed by the end. Read from the index-batch aggregator's own counters (JMX over /observe/jolokia).
     */
    @Test
    void should_write_batches_of_the_configured_size_when_the_index_batch_size_is_set() throws Exception {
        for (int[] c : new int[][] {{7, 5}, {1000, 0}}) {
            // given
            int batchSize = c[0];
            int bySize = c[1];
            try (Mirador mirador = Mirador.start(settings(vm.url(), "data-index-batch-" + batchSize,
                    Map.of("mirador.index.batch-size", Integer.toString(batchSize))))) {

                // when
                JsonNode result = mirador.syncNow(true).get("result");

                // then
                assertThat(result.get("metrics_processed").asInt()).isEqualTo(N);
                JsonNode aggregate = indexBatchAggregator(mirador);
                assertThat(aggregate.get("CompletedBySize").asInt()).as("batches of %d", batchSize).isEqualTo(bySize);
                assertThat(aggregate.get("CompletedByPredicate").asInt()).as("batches ended by the sync's end").isEqualTo(1);
                assertThat(aggregate.get("CompletedByTimeout").asInt()).isZero();
                assertThat(aggregate.get("TotalCompleted").asInt()).isEqualTo(bySize + 1);
            }
        }
    }

    /**
     * The read parallelism: with every series call taking 300 ms at the source and 8 read batches, the proxy in front
     * of the source sees at most 1 series call at a time with mirador.sync.read-threads 1, and 3 with 3.
     */
    @Test
    void should_read_as_many_batches_at_once_as_read_threads_when_the_source_is_slow() {
        for (int threads : new int[] {1, 3}) {
            // given
            try (FaultySource faulty = FaultySource.start(vm.url());
                 InFlightProxy proxy = InFlightProxy.start(faulty.url());
                 Mirador mirador = Mirador.start(settings(proxy.url(), "data-threads-" + threads,
                         Map.of("mirador.sync.read-threads", Integer.toString(threads), "mirador.sync.batch-size", "5")))) {
                faulty.always(SERIES_CALL, Fault.slow(Duration.ofMillis(300)));

                // when
                JsonNode result = mirador.syncNow(true).get("result");

                // then
                assertThat(result.get("metrics_processed").asInt()).isEqualTo(N);
                assertThat(proxy.calls(SERIES_CALL)).isEqualTo(8);
                assertThat(faulty.faulted(SERIES_CALL)).as("slowed").isEqualTo(8);
                assertThat(proxy.maxInFlight(SERIES_CALL)).as("series calls at once, read-threads %d", threads)
                        .isEqualTo(threads);
            }
        }
    }

    private static Map<String, String> settings(String sourceUrl, String dataDir, Map<String, String> extra) {
        Map<String, String> s = Mirador.settings(sourceUrl, dir.resolve(dataDir));
        s.putAll(extra);
        return s;
    }

    private static Path copyRoutes(String name) throws Exception {
        Path routes = dir.resolve(name);
        Files.createDirectories(routes);
        for (String f : List.of("api.camel.yaml", "source.camel.yaml", "sync.camel.yaml")) {
            Files.copy(Path.of("routes", f), routes.resolve(f));
        }
        return routes;
    }

    /**
     * Saves a file as most editors do, by renaming a whole new copy over it: the route watcher never sees it empty
     * (written in place, it may see the file truncated and log a failed reload before the good one).
     */
    private static void saveAtomically(Path file, String content) throws Exception {
        Path copy = file.resolveSibling(file.getFileName() + ".saving");
        Files.writeString(copy, content);
        Files.move(copy, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads attributes of the MBeans matching a pattern over Jolokia: MBean name -> attributes. */
    private static JsonNode jolokiaRead(Mirador mirador, String pattern, String... attributes) throws Exception {
        ObjectNode request = JSON.createObjectNode().put("type", "read").put("mbean", pattern);
        ArrayNode names = request.putArray("attribute");
        for (String a : attributes) {
            names.add(a);
        }
        JsonNode answer = JSON.readTree(mirador.post("/observe/jolokia", JSON.writeValueAsString(request)).body());
        assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(200);
        return answer.get("value");
    }

    /** The attributes of the route reload strategy's MBean. */
    private static JsonNode reloadStrategy(Mirador mirador) throws Exception {
        JsonNode all = jolokiaRead(mirador, "org.apache.camel:context=mirador,type=services,name=*ReloadStrategy*",
                "ReloadCounter", "FailedCounter");
        assertThat(all.size()).as("one reload strategy: " + all).isEqualTo(1);
        return all.elements().next();
    }

    private static int reloadCounter(Mirador mirador) throws Exception {
        return reloadStrategy(mirador).get("ReloadCounter").asInt();
    }

    /**
     * Waits until the routes were reloaded since {@code reloads} and no reload followed for a second: one write of a
     * file may be seen as two changes, and a sync must not run while its routes are being replaced.
     */
    private static void awaitReloaded(Mirador mirador, int reloads) throws Exception {
        Waits.until(Duration.ofSeconds(30), "the edited route file to be reloaded", () -> reloadCounter(mirador) > reloads);
        int[] last = {reloadCounter(mirador)};
        long[] since = {System.nanoTime()};
        Waits.until(Duration.ofSeconds(30), "the reloads to settle", () -> {
            int now = reloadCounter(mirador);
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] > Duration.ofSeconds(1).toNanos();
        });
    }

    /** The counters of the aggregator of route index-batch. */
    private static JsonNode indexBatchAggregator(Mirador mirador) throws Exception {
        JsonNode processors = jolokiaRead(mirador, "org.apache.camel:context=mirador,type=processors,*",
                "RouteId", "ProcessorName");
        String name = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = processors.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if ("index-batch".equals(e.getValue().path("RouteId").asText())
                    && "aggregate".equals(e.getValue().path("ProcessorName").asText())) {
                assertThat(name).as("one aggregator in index-batch").isNull();
                name = e.getKey();
            }
        }
        assertThat(name).as("the aggregator of index-batch among " + processors).isNotNull();
        return jolokiaRead(mirador, name, "CompletedBySize", "CompletedByPredicate", "CompletedByTimeout", "TotalCompleted");
    }
}
