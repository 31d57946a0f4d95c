package io.mirador.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.security.ApiKeys;
import io.mirador.testing.FaultySource;
import io.mirador.testing.FaultySource.Fault;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full sync removes what the source no longer lists only when it can trust the source's answers: an
 * empty name list, a partial, failed, garbled or cut answer, or a removal larger than
 * {@code max_removal_share} makes it fail and remove nothing, unless a caller with the sync role allows
 * that one removal. Real VictoriaMetrics behind the fault-injecting proxy, the real service.
 */
class SourceTrustIT {

    static final int N = 40;
    static final String PREFIX = "trust_metric_";
    static final String NAMES_CALL = "/api/v1/label/__name__/values";
    static final String SERIES_CALL = "/api/v1/series";
    static final String FULL_SYNC = "/api/v1/metrics/sync/default?forceFull=true";
    static final String ALLOW_REMOVAL = FULL_SYNC + "&allowRemoval=true";
    /** The retries {@link Mirador#settings} gives: every failed source call is made 1 + 1 times. */
    static final int MAX_RETRIES = 1;

    @TempDir
    Path dir;

    /** A full sync whose source lists no metric names removes nothing and fails, until allowRemoval=true allows it once. */
    @Test
    void should_fail_and_keep_the_catalog_when_the_source_lists_no_metric_names() {
        withCatalog(Map.of(), (vm, faulty, mirador) -> {
            // given
            faulty.always(NAMES_CALL, Fault.empty());

            // when
            Mirador.Response refused = mirador.post(FULL_SYNC, null);

            // then
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.json().get("errorType").asText()).isEqualTo("unavailable");
            assertThat(refused.json().get("error").asText()).contains("source returned no metric names")
                    .contains("holds " + N + " metric documents").contains("allowRemoval=true");
            JsonNode status = mirador.status();
            assertThat(status.get("status").asText()).isEqualTo("failed");
            assertThat(status.get("errors").get(0).asText()).contains("source returned no metric names");
            assertThat(total(mirador)).isEqualTo(N);
            JsonNode health = mirador.get("/api/v1/metrics/health").ok().get("tenants").get(0);
            assertThat(health.get("last_sync_result").asText()).isEqualTo("failed");
            assertThat(health.path("problems").toString()).contains("last sync failed")
                    .contains("source returned no metric names");

            // when: the operator allows this one removal
            JsonNode allowed = mirador.post(ALLOW_REMOVAL, null).ok().get("result");

            // then
            assertThat(allowed.get("metrics_removed").asInt()).isEqualTo(N);
            assertThat(total(mirador)).isZero();
        });
    }

    /** A names answer marked isPartial:true is not used: the full sync fails and removes nothing. */
    @Test
    void should_fail_and_keep_the_catalog_when_the_names_answer_is_partial() {
        withCatalog(Map.of(), (vm, faulty, mirador) -> {
            // given: half the names, marked partial (taken at its word, 20 of 40 removed is within the share)
            faulty.always(NAMES_CALL, Fault.partial());

            // when
            Mirador.Response answer = mirador.post(FULL_SYNC, null);

            // then
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.json().get("errorType").asText()).isEqualTo("unavailable");
            JsonNode status = mirador.status();
            assertThat(status.get("status").asText()).isEqualTo("failed");
            assertThat(status.get("errors").get(0).asText()).contains("partial");
            assertThat(faulty.faulted(NAMES_CALL)).as("the partial answer is retried").isEqualTo(1 + MAX_RETRIES);
            assertThat(total(mirador)).isEqualTo(N);
        });
    }

    static Stream<Arguments> untrustworthySeriesAnswers() {
        return Stream.of(
                Arguments.of(Fault.partial(), "isPartial: true"),
                Arguments.of(Fault.errorStatus(), "answered status error: injected"),
                Arguments.of(Fault.garbled(), SERIES_CALL),
                Arguments.of(Fault.truncated(), SERIES_CALL));
    }

    /** A series answer that is partial, an error, not JSON or cut short is retried, then fails the sync, which removes nothing. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("untrustworthySeriesAnswers")
    void should_retry_then_fail_and_keep_the_catalog_when_series_answers_cannot_be_trusted(Fault fault, String reason) {
        withCatalog(Map.of(), (vm, faulty, mirador) -> {
            // given: the clean sync read all 40 names' series in one call
            assertThat(faulty.calls(SERIES_CALL)).isEqualTo(1);
            faulty.always(SERIES_CALL, fault);

            // when
            Mirador.Response answer = mirador.post(FULL_SYNC, null);

            // then
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            assertThat(answer.json().get("errorType").asText()).isEqualTo("unavailable");
            JsonNode status = mirador.status();
            assertThat(status.get("status").asText()).isEqualTo("failed");
            assertThat(status.get("errors").get(0).asText()).contains("cannot read").contains(reason);
            assertThat(faulty.faulted(SERIES_CALL)).as("the one series call, retried").isEqualTo(1 + MAX_RETRIES);
            assertThat(total(mirador)).isEqualTo(N);
            assertThat(mirador.state().get("metrics_in_index").asInt()).isEqualTo(N);
        });
    }

    static final String METADATA_CALL = "/api/v1/metadata";

    static Stream<Arguments> faultMatrix() {
        List<Arguments> cases = new ArrayList<>();
        for (String call : List.of(NAMES_CALL, SERIES_CALL, METADATA_CALL)) {
            for (Fault fault : List.of(Fault.garbled(), Fault.errorStatus(), Fault.httpStatus(503), Fault.httpStatus(429),
                    Fault.reset(), Fault.stall(), Fault.truncated())) {
                cases.add(Arguments.of(call, fault));
            }
        }
        return cases.stream();
    }

    /**
     * The fault matrix: whichever call of a full sync (names, series, metadata) answers garbage, an error, a 5xx or
     * 429, resets the connection, never answers or is cut, the sync fails with the reason and removes nothing.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("faultMatrix")
    void should_fail_and_remove_nothing_whichever_call_fails_however(String call, Fault fault) {
        Map<String, String> settings = Map.of("mirador.source.response-timeout", "1500ms");
        withCatalog(settings, (vm, faulty, mirador) -> {
            // given
            faulty.always(call, fault);

            // when
            Mirador.Response answer = mirador.post(FULL_SYNC, null);

            // then
            assertThat(answer.status()).as(answer.body()).isEqualTo(503);
            JsonNode status = mirador.status();
            assertThat(status.get("status").asText()).isEqualTo("failed");
            assertThat(status.get("errors").get(0).asText()).isNotBlank();
            assertThat(status.get("metrics_removed").asInt()).isZero();
            assertThat(faulty.faulted(call)).as("retried").isGreaterThanOrEqualTo(1 + MAX_RETRIES);
            assertThat(total(mirador)).isEqualTo(N);

            // and: once the source answers again, the next sync completes
            faulty.clear();
            assertThat(mirador.post(FULL_SYNC, null).ok().get("result").get("metrics_removed").asInt()).isZero();
        });
    }

    /** A slow source is waited for: every call answering late still makes a complete sync. */
    @Test
    void should_complete_when_every_call_answers_slowly() {
        withCatalog(Map.of(), (vm, faulty, mirador) -> {
            // given
            faulty.always("/api/v1/", Fault.slow(Duration.ofMillis(700)));

            // when
            JsonNode result = mirador.post(FULL_SYNC, null).ok().get("result");

            // then
            assertThat(result.get("metrics_processed").asInt()).isEqualTo(N);
            assertThat(result.get("metrics_removed").asInt()).isZero();
            assertThat(total(mirador)).isEqualTo(N);
        });
    }

    /** Empty answers to a tenth of the names and series calls never remove a metric, and retries let most syncs complete. */
    @Test
    void should_never_remove_metrics_when_a_tenth_of_the_answers_are_empty() {
        Map<String, String> settings = Map.of("mirador.sync.batch-size", "5", "mirador.sync.max-retries", "3");
        withCatalog(settings, (vm, faulty, mirador) -> {
            // given: 8 series calls of 5 names per sync; the random start values empty the second sync's names answer
            // (that sync fails) and some series answers of the others (retried)
            faulty.fraction(NAMES_CALL, 0.1, 5, Fault.empty());
            faulty.fraction(SERIES_CALL, 0.1, 14, Fault.empty());
            List<Integer> answers = new ArrayList<>();

            for (int sync = 1; sync <= 5; sync++) {
                // when
                Mirador.Response answer = mirador.post(FULL_SYNC, null);
                answers.add(answer.status());

                // then
                assertThat(answer.status()).as("sync %d: %s", sync, answer.body()).isIn(200, 503);
                if (answer.status() == 200) {
                    assertThat(answer.json().get("result").get("metrics_removed").asInt()).as("sync %d", sync).isZero();
                }
                assertThat(total(mirador)).as("metrics after sync %d", sync).isEqualTo(N);
            }
            assertThat(faulty.faulted(NAMES_CALL)).as("empty names answers injected").isPositive();
            assertThat(faulty.faulted(SERIES_CALL)).as("empty series answers injected").isPositive();
            assertThat(answers).as("sync answers").filteredOn(s -> s == 200).hasSizeGreaterThanOrEqualTo(3);
        });
    }

    /** A full sync that would remove more than max_removal_share (0.5) fails removing nothing; allowRemoval=true allows it once. */
    @Test
    void should_refuse_the_removal_unless_allowed_once_when_it_exceeds_the_max_removal_share() {
        withCatalog(Map.of(), (vm, faulty, mirador) -> {
            // given: 30 of the 40 metrics gone from the source
            deleteMetrics(vm, 0, 30);

            // when
            Mirador.Response refused = mirador.post(FULL_SYNC, null);

            // then
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.json().get("error").asText())
                    .contains("would remove 30 of the 40 metric documents").contains("max_removal_share")
                    .contains("nothing was removed").contains("allowRemoval=true");
            assertThat(mirador.status().get("status").asText()).isEqualTo("failed");
            assertThat(total(mirador)).isEqualTo(N);

            // when: allowed once
            JsonNode allowed = mirador.post(ALLOW_REMOVAL, null).ok().get("result");

            // then
            assertThat(allowed.get("metrics_removed").asInt()).isEqualTo(30);
            assertThat(total(mirador)).isEqualTo(10);

            // given: 6 of the 10 left gone too
            deleteMetrics(vm, 30, 36);

            // when: the next sync does not ask again
            Mirador.Response again = mirador.post(FULL_SYNC, null);

            // then: the permission was for that one sync only
            assertThat(again.status()).as(again.body()).isEqualTo(503);
            assertThat(again.json().get("error").asText()).contains("would remove 6 of the 10 metric documents");
            assertThat(total(mirador)).isEqualTo(10);
        });
    }

    /** A removal up to max_removal_share of the catalog (unseen <= share * held) goes through; one more metric is refused. */
    @Test
    void should_remove_without_permission_when_the_removal_is_within_the_max_removal_share() {
        withCatalog(Map.of(), (vm, faulty, mirador) -> {
            // given: 4 of 40 gone (10%)
            deleteMetrics(vm, 0, 4);

            // when / then
            assertThat(mirador.syncNow(true).get("result").get("metrics_removed").asInt()).isEqualTo(4);
            assertThat(total(mirador)).isEqualTo(36);

            // given: 18 of 36 gone (exactly 50%)
            deleteMetrics(vm, 4, 22);

            // when / then
            assertThat(mirador.syncNow(true).get("result").get("metrics_removed").asInt()).isEqualTo(18);
            assertThat(total(mirador)).isEqualTo(18);

            // given: 10 of 18 gone (56%)
            deleteMetrics(vm, 22, 32);

            // when
            Mirador.Response refused = mirador.post(FULL_SYNC, null);

            // then
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.json().get("error").asText()).contains("would remove 10 of the 18 metric documents");
            assertThat(total(mirador)).isEqualTo(18);
        });
    }

    /** Raising max_removal_share to 1.0 through the config API lets a large removal through without allowRemoval. */
    @Test
    void should_remove_most_of_the_catalog_when_max_removal_share_is_raised_to_one() {
        withCatalog(Map.of(), (vm, faulty, mirador) -> {
            // given
            deleteMetrics(vm, 0, 30);
            JsonNode config = mirador.put("/api/v1/metrics/sync/config", "{\"max_removal_share\":1.0}").ok();
            assertThat(config.get("config").get("max_removal_share").asDouble()).isEqualTo(1.0);

            // when
            JsonNode result = mirador.syncNow(true).get("result");

            // then
            assertThat(result.get("metrics_removed").asInt()).isEqualTo(30);
            assertThat(total(mirador)).isEqualTo(10);
        });
    }

    /** allowRemoval takes true or false only: anything else is a 400 naming it, and no sync runs. */
    @Test
    void should_answer_400_naming_allowRemoval_when_it_is_not_a_boolean() {
        withCatalog(Map.of(), (vm, faulty, mirador) -> {
            // given: a removal only allowRemoval=true would let through
            deleteMetrics(vm, 0, 30);
            JsonNode before = mirador.status();

            // when
            Mirador.Response answer = mirador.post(FULL_SYNC + "&allowRemoval=maybe", null);

            // then
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.json().get("errorType").asText()).isEqualTo("bad_data");
            assertThat(answer.json().get("error").asText()).contains("allowRemoval");
            assertThat(mirador.status()).as("no sync ran").isEqualTo(before);
            assertThat(total(mirador)).isEqualTo(N);
        });
    }

    /** allowRemoval=true takes the sync role: a read-only key is refused with 403 and nothing is removed. */
    @Test
    void should_refuse_allowRemoval_when_the_key_is_read_only() throws Exception {
        String reader = "reader-key-0123456789abcdef";
        String syncer = "syncer-key-0123456789abcdef";
        Map<String, String> keys = Map.of(
                "mirador.api-keys", "reader,syncer",
                "mirador.api-key.reader.sha256", ApiKeys.sha256(reader),
                "mirador.api-key.reader.role", "read",
                "mirador.api-key.reader.tenants", "*",
                "mirador.api-key.syncer.sha256", ApiKeys.sha256(syncer),
                "mirador.api-key.syncer.role", "sync",
                "mirador.api-key.syncer.tenants", "*");
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir);
             FaultySource faulty = FaultySource.start(vm.url())) {
            vm.importPrometheus(new Series().names(PREFIX, N));
            Map<String, String> settings = Mirador.settings(faulty.url(), dir.resolve("data"));
            settings.putAll(keys);
            try (Mirador mirador = Mirador.start(settings)) {
                // given
                assertThat(send(mirador, "POST", FULL_SYNC, null, syncer).statusCode()).isEqualTo(200);
                deleteMetrics(vm, 0, 30);

                // when
                HttpResponse<String> refused = send(mirador, "POST", ALLOW_REMOVAL, null, reader);

                // then
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
                assertThat(totalWithKey(mirador, reader)).isEqualTo(N);

                // when: the same call with the sync role
                HttpResponse<String> allowed = send(mirador, "POST", ALLOW_REMOVAL, null, syncer);

                // then
                assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
                assertThat(totalWithKey(mirador, reader)).isEqualTo(10);
            }
        }
    }

    /** What a test does with a synced catalog. */
    interface CatalogTest {
        void run(VictoriaMetrics vm, FaultySource faulty, Mirador mirador) throws Exception;
    }

    /**
     * Starts VictoriaMetrics with {@link #N} metrics, the proxy in front of it and the service on the proxy
     * (with these settings over {@link Mirador#settings}), runs a clean full sync, then the test.
     */
    private void withCatalog(Map<String, String> extra, CatalogTest test) {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir);
             FaultySource faulty = FaultySource.start(vm.url())) {
            vm.importPrometheus(new Series().names(PREFIX, N));
            Map<String, String> settings = Mirador.settings(faulty.url(), dir.resolve("data"));
            settings.putAll(extra);
            try (Mirador mirador = Mirador.start(settings)) {
                assertThat(mirador.syncNow(true).get("result").get("metrics_added").asInt()).isEqualTo(N);
                assertThat(total(mirador)).isEqualTo(N);
                test.run(vm, faulty, mirador);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes the metrics {@code from} (inclusive) to {@code to} (exclusive) of {@link Series#names} at the source. */
    private static void deleteMetrics(VictoriaMetrics vm, int from, int to) {
        List<String> names = IntStream.range(from, to).mapToObj(i -> String.format("%s%05d", PREFIX, i)).toList();
        vm.deleteSeries("{__name__=~\"" + String.join("|", names) + "\"}");
    }

    private static int total(Mirador mirador) {
        return mirador.search("{\"query\":\"\",\"limit\":1}").get("total").asInt();
    }

    private static int totalWithKey(Mirador mirador, String key) throws Exception {
        HttpResponse<String> r = send(mirador, "POST", "/api/v1/metrics/search", "{\"query\":\"\",\"limit\":1}", key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new Mirador.Response(r.statusCode(), r.body()).json().get("total").asInt();
    }

    private static HttpResponse<String> send(Mirador mirador, String method, String path, String json, String key)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(mirador.url() + path))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
