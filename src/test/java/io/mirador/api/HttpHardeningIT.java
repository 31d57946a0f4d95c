package io.mirador.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.app.MiradorApplication;
import io.mirador.security.ApiKeys;
import io.mirador.testing.FreePorts;
import io.mirador.testing.Mirador;
import io.mirador.testing.MiradorProcess;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The HTTP edge of a catalog with API keys: /observe behind keys and Jolokia behind an admin key without ever
 * showing a secret, no response header taken from the request, keys read from headers only, bounded queries,
 * refused malformed HTTP in the API's JSON error shape, a body timeout, 404s in JSON, no answer before ready.
 * Raw sockets send what java.net.http will not (bad request lines, short bodies, huge headers, unnormalised paths).
 */
class HttpHardeningIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static final String ADMIN_KEY = "admin-" + randomHex();
    static final String READ_KEY = "read-" + randomHex();
    static final String SECRET_TOKEN = "SECRET-TOKEN-" + randomHex();

    @TempDir
    static Path dir;
    /** In-process, with the two keys and a body timeout of 2 s; its source is never reached. */
    static Mirador mirador;

    @BeforeAll
    static void start() {
        Map<String, String> s = withKeys(Mirador.settings("http://127.0.0.1:" + FreePorts.next(), dir.resolve("data")));
        s.put("mirador.http.body-timeout", "2s");
        mirador = Mirador.start(s);
    }

    @AfterAll
    static void stop() {
        mirador.close();
    }

    static Map<String, String> withKeys(Map<String, String> s) {
        s.put("mirador.api-keys", "admin,reader");
        s.put("mirador.api-key.admin.sha256", ApiKeys.sha256(ADMIN_KEY));
        s.put("mirador.api-key.admin.role", "admin");
        s.put("mirador.api-key.admin.tenants", "*");
        s.put("mirador.api-key.reader.sha256", ApiKeys.sha256(READ_KEY));
        s.put("mirador.api-key.reader.role", "read");
        s.put("mirador.api-key.reader.tenants", "*");
        return s;
    }

    /**
     * The packaged service as a process on all addresses, with the keys and the tenant's source token given as
     * {@code -D} settings (so they are in the JVM's command line and system properties), after a sync that sent
     * the token to the source.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ObserveWithKeys {

        VictoriaMetrics vm;
        MiradorProcess process;

        @BeforeAll
        void start() {
            vm = VictoriaMetrics.start(dir.resolve("observe"));
            vm.importPrometheus(new Series().names("observed_metric_", 5));
            Map<String, String> settings = withKeys(new LinkedHashMap<>());
            settings.put("mirador.tenant.default.bearer-token", SECRET_TOKEN);
            process = MiradorProcess.start(dir.resolve("observe").resolve("mirador.log"), Map.of(
                    "MIRADOR_HTTP_HOST", "0.0.0.0",
                    "MIRADOR_DATA_DIR", dir.resolve("observe").resolve("data").toString(),
                    "VICTORIAMETRICS_URL", vm.url(),
                    "METRICS_METADATA_SYNC_ENABLED", "false"), settings);
            Mirador.Response sync = call(process.url(), "POST", "/api/v1/metrics/sync/default?forceFull=true", null,
                    "X-API-Key", ADMIN_KEY);
            assertThat(sync.status()).as(sync.body()).isEqualTo(200);
        }

        @AfterAll
        void stop() {
            process.close();
            vm.close();
        }

        /** Jolokia needs a key, and an admin one; even an admin never reads the JVM's command line. */
        @Test
        void should_answer_401_403_and_never_the_command_line_when_jolokia_reads_the_input_arguments() {
            // given
            String path = "/observe/jolokia/read/java.lang:type=Runtime/InputArguments";

            // when
            Mirador.Response none = call(process.url(), "GET", path, null);
            Mirador.Response reader = call(process.url(), "GET", path, null, "X-API-Key", READ_KEY);
            Mirador.Response admin = call(process.url(), "GET", path, null, "X-API-Key", ADMIN_KEY);

            // then
            assertError(none, 401, "unauthorized", "API key");
            assertError(reader, 403, "forbidden", "admin");
            assertThat(admin.status()).isEqualTo(200);
            assertThat(admin.body()).contains("forbidden").doesNotContain(SECRET_TOKEN).doesNotContain("-Dmirador");
        }

        /** No Jolokia request of an admin shows the source token, a key's SHA-256 or a -D setting. */
        @ParameterizedTest
        @ValueSource(strings = {
                "/observe/jolokia/read/*:*?ignoreErrors=true",
                "/observe/jolokia/read/*:type=Runtime/*?ignoreErrors=true",
                "/observe/jolokia/read/java.lang:type=Runtime",
                "/observe/jolokia/read/java.lang:type=Runtime/SystemProperties",
                "/observe/jolokia/read/java.lang:type=Runtime/InputArguments,SystemProperties",
                "/observe/jolokia/list",
                "/observe/jolokia/search/*:*"})
        void should_show_no_secret_when_an_admin_reads_through_jolokia(String path) {
            // when
            Mirador.Response r = call(process.url(), "GET", path, null, "X-API-Key", ADMIN_KEY);

            // then
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("\"request\"")
                    .doesNotContain(SECRET_TOKEN)
                    .doesNotContain(ApiKeys.sha256(ADMIN_KEY))
                    .doesNotContain(ApiKeys.sha256(READ_KEY))
                    .doesNotContain("-Dmirador");
        }

        /** A read of every MBean answers their attributes, but none of the secrets. */
        @Test
        void should_read_every_mbean_but_no_secret_when_an_admin_reads_everything() {
            // when
            Mirador.Response r = call(process.url(), "GET", "/observe/jolokia/read/*:*?ignoreErrors=true", null,
                    "X-API-Key", ADMIN_KEY);
            Mirador.Response bulk = call(process.url(), "POST", "/observe/jolokia",
                    "[{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"InputArguments\"},"
                            + "{\"type\":\"read\",\"mbean\":\"*:*\",\"config\":{\"ignoreErrors\":true}}]",
                    "X-API-Key", ADMIN_KEY);

            // then
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("java.lang:type=Memory").contains("org.apache.camel:")
                    .doesNotContain(SECRET_TOKEN).doesNotContain(ApiKeys.sha256(ADMIN_KEY))
                    .doesNotContain(ApiKeys.sha256(READ_KEY)).doesNotContain("-Dmirador");
            assertThat(bulk.status()).isEqualTo(200);
            assertThat(bulk.body()).contains("java.lang:type=Memory")
                    .doesNotContain(SECRET_TOKEN).doesNotContain(ApiKeys.sha256(ADMIN_KEY)).doesNotContain("-Dmirador");
        }

        /** Prometheus scrapes /observe/metrics with a read key as a bearer token; without one it gets 401. */
        @Test
        void should_serve_metrics_to_a_read_key_as_bearer_and_401_without_a_key() {
            // when
            Mirador.Response none = call(process.url(), "GET", "/observe/metrics", null);
            Mirador.Response scrape = call(process.url(), "GET", "/observe/metrics", null,
                    "Authorization", "Bearer " + READ_KEY);

            // then
            assertError(none, 401, "unauthorized", "API key");
            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.body()).contains("mirador_metrics_metadata_sync_errors_total").doesNotContain(SECRET_TOKEN);
        }

        /** Liveness and readiness probes need no key; the full health with every check does. */
        @Test
        void should_answer_the_probes_without_a_key_and_the_full_health_only_with_one() {
            // when
            Mirador.Response live = call(process.url(), "GET", "/observe/health/live", null);
            Mirador.Response ready = call(process.url(), "GET", "/observe/health/ready", null);
            Mirador.Response all = call(process.url(), "GET", "/observe/health", null);
            Mirador.Response allWithKey = call(process.url(), "GET", "/observe/health", null, "X-API-Key", READ_KEY);

            // then
            assertThat(live.status()).isEqualTo(200);
            assertThat(ready.status()).isEqualTo(200);
            assertError(all, 401, "unauthorized", "API key");
            assertThat(allWithKey.status()).isEqualTo(200);
            assertThat(allWithKey.body()).contains("mirador-sources");
        }

        /** Hawtio sends the key as the password of Basic credentials: an admin key reaches Jolokia, a read key not. */
        @Test
        void should_let_basic_auth_with_the_admin_key_as_password_reach_jolokia() {
            // when
            Mirador.Response admin = call(process.url(), "GET", "/observe/jolokia/version", null,
                    "Authorization", basic("hawtio", ADMIN_KEY));
            Mirador.Response reader = call(process.url(), "GET", "/observe/jolokia/version", null,
                    "Authorization", basic("hawtio", READ_KEY));
            Mirador.Response wrong = call(process.url(), "GET", "/observe/jolokia/version", null,
                    "Authorization", basic("hawtio", "not-a-key"));

            // then
            assertThat(admin.status()).isEqualTo(200);
            assertThat(admin.json().path("value").path("agent").asText()).isNotEmpty();
            assertError(reader, 403, "forbidden", "admin");
            assertError(wrong, 401, "unauthorized", "not known");
        }
    }

    /** No response header is a query parameter or a request header answered back. */
    @Test
    void should_answer_no_header_the_request_named_when_a_query_names_response_headers() {
        // given
        String path = "/api/v1/metrics/suggest?q=a&Set-Cookie=x%3D1&Access-Control-Allow-Origin=https%3A%2F%2Fevil.example"
                + "&Cache-Control=public&Vary=Evil&Retry-After=9999&WWW-Authenticate=Evil";

        // when
        Mirador.Response ok = call(mirador.url(), "GET", path, null, "X-API-Key", READ_KEY,
                "Cache-Control", "public, max-age=999999", "Access-Control-Allow-Origin", "https://evil.example");
        Mirador.Response refused = call(mirador.url(), "GET", path + "&limit=nope", null, "X-API-Key", READ_KEY,
                "Cache-Control", "public, max-age=999999", "Allow", "TRACE");

        // then
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        for (Mirador.Response r : List.of(ok, refused)) {
            assertThat(r.headers()).doesNotContainKeys("set-cookie", "access-control-allow-origin", "x-api-key",
                    "vary", "retry-after", "www-authenticate");
            assertThat(r.headers().getOrDefault("cache-control", "")).doesNotContain("public").doesNotContain("999999");
            assertThat(r.headers().getOrDefault("allow", "")).doesNotContain("TRACE");
            assertThat(String.join("\n", r.headers().values())).doesNotContain(READ_KEY).doesNotContain("evil");
        }
    }

    /**
     * A newline, a NUL, a bracketed or repeated parameter name, invalid UTF-8 in the query: never a 5xx, always JSON,
     * a 400 bad_data (control characters), a 404 not_found (no such tenant or metric) or a 200.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/v1/metrics/suggest?q=a%0Ab        | 200",
            "/api/v1/metrics/suggest?q=a%00         | 400",
            "/api/v1/metrics/suggest?q=%07          | 400",
            "/api/v1/metrics/suggest?q%5B%5D=a      | 200",
            "/api/v1/metrics/suggest?q[]=a          | 200",
            "/api/v1/metrics/suggest?q=a&q=b        | 200",
            "/api/v1/metrics/suggest?q=%C3%28       | 200",
            "/api/v1/metrics/suggest?q=%ED%A0%80    | 200",
            "/api/v1/metrics/suggest?tenant_id=%00  | 404",
            "/api/v1/metrics/default/a%00b          | 404"})
    void should_answer_json_and_never_5xx_when_the_query_holds_odd_characters(String target, int status) throws IOException {
        // when: sent as is, not re-encoded by a client
        Raw r = raw(port(mirador), ("GET " + target + " HTTP/1.1\r\nHost: x\r\nX-API-Key: " + READ_KEY
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.header("content-type")).startsWith("application/json");
        JsonNode body = r.json();
        switch (status) {
            case 200 -> assertThat(body.path("suggestions").isArray()).isTrue();
            case 400 -> assertThat(body.path("errorType").asText()).isEqualTo("bad_data");
            default -> assertThat(body.path("errorType").asText()).isEqualTo("not_found");
        }
        if (status >= 400) {
            assertThat(body.path("status").asText()).isEqualTo("error");
            assertThat(body.path("error").asText()).isNotBlank();
        }
    }

    /**
     * What a client gets wrong is a 4xx in the API's JSON error shape, whatever part of the request it got wrong.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "invalid escape in an API query      | GET /api/v1/metrics/suggest?q=%ZZ HTTP/1.1\\r\\nHost: x\\r\\nX-API-Key: {admin}\\r\\n",
            "invalid escape on /observe/health   | GET /observe/health/live?x=%ZZ HTTP/1.1\\r\\nHost: x\\r\\n",
            "invalid escape on /observe/jolokia  | GET /observe/jolokia/version?x=%ZZ HTTP/1.1\\r\\nHost: x\\r\\nX-API-Key: {admin}\\r\\n",
            "no Host header                      | GET /api/v1/metrics/health HTTP/1.1\\r\\nX-API-Key: {admin}\\r\\n",
            "a Host with a space                 | GET /api/v1/metrics/health HTTP/1.1\\r\\nHost: a b\\r\\nX-API-Key: {admin}\\r\\n",
            "Expect: 200-ok                      | POST /api/v1/metrics/search HTTP/1.1\\r\\nHost: x\\r\\nX-API-Key: {admin}\\r\\nExpect: 200-ok\\r\\nContent-Type: application/json\\r\\nContent-Length: 2\\r\\n\\r\\n{}",
            "an unknown charset                  | POST /api/v1/metrics/search HTTP/1.1\\r\\nHost: x\\r\\nX-API-Key: {admin}\\r\\nContent-Type: application/json; charset=bogus\\r\\nContent-Length: 2\\r\\n\\r\\n{}",
            "two Content-Type headers            | POST /api/v1/metrics/search HTTP/1.1\\r\\nHost: x\\r\\nX-API-Key: {admin}\\r\\nContent-Type: application/json; charset=latin1\\r\\nContent-Type: application/json\\r\\nContent-Length: 2\\r\\n\\r\\n{}",
            "a form body sent with GET           | GET /api/v1/metrics/search HTTP/1.1\\r\\nHost: x\\r\\nX-API-Key: {admin}\\r\\nContent-Type: application/x-www-form-urlencoded\\r\\nContent-Length: 13\\r\\n\\r\\n{\"query\":\"a\"}",
            "a form body over 1 KiB              | POST /api/v1/metrics/search HTTP/1.1\\r\\nHost: x\\r\\nX-API-Key: {admin}\\r\\nContent-Type: application/x-www-form-urlencoded\\r\\nContent-Length: 1200\\r\\n\\r\\n{1200}",
            "a multipart type on an empty GET    | GET /api/v1/metrics/search HTTP/1.1\\r\\nHost: x\\r\\nX-API-Key: {admin}\\r\\nContent-Type: multipart/form-data; boundary=xyz\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n",
            "a multipart sync trigger            | POST /api/v1/metrics/sync HTTP/1.1\\r\\nHost: x\\r\\nX-API-Key: {admin}\\r\\nContent-Type: multipart/form-data; boundary=b\\r\\nContent-Length: 20\\r\\n\\r\\n{\"tenant_id\":\"nope\"}",
            "trailing garbage after a config     | PUT /api/v1/metrics/sync/config HTTP/1.1\\r\\nHost: x\\r\\nX-API-Key: {admin}\\r\\nContent-Type: application/json\\r\\nContent-Length: 19\\r\\n\\r\\n{\"batch_size\":999}}"})
    void should_answer_4xx_json_when_the_client_gets_the_request_wrong(String what, String request) throws IOException {
        // given: header lines as written, then the end of the headers unless the request has a body
        String text = request.replace("\\r\\n", "\r\n").replace("{admin}", ADMIN_KEY).replace("{1200}", "q".repeat(1200));
        if (!text.contains("\r\n\r\n")) {
            text += "Connection: close\r\n\r\n";
        }

        // when
        Raw r = raw(port(mirador), text.getBytes(StandardCharsets.UTF_8));

        // then
        assertThat(r.status()).as("%s: %s %s", what, r.status(), r.text()).isBetween(400, 499);
        assertThat(r.header("content-type")).startsWith("application/json");
        assertThat(r.json().path("status").asText()).isEqualTo("error");
        assertThat(r.json().path("errorType").asText()).isIn("bad_data", "not_found");
    }

    /** A label pattern of thousands of wildcards is refused at once with 400 naming the limit, not evaluated. */
    @ParameterizedTest
    @ValueSource(ints = {3000, 10_000})
    void should_answer_400_within_a_second_when_a_label_pattern_is_thousands_of_stars(int stars) {
        // given
        String body = "{\"query\":\"\",\"labels\":{\"job\":\"" + "*".repeat(stars) + "\"}}";

        // when
        long started = System.nanoTime();
        Mirador.Response r = call(mirador.url(), "POST", "/api/v1/metrics/search", body, "X-API-Key", READ_KEY);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // then
        assertError(r, 400, "bad_data", "at most 256");
        assertThat(took).isLessThan(Duration.ofSeconds(1));
    }

    /** Filters and words beyond the limits, and a label without a value, are 400s naming what is wrong. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "labels-null   | needs a value",
            "labels-1100   | at most 64",
            "types-1100    | at most 64",
            "units-1100    | at most 64",
            "wildcards-17  | at most 16",
            "word-1200-b   | at most 512",
            "word-1200-c   | at most 1000"})
    void should_answer_400_naming_the_limit_when_a_search_exceeds_it(String kind, String message) {
        // given
        String body = switch (kind) {
            case "labels-null" -> "{\"labels\":{\"job\":null}}";
            case "labels-1100" -> "{\"labels\":{" + joined(1100, i -> "\"k" + i + "\":\"v\"") + "}}";
            case "types-1100" -> "{\"types\":[" + joined(1100, i -> "\"t" + i + "\"") + "]}";
            case "units-1100" -> "{\"units\":[" + joined(1100, i -> "\"u" + i + "\"") + "]}";
            case "wildcards-17" -> "{\"labels\":{\"job\":\"" + "a?".repeat(17) + "\"}}";
            // 600 two-byte characters: within the 1000-character query limit, over the 512-byte word limit
            case "word-1200-b" -> "{\"query\":\"" + "é".repeat(600) + "\"}";
            case "word-1200-c" -> "{\"query\":\"" + "w".repeat(1200) + "\"}";
            default -> throw new IllegalArgumentException(kind);
        };

        // when
        Mirador.Response r = call(mirador.url(), "POST", "/api/v1/metrics/search", body, "X-API-Key", READ_KEY);

        // then
        assertError(r, 400, "bad_data", message);
    }

    /** A metric named "null", in a tenant that does not exist or one that has no such metric, is a JSON 404. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/v1/metrics/a/null       | unknown tenant 'a'",
            "/api/v1/metrics/default/null | no metric named 'null'"})
    void should_answer_404_json_when_the_metric_is_named_null(String path, String message) {
        assertError(call(mirador.url(), "GET", path, null, "X-API-Key", READ_KEY), 404, "not_found", message);
    }

    /** A key is read from the request headers only: one in the query string is no key at all. */
    @ParameterizedTest
    @ValueSource(strings = {
            "/api/v1/metrics/suggest?q=a&X-API-Key={admin}",
            "/api/v1/metrics/suggest?q=a&Authorization=Bearer%20{admin}",
            "/api/v1/metrics/suggest?q=a&x-api-key={read}&authorization=Bearer%20{read}",
            "/api/v1/metrics/sync/config?X-API-Key={admin}",
            "/observe/metrics?Authorization=Bearer%20{read}",
            "/observe/jolokia/version?X-API-Key={admin}"})
    void should_answer_401_when_the_key_is_in_the_query_string_only(String template) {
        // given
        String path = template.replace("{admin}", ADMIN_KEY).replace("{read}", READ_KEY);

        // when
        Mirador.Response r = call(mirador.url(), "GET", path, null);

        // then
        assertError(r, 401, "unauthorized", "API key");
    }

    /** A client announcing more body than it sends loses its connection after the body timeout (2 s here). */
    @Test
    void should_close_the_connection_after_the_body_timeout_when_the_body_is_shorter_than_its_content_length()
            throws IOException {
        try (Socket socket = new Socket()) {
            // given
            socket.connect(new InetSocketAddress("127.0.0.1", port(mirador)), 5000);
            socket.setSoTimeout(40_000);
            OutputStream out = socket.getOutputStream();

            // when: 10 of the 100 bytes announced, then nothing
            out.write(("POST /api/v1/metrics/search HTTP/1.1\r\nHost: x\r\nX-API-Key: " + ADMIN_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":\"").getBytes(StandardCharsets.UTF_8));
            out.flush();
            long started = System.nanoTime();
            ByteArrayOutputStream answered = new ByteArrayOutputStream();
            boolean closed = false;
            try {
                InputStream in = socket.getInputStream();
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    answered.write(buf, 0, n);
                }
                closed = true;
            } catch (SocketException reset) {
                closed = true;
            } catch (SocketTimeoutException stillOpen) {
                closed = false;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            // then: closed by the timer, not at once and not by the 1 h idle timeout; no half-read request answered
            assertThat(closed).as("the server closed the connection").isTrue();
            assertThat(took).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(5));
            assertThat(answered.toString(StandardCharsets.UTF_8)).doesNotContain("\"results\"");
        }
        // and the service still answers
        assertThat(call(mirador.url(), "GET", "/api/v1/metrics/suggest?q=a", null, "X-API-Key", READ_KEY).status()).isEqualTo(200);
    }

    /** A body over 1 MiB is a 413 in the JSON error shape, announced by Content-Length or sent in chunks. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void should_answer_413_json_when_the_body_is_2_mb(boolean chunked) throws Exception {
        // given
        byte[] body = ("{\"query\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/v1/metrics/search HTTP/1.1\r\nHost: x\r\nX-API-Key: " + ADMIN_KEY
                + "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: " + body.length + "\r\n\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(head.getBytes(StandardCharsets.US_ASCII));
        if (chunked) {
            for (int i = 0; i < body.length; i += 65536) {
                int n = Math.min(65536, body.length - i);
                request.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                request.write(body, i, n);
                request.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            request.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            request.write(body);
        }

        // when
        Raw r = raw(port(mirador), request.toByteArray());

        // then
        assertRawError(r, 413, "bad_data", "larger than 1048576 bytes");
    }

    /** A request line over 4096 bytes is a 414, headers over 8192 bytes a 431, garbage a 400: all JSON. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "long-line    | 414 | request line is too long",
            "big-header   | 431 | request headers are too large",
            "garbage      | 400 | not valid HTTP",
            "no-version   | 400 | not valid HTTP",
            "bad-version  | 400 | not valid HTTP"})
    void should_answer_in_the_json_error_shape_when_the_request_is_not_readable(String kind, int status, String message)
            throws IOException {
        // given
        String request = switch (kind) {
            case "long-line" -> "GET /api/v1/metrics/suggest?q=" + "a".repeat(6000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case "big-header" -> "GET /api/v1/metrics/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n";
            case "garbage" -> "GARBAGE\r\n\r\n";
            case "no-version" -> "GET /api/v1/metrics/health\u0001 ZZZ\r\n\r\n";
            case "bad-version" -> "GET /api/v1/metrics/health HTTP/9.z\r\nHost: x\r\n\r\n";
            default -> throw new IllegalArgumentException(kind);
        };

        // when
        Raw r = raw(port(mirador), request.getBytes(StandardCharsets.ISO_8859_1));

        // then
        assertRawError(r, status, "bad_data", message);
    }

    /** A path no endpoint serves, even one the client did not normalise or in the wrong case, is a JSON 404. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/../v1/metrics/health | GET /v1/metrics/health",
            "/API/v1/metrics/health    | GET /API/v1/metrics/health",
            "/nothing/here             | GET /nothing/here",
            "/api/v1/metrics/health;x  | no endpoint answers"})
    void should_answer_404_in_the_json_error_shape_when_no_endpoint_serves_the_path(String target, String message)
            throws IOException {
        // when
        Raw r = raw(port(mirador), ("GET " + target + " HTTP/1.1\r\nHost: x\r\nX-API-Key: " + ADMIN_KEY
                + "\r\nAccept: text/html\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));

        // then
        assertRawError(r, 404, "not_found", message);
    }

    /** A host the JDK reads but the HTTP server would never listen on stops the start, naming MIRADOR_HTTP_HOST. */
    @Test
    void should_refuse_to_start_when_the_host_is_127_1() throws IOException {
        // given
        Path log = dir.resolve("short-host").resolve("mirador.log");

        // when / then
        assertThatThrownBy(() -> MiradorProcess.start(log, Map.of(
                        "MIRADOR_HTTP_HOST", "127.1",
                        "MIRADOR_DATA_DIR", dir.resolve("short-host").resolve("data").toString(),
                        "METRICS_METADATA_SYNC_ENABLED", "false"),
                withKeys(new LinkedHashMap<>())).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited");
        assertThat(Files.readString(log)).contains("MIRADOR_HTTP_HOST").contains("'127.1'");
    }

    /**
     * While the service starts, its port refuses connections or answers 503 in the JSON error shape; once started it
     * answers for real; never an HTML page, never a 404 from an endpoint not yet there.
     */
    @Test
    void should_answer_nothing_but_503_json_before_ready_when_polled_during_start() throws Exception {
        // given
        int port = FreePorts.next();
        Main main = MiradorApplication.newMain();
        main.addOverrideProperty("camel.server.port", Integer.toString(port));
        main.addOverrideProperty("camel.management.port", Integer.toString(port));
        Mirador.settings("http://127.0.0.1:" + FreePorts.next(), dir.resolve("starting")).forEach(main::addOverrideProperty);
        AtomicBoolean started = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread starter = new Thread(() -> {
            try {
                main.start();
                started.set(true);
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "mirador-start");
        String[] requests = {
                "GET /api/v1/metrics/sync/default/state HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "POST /api/v1/metrics/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                "GET /api/v1/metrics/suggest?q=a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "GET /observe/health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"};
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        int realAfterStart = 0;

        // when: polled as fast as one client can, from before the start until 40 real answers after it
        starter.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        try {
            for (int i = 0; realAfterStart < 40 && System.nanoTime() < deadline && failed.get() == null; i++) {
                boolean startedBefore = started.get();
                String request = requests[i % requests.length];
                String outcome;
                try {
                    Raw r = raw(port, request.getBytes(StandardCharsets.US_ASCII));
                    boolean json = r.isJson();
                    if (r.status() == 503 && json) {
                        outcome = "503 " + r.json().path("errorType").asText(r.json().path("status").asText());
                    } else if (r.status() == 200 && json) {
                        outcome = "200";
                        if (startedBefore) {
                            realAfterStart++;
                        }
                    } else {
                        outcome = r.status() + " other";
                        wrong.add(request.lines().findFirst().orElse("") + " -> " + r.status() + " " + r.text());
                    }
                } catch (ConnectException refused) {
                    outcome = "refused";
                } catch (SocketException | EmptyAnswer dropped) {
                    outcome = "closed without an answer";
                }
                outcomes.merge(outcome, 1, Integer::sum);
            }
        } finally {
            starter.join(60_000);
            main.stop();
        }
        System.out.println("answers while starting: " + outcomes);

        // then
        assertThat(failed.get()).isNull();
        assertThat(wrong).isEmpty();
        assertThat(realAfterStart).isEqualTo(40);
        assertThat(outcomes.getOrDefault("refused", 0) + outcomes.getOrDefault("503 unavailable", 0))
                .as("answers before the start").isPositive();
        assertThat(outcomes.keySet()).allMatch(k -> k.equals("refused") || k.equals("200") || k.startsWith("503 ")
                || k.equals("closed without an answer"));
    }

    // --- helpers -------------------------------------------------------------------------------------------

    static String randomHex() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String joined(int n, java.util.function.IntFunction<String> item) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(item.apply(i));
        }
        return sb.toString();
    }

    static int port(Mirador m) {
        return URI.create(m.url()).getPort();
    }

    /** Sends with java.net.http; headers given as name, value pairs; response header names lower-cased. */
    static Mirador.Response call(String base, String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> h = new LinkedHashMap<>();
            r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            return new Mirador.Response(r.statusCode(), r.body(), h);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void assertError(Mirador.Response r, int status, String errorType, String message) {
        assertThat(r.status()).as("status of %s", r.body()).isEqualTo(status);
        JsonNode body = r.json();
        assertThat(body.path("status").asText()).isEqualTo("error");
        assertThat(body.path("errorType").asText()).isEqualTo(errorType);
        assertThat(body.path("error").asText()).contains(message);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    static void assertRawError(Raw r, int status, String errorType, String message) {
        assertThat(r.status()).as("status of %s", r.text()).isEqualTo(status);
        assertThat(r.header("content-type")).startsWith("application/json");
        JsonNode body = r.json();
        assertThat(body.path("status").asText()).isEqualTo("error");
        assertThat(body.path("errorType").asText()).isEqualTo(errorType);
        assertThat(body.path("error").asText()).contains(message);
        assertThat(r.text()).doesNotContain("<html").doesNotContain("Exception");
    }

    /** A connection the server closed before answering a byte. */
    static final class EmptyAnswer extends IOException {
        EmptyAnswer() {
            super("the server closed the connection without answering");
        }
    }

    /** An HTTP answer read off a raw socket: status, headers (names lower-cased), body. */
    record Raw(int status, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.getOrDefault(name, "");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean isJson() {
            try {
                JSON.readTree(body);
                return body.length > 0;
            } catch (IOException e) {
                return false;
            }
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + text(), e);
            }
        }
    }

    /**
     * Writes the request bytes as they are (a writer thread, so a server answering before the whole request is read
     * is heard), then reads one answer, skipping 100 Continue.
     */
    static Raw raw(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                } catch (IOException ignored) {
                    // the server may answer and close before it has read everything
                }
            }, "raw-writer");
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            while (true) {
                Raw r = readOne(in);
                if (r.status() != 100) {
                    return r;
                }
            }
        }
    }

    private static Raw readOne(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    throw new EmptyAnswer();
                }
                throw new IOException("the answer ended inside its headers: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + "," + b);
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (status == 100 || status == 204 || status == 304) {
            return new Raw(status, headers, new byte[0]);
        }
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
            while (true) {
                String size = readLine(in);
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers
                    }
                    break;
                }
                body.write(in.readNBytes(n));
                readLine(in);
            }
        } else {
            body.write(in.readAllBytes());
        }
        return new Raw(status, headers, body.toByteArray());
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }
}
