package io.mirador.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.testing.FaultySource.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fault-injecting proxy itself, over real HTTP in front of a real VictoriaMetrics: calls no rule picks
 * get the source's very answer, and each fault happens as {@link FaultySource} describes it.
 */
class FaultySourceIT {

    static final String NAMES = "/api/v1/label/__name__/values";
    static final String BIG_SERIES = "/api/v1/series?match%5B%5D=big_metric";
    static final int BIG = 20_000;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path dir;
    static VictoriaMetrics vm;

    @BeforeAll
    static void startSource() {
        vm = VictoriaMetrics.start(dir);
        Series series = new Series().add("up", "job=\"a\"").add("up", "job=\"b\"")
                .add("foo_total", "job=\"a\"").add("bar_seconds", "job=\"b\"");
        for (int i = 0; i < BIG; i++) {
            series.add("big_metric", "job=\"big\",instance=\"instance-" + i + "\"");
        }
        vm.importPrometheus(series);
    }

    @AfterAll
    static void stopSource() {
        vm.close();
    }

    @Test
    void should_answer_as_the_source_does_when_no_rule_matches() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given: a rule for another endpoint only
            src.always("/api/v1/metadata", Fault.httpStatus(500));
            List<String> paths = List.of(NAMES, "/api/v1/labels", "/api/v1/label/job/values",
                    "/api/v1/series?match%5B%5D=" + encode("{job=\"a\"}"), BIG_SERIES, "/api/v1/label/nope/values");

            for (String path : paths) {
                // when
                HttpResponse<String> direct = get(vm.url() + path);
                HttpResponse<String> proxied = get(src.url() + path);

                // then
                assertThat(proxied.statusCode()).as(path).isEqualTo(direct.statusCode()).isEqualTo(200);
                assertThat(proxied.body()).as(path).isEqualTo(direct.body());
                assertThat(proxied.headers().firstValue("content-type")).as(path)
                        .isEqualTo(direct.headers().firstValue("content-type"));
            }
            assertThat(get(src.url() + BIG_SERIES).body()).hasSizeGreaterThan(BIG * 40);
            assertThat(src.calls("/api/v1/")).isEqualTo(paths.size() + 1);
            assertThat(src.faulted("/")).isZero();
        }
    }

    @Test
    void should_pass_the_compressed_answer_through_when_the_client_accepts_gzip() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given
            HttpRequest request = HttpRequest.newBuilder(URI.create(src.url() + BIG_SERIES))
                    .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(10)).build();

            // when
            HttpResponse<byte[]> proxied = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());

            // then
            assertThat(proxied.headers().firstValue("content-encoding")).contains("gzip");
            String body = new String(new GZIPInputStream(new java.io.ByteArrayInputStream(proxied.body())).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(body).isEqualTo(get(vm.url() + BIG_SERIES).body());
        }
    }

    @Test
    void should_answer_every_call_when_many_come_at_once() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given
            String names = get(vm.url() + NAMES).body();
            String big = get(vm.url() + BIG_SERIES).body();

            // when: 40 calls at once, on the client's pooled, kept-alive connections
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String path = i % 2 == 0 ? NAMES : BIG_SERIES;
                answers.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(src.url() + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
            }

            // then
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> r = answers.get(i).get(15, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(i % 2 == 0 ? names : big);
            }
            assertThat(src.calls(NAMES)).isEqualTo(20);
            assertThat(src.calls("/api/v1/series")).isEqualTo(20);
        }
    }

    @Test
    void should_answer_calls_in_turn_on_one_connection_when_the_client_keeps_it_alive() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url()); Socket socket = connect(src)) {
            // given: raw brackets in the query, as curl -g sends them; a chunked answer, a sized one and a fault
            src.always("/api/v1/metadata", Fault.empty());
            InputStream in = socket.getInputStream();

            // when
            send(socket, "GET /api/v1/series?match[]=big_metric HTTP/1.1\r\nHost: x\r\n\r\n");
            RawAnswer first = RawAnswer.read(in);
            send(socket, "GET " + NAMES + " HTTP/1.1\r\nHost: x\r\n\r\n");
            RawAnswer second = RawAnswer.read(in);
            send(socket, "GET /api/v1/metadata HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawAnswer third = RawAnswer.read(in);

            // then
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.headers()).containsEntry("transfer-encoding", "chunked");
            assertThat(first.text()).isEqualTo(get(vm.url() + BIG_SERIES).body());
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.text()).isEqualTo(get(vm.url() + NAMES).body());
            assertThat(third.text()).isEqualTo("{\"status\":\"success\",\"data\":{}}");
            assertThat(third.headers()).containsEntry("connection", "close");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void should_forward_the_form_body_when_series_are_posted() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given
            String form = "match%5B%5D=" + encode("{job=\"a\"}");

            // when
            HttpResponse<String> direct = postForm(vm.url() + "/api/v1/series", form);
            HttpResponse<String> proxied = postForm(src.url() + "/api/v1/series", form);

            // then
            assertThat(proxied.statusCode()).isEqualTo(200);
            assertThat(proxied.body()).isEqualTo(direct.body());
            JsonNode data = JSON.readTree(proxied.body()).get("data");
            assertThat(data).hasSize(2);
            assertThat(data.findValuesAsText("__name__")).containsExactlyInAnyOrder("up", "foo_total");
            assertThat(src.calls("/api/v1/series")).isEqualTo(1);
        }
    }

    @Test
    void should_answer_empty_data_when_the_fault_is_empty() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given
            src.always("/api/v1/series", Fault.empty()).always("/api/v1/metadata", Fault.empty());

            // when
            HttpResponse<String> series = get(src.url() + BIG_SERIES);
            HttpResponse<String> metadata = get(src.url() + "/api/v1/metadata");

            // then
            assertThat(series.statusCode()).isEqualTo(200);
            assertThat(series.body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
            assertThat(series.headers().firstValue("content-type")).contains("application/json");
            assertThat(metadata.body()).isEqualTo("{\"status\":\"success\",\"data\":{}}");
            assertThat(src.faulted("/api/v1/series")).isEqualTo(1);
            assertThat(src.faulted("/api/v1/")).isEqualTo(2);
        }
    }

    @Test
    void should_mark_the_answer_partial_and_keep_half_its_data_when_the_fault_is_partial() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given
            src.always("/api/v1/", Fault.partial());
            JsonNode names = JSON.readTree(get(vm.url() + NAMES).body()).get("data");
            JsonNode series = JSON.readTree(get(vm.url() + BIG_SERIES).body()).get("data");

            // when
            JsonNode partialNames = JSON.readTree(get(src.url() + NAMES).body());
            HttpResponse<String> partialSeries = HTTP.send(HttpRequest.newBuilder(URI.create(src.url() + BIG_SERIES))
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofString());

            // then
            assertThat(names).hasSize(4);
            assertThat(partialNames.get("status").asText()).isEqualTo("success");
            assertThat(partialNames.get("isPartial").asBoolean()).isTrue();
            assertThat(partialNames.get("data")).containsExactly(names.get(0), names.get(1));
            assertThat(partialSeries.headers().firstValue("content-encoding")).isEmpty();
            JsonNode halfSeries = JSON.readTree(partialSeries.body());
            assertThat(halfSeries.get("isPartial").asBoolean()).isTrue();
            assertThat(halfSeries.get("data")).hasSize(BIG / 2);
            assertThat(halfSeries.get("data").get(0)).isEqualTo(series.get(0));
        }
    }

    @Test
    void should_answer_a_prometheus_error_when_the_fault_is_error_status() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given
            src.always(NAMES, Fault.errorStatus());

            // when
            HttpResponse<String> r = get(src.url() + NAMES);

            // then
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("status").asText()).isEqualTo("error");
            assertThat(body.get("errorType").asText()).isEqualTo("timeout");
            assertThat(body.get("error").asText()).isEqualTo("injected");
        }
    }

    @Test
    void should_answer_json_typed_html_when_the_fault_is_garbled() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given
            src.always("/api/v1/labels", Fault.garbled());

            // when
            HttpResponse<String> r = get(src.url() + "/api/v1/labels");

            // then
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).contains("application/json");
            assertThat(r.body()).isEqualTo("<html>oops</html>");
            assertThatThrownBy(() -> JSON.readTree(r.body())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void should_close_the_connection_within_the_body_when_the_fault_is_truncated() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given
            src.always("/api/v1/series", Fault.truncated());
            int whole = get(vm.url() + BIG_SERIES).body().getBytes(StandardCharsets.UTF_8).length;

            // when
            RawAnswer raw;
            try (Socket socket = connect(src)) {
                send(socket, "GET " + BIG_SERIES + " HTTP/1.1\r\nHost: x\r\n\r\n");
                raw = RawAnswer.read(socket.getInputStream());
            }

            // then: the length of the whole answer is announced, half of it comes, then the end of the stream
            assertThat(raw.status()).isEqualTo(200);
            assertThat(raw.headers()).containsEntry("content-length", Integer.toString(whole));
            assertThat(raw.body()).hasSize(whole / 2);
            assertThatThrownBy(() -> get(src.url() + BIG_SERIES)).isInstanceOf(IOException.class);
            assertThat(src.faulted("/api/v1/series")).isEqualTo(2);
        }
    }

    @Test
    void should_reset_the_connection_when_the_fault_is_reset() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given
            src.always("/api/v1/series", Fault.reset());
            HttpClient fresh = HttpClient.newHttpClient();

            // when
            SocketException raw;
            try (Socket socket = connect(src)) {
                send(socket, "GET " + BIG_SERIES + " HTTP/1.1\r\nHost: x\r\n\r\n");
                raw = catchSocketException(() -> socket.getInputStream().read());
            }

            // then: a TCP reset, not an orderly close; java.net.http fails with an IOException
            assertThat(raw).hasMessageContaining("reset");
            assertThatThrownBy(() -> fresh.send(HttpRequest.newBuilder(URI.create(src.url() + BIG_SERIES))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(HttpTimeoutException.class);
            assertThat(src.faulted("/api/v1/series")).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void should_answer_that_status_when_the_fault_is_http_status() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            for (int status : new int[] {500, 502, 503, 429, 422}) {
                // given
                src.clear();
                src.always(NAMES, Fault.httpStatus(status));

                // when
                HttpResponse<String> r = get(src.url() + NAMES);

                // then
                assertThat(r.statusCode()).isEqualTo(status);
                assertThat(r.body()).contains("injected " + status);
            }
            assertThat(src.faulted(NAMES)).isEqualTo(5);
        }
    }

    @Test
    void should_answer_late_but_unchanged_when_the_fault_is_slow() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given
            src.always(NAMES, Fault.slow(Duration.ofMillis(600)));

            // when
            long start = System.nanoTime();
            HttpResponse<String> r = get(src.url() + NAMES);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // then
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(600));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(get(vm.url() + NAMES).body());
        }
    }

    @Test
    void should_time_out_the_client_when_the_fault_is_stall() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given
            src.always("/api/v1/series", Fault.stall());

            // when
            long start = System.nanoTime();
            Throwable timeout = catchThrowable(() -> HTTP.send(HttpRequest.newBuilder(URI.create(src.url() + BIG_SERIES))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // then
            assertThat(timeout).isInstanceOf(HttpTimeoutException.class);
            assertThat(took).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
        }
    }

    @Test
    void should_close_stalled_calls_when_the_rules_are_cleared() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url()); Socket socket = connect(src)) {
            // given: a call stalled on a raw connection (java.net.http would quietly retry a closed GET)
            src.always("/api/v1/series", Fault.stall());
            send(socket, "GET " + BIG_SERIES + " HTTP/1.1\r\nHost: x\r\n\r\n");
            Waits.until(Duration.ofSeconds(5), "the call to reach the proxy", () -> src.faulted("/api/v1/series") == 1);

            // when
            src.clear();

            // then: the stalled connection is closed without an answer, and the next call passes through
            socket.setSoTimeout(3_000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(get(src.url() + BIG_SERIES).body()).isEqualTo(get(vm.url() + BIG_SERIES).body());
            assertThat(src.faulted("/api/v1/series")).isEqualTo(1);
            assertThat(src.calls("/api/v1/series")).isEqualTo(2);
        }
    }

    @Test
    void should_fault_only_the_first_calls_when_the_rule_is_first_calls() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given
            src.firstCalls(NAMES, 2, Fault.httpStatus(503));

            // when
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                statuses.add(get(src.url() + NAMES).statusCode());
            }

            // then
            assertThat(statuses).containsExactly(503, 503, 200, 200);
            assertThat(src.calls(NAMES)).isEqualTo(4);
            assertThat(src.faulted(NAMES)).isEqualTo(2);
        }
    }

    @Test
    void should_fault_the_same_seeded_share_on_every_run_when_the_rule_is_a_fraction() throws Exception {
        // given: the draws the rule makes, replayed
        double share = 0.3;
        Random replay = new Random(42L);
        List<Boolean> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add(replay.nextDouble() < share);
        }

        for (int run = 0; run < 2; run++) {
            try (FaultySource src = FaultySource.start(vm.url())) {
                src.fraction("/api/v1/labels", share, 42L, Fault.empty());

                // when
                List<Boolean> emptied = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    emptied.add(get(src.url() + "/api/v1/labels").body().equals("{\"status\":\"success\",\"data\":[]}"));
                }

                // then
                assertThat(emptied).isEqualTo(expected);
                assertThat(src.calls("/api/v1/labels")).isEqualTo(40);
                assertThat(src.faulted("/api/v1/labels")).isEqualTo((int) expected.stream().filter(b -> b).count())
                        .isBetween(4, 20);
            }
        }
    }

    @Test
    void should_apply_the_first_rule_that_fires_when_rules_overlap() throws Exception {
        try (FaultySource src = FaultySource.start(vm.url())) {
            // given: a narrow rule before a wide one, and a first-calls rule before an always rule
            src.always(NAMES, Fault.httpStatus(500))
                    .always("/api/v1/label/", Fault.empty())
                    .firstCalls("/api/v1/labels", 1, Fault.httpStatus(503))
                    .always("/api/v1/labels", Fault.errorStatus());

            // when
            int names = get(src.url() + NAMES).statusCode();
            String jobs = get(src.url() + "/api/v1/label/job/values").body();
            int firstLabels = get(src.url() + "/api/v1/labels").statusCode();
            String laterLabels = get(src.url() + "/api/v1/labels").body();
            src.clear();
            HttpResponse<String> afterClear = get(src.url() + NAMES);

            // then
            assertThat(names).isEqualTo(500);
            assertThat(jobs).isEqualTo("{\"status\":\"success\",\"data\":[]}");
            assertThat(firstLabels).isEqualTo(503);
            assertThat(laterLabels).contains("\"errorType\":\"timeout\"");
            assertThat(afterClear.body()).isEqualTo(get(vm.url() + NAMES).body());
            assertThat(src.faulted("/api/v1/")).isEqualTo(4);
            assertThat(src.calls("/api/v1/")).isEqualTo(5);
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postForm(String url, String form) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Socket connect(FaultySource src) throws IOException {
        URI uri = URI.create(src.url());
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static SocketException catchSocketException(IoAction action) {
        try {
            action.run();
        } catch (SocketException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a socket error", e);
        }
        throw new AssertionError("expected a socket error, got none");
    }

    private static Throwable catchThrowable(IoAction action) {
        try {
            action.run();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws Exception;
    }

    /** One answer read off a raw connection: status, lower-cased headers, and the body bytes that came. */
    private record RawAnswer(int status, Map<String, String> headers, byte[] body) {

        static RawAnswer read(InputStream in) throws IOException {
            int status = Integer.parseInt(line(in).split(" ")[1]);
            Map<String, String> headers = new HashMap<>();
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            if ("chunked".equals(headers.get("transfer-encoding"))) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (int n; (n = Integer.parseInt(line(in), 16)) > 0; line(in)) {
                    body.write(in.readNBytes(n));
                }
                line(in);
                return new RawAnswer(status, headers, body.toByteArray());
            }
            // at most the announced length: fewer bytes when the connection ends first
            return new RawAnswer(status, headers, in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder s = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("the connection ended within a line");
                }
                if (c != '\r') {
                    s.append((char) c);
                }
            }
            return s.toString();
        }
    }
}
