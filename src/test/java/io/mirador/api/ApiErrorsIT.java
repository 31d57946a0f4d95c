package io.mirador.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.testing.FreePorts;
import io.mirador.testing.Mirador;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets a 4xx in the Prometheus error shape naming what is wrong, never a 500; nothing changes. */
class ApiErrorsIT {

    @TempDir
    static Path dir;
    static Mirador mirador;

    @BeforeAll
    static void start() {
        // no source needed: nothing here reaches it
        mirador = Mirador.start(Mirador.settings("http://127.0.0.1:" + FreePorts.next(), dir.resolve("data")));
    }

    @AfterAll
    static void stop() {
        mirador.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POST | /api/v1/metrics/sync/nope                 | ",
            "GET  | /api/v1/metrics/sync/nope/state           | ",
            "GET  | /api/v1/metrics/sync/nope/status          | ",
            "POST | /api/v1/metrics/sync                      | {\"tenant_id\":\"nope\"}",
            "POST | /api/v1/metrics/search                    | {\"query\":\"x\",\"tenant_id\":\"nope\"}",
            "POST | /api/v1/metrics/search                    | {\"tenant_id\":\"../../etc\"}"})
    void should_answer_404_and_create_nothing_when_the_tenant_is_unknown(String method, String path, String body) throws Exception {
        // when
        Mirador.Response r = method.equals("GET") ? mirador.get(path) : mirador.post(path, body);

        // then
        assertError(r, 404, "not_found", "unknown tenant");
        try (var entries = Files.list(dir.resolve("data").resolve("indexes"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("default");
        }
    }

    @Test
    void should_answer_404_and_create_nothing_for_empty_and_overlong_tenant_ids() throws Exception {
        String longId = "t".repeat(500);
        assertError(mirador.get("/api/v1/metrics/sync/" + longId + "/state"), 404, "not_found", "unknown tenant");
        assertError(mirador.post("/api/v1/metrics/search", "{\"tenant_id\":\"" + longId + "\"}"), 404, "not_found", "unknown tenant");
        assertError(mirador.post("/api/v1/metrics/sync/..%2Fx", null), 404, "not_found", "unknown tenant");
        assertError(mirador.get("/api/v1/metrics/sync//state"), 404, "not_found", "");
        try (var entries = Files.list(dir.resolve("data").resolve("indexes"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("default");
        }
    }

    @Test
    void should_answer_404_when_a_path_climbs_out_of_the_api() throws Exception {
        // the server normalises /sync/%2e%2e/state to /api/v1/metrics/state, which is no endpoint
        assertError(mirador.get("/api/v1/metrics/sync/%2e%2e/state"), 404, "not_found", "no endpoint answers GET /api/v1/metrics/state");
        assertError(mirador.get("/api/v1/nothing/here"), 404, "not_found", "no endpoint answers GET /api/v1/nothing/here");
        try (var entries = Files.list(dir.resolve("data").resolve("indexes"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("default");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"query\":                                     | not valid JSON",
            "[1,2]                                          | request body",
            "{\"query\":\"x\",\"colour\":\"red\"}               | unknown field 'colour'",
            "{\"limit\":0}                                   | limit must be between 1 and 1000",
            "{\"limit\":5000}                                | limit must be between 1 and 1000",
            "{\"limit\":\"ten\"}                               | field 'limit'",
            "{\"offset\":-1}                                 | offset must be between 0",
            "{\"query\":[\"a\"]}                               | field 'query'"})
    void should_answer_400_naming_the_problem_when_a_search_is_malformed(String body, String message) {
        assertError(mirador.post("/api/v1/metrics/search", body), 400, "bad_data", message);
    }

    @Test
    void should_answer_400_when_the_query_is_10000_characters_long() {
        String q = "a".repeat(10_000);
        assertError(mirador.post("/api/v1/metrics/search", "{\"query\":\"" + q + "\"}"), 400, "bad_data", "characters long");
    }

    @Test
    void should_answer_415_when_the_body_is_sent_as_a_form() throws Exception {
        // given: what `curl -d '{...}'` sends without a Content-Type
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(mirador.url() + "/api/v1/metrics/search"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"cpu\"}")).build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertError(new Mirador.Response(r.statusCode(), r.body()), 415, "bad_data", "Content-Type: application/json");
    }

    @Test
    void should_answer_400_when_force_full_is_not_a_boolean() {
        assertError(mirador.post("/api/v1/metrics/sync/default?forceFull=maybe", null), 400, "bad_data", "forceFull");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"batch_size\":0}                  | batch_size must be between 1 and 100000",
            "{\"batch_size\":100001}             | batch_size",
            "{\"batch_size\":\"big\"}              | batch_size must be a whole number",
            "{\"interval\":\"soon\"}               | interval",
            "{\"interval\":\"0s\"}                 | interval must be between 1s and 720h0m0s, was 0s",
            "{\"interval\":-5}                   | interval must be between 1s and 720h0m0s",
            "{\"interval\":\"P365000D\"}           | interval must be between",
            "{\"full_sync_interval\":\"P365000D\"} | full_sync_interval must be between",
            "{\"retry_delay\":\"P365000D\"}        | retry_delay must be between",
            "{\"time_range_lookback\":\"P365000D\"} | time_range_lookback must be between",
            "{\"full_sync_window\":\"P365000D\"}   | full_sync_window must be between 1s and 87600h0m0s, was 8760000h0m0s",
            "{\"max_removal_share\":2}            | max_removal_share must be between 0 and 1",
            "{\"strategy\":\"sometimes\"}          | strategy",
            "{\"max_retries\":-1}                | max_retries",
            "{\"enabled\":\"yes\"}                 | enabled must be true or false",
            "{\"colour\":\"red\"}                  | unknown field 'colour'",
            "not json                          | not valid JSON"})
    void should_refuse_a_bad_config_and_change_nothing(String body, String message) {
        // given
        JsonNode before = mirador.get("/api/v1/metrics/sync/config").ok();

        // when
        Mirador.Response r = mirador.put("/api/v1/metrics/sync/config", body);

        // then
        assertError(r, 400, "bad_data", message);
        assertThat(mirador.get("/api/v1/metrics/sync/config").ok()).isEqualTo(before);
    }

    static void assertError(Mirador.Response r, int status, String errorType, String message) {
        assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
        JsonNode body = r.json();
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("errorType").asText()).isEqualTo(errorType);
        assertThat(body.get("error").asText()).contains(message);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
