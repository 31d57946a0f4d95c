package io.mirador.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of generated requests, over every endpoint, against a service with a small synced catalog and no keys:
 * random methods, content types, mutated JSON bodies (wrong types, nulls, huge and negative numbers, deep nesting,
 * long strings, unicode with surrogates and RTL, control characters, invalid UTF-8, truncation), query syntax abuse,
 * path and header tricks. Every answer is below 500, JSON, in the error shape when it is an error, and echoes
 * nothing the request sent in its headers; afterwards the catalog, its sync state and the sync config are as they were.
 * The requests come from one {@link Random} whose start value is printed; {@code -Dfuzz.random=} repeats a run.
 * Sync triggers and config changes are only ever sent in forms that must be refused, so nothing is synced or changed.
 */
class ApiFuzzIT {

    static final int REQUESTS = 10_000;
    /**
     * Also send what the HTTP server itself would refuse in plain text, which the front door answers first: unknown
     * charsets and two Content-Types, form or multipart bodies with any method, form fields over 1 KiB, a missing
     * or malformed Host, Expect other than 100-continue, percent signs not followed by two hex digits. On by
     * default; {@code -Dfuzz.lenient=true} leaves them out.
     */
    static final boolean KNOWN_BUGS = !Boolean.getBoolean("fuzz.lenient");
    static final int THREADS = 4;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> ERROR_TYPES = Set.of("bad_data", "unauthorized", "forbidden", "not_found", "conflict", "unavailable");
    /** Response headers the service may set; anything else (Set-Cookie, Access-Control-*, X-API-Key...) is a leak. */
    static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "content-length", "connection", "transfer-encoding",
            "www-authenticate", "allow", "retry-after", "vary", "cache-control", "content-encoding");
    /** Headers of the web explorer's own files (the page at / and under /ui/), which the fuzzer may reach. */
    static final Set<String> PAGE_HEADERS = Set.of("content-security-policy", "etag", "referrer-policy",
            "x-content-type-options", "x-frame-options");
    /** Values the service writes on its own, which a request may happen to send too. */
    static final Set<String> SERVER_VALUES = Set.of("application/json", "close", "keep-alive", "chunked", "bearer");
    static final String KNOWN = "fuzz_http_requests_total";
    static final java.util.regex.Pattern MARKER = java.util.regex.Pattern.compile("fz[0-9a-z]+x[0-9]+");

    @TempDir
    static Path dir;
    static VictoriaMetrics vm;
    static Mirador mirador;
    static int port;
    static List<String> names = new ArrayList<>();

    @BeforeAll
    static void start() {
        vm = VictoriaMetrics.start(dir);
        Series s = new Series()
                .add(KNOWN, "job=\"api\",instance=\"a:1\",method=\"GET\",code=\"200\"")
                .add(KNOWN, "job=\"api\",instance=\"a:2\",method=\"POST\",code=\"500\"")
                .add("fuzz_http_request_duration_seconds_bucket", "job=\"api\",le=\"0.1\"")
                .add("fuzz_http_request_duration_seconds_bucket", "job=\"api\",le=\"+Inf\"")
                .add("fuzz_http_request_duration_seconds_sum", "job=\"api\"")
                .add("fuzz_http_request_duration_seconds_count", "job=\"api\"")
                .add("node_cpu_seconds_total", "job=\"node\",cpu=\"0\",mode=\"idle\"")
                .add("node_memory_MemAvailable_bytes", "job=\"node\"")
                .add("node_filesystem_free_bytes", "job=\"node\",mountpoint=\"/\"")
                .add("process_resident_memory_bytes", "job=\"api\"")
                .add("go_goroutines", "job=\"api\"")
                .add("job:fuzz_requests:rate5m", "job=\"api\"")
                .names("fuzz_generated_metric_", 40);
        vm.importPrometheus(s);
        for (String line : s.text().split("\n")) {
            String name = line.split("[{ ]")[0];
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        mirador = Mirador.start(Mirador.settings(vm.url(), dir.resolve("data")));
        port = URI.create(mirador.url()).getPort();
        mirador.syncNow(true);
    }

    @AfterAll
    static void stop() {
        mirador.close();
        vm.close();
    }

    /**
     * No generated request gets a 5xx, a body that is not JSON, an error outside the error shape, or a response header
     * carrying something it sent; none of them changes the catalog, the sync state or the sync config.
     */
    @Test
    void should_answer_every_generated_request_in_json_below_500_and_change_nothing_when_requests_are_malformed()
            throws Exception {
        // given
        long start = Long.getLong("fuzz.random", System.currentTimeMillis());
        System.out.println("fuzz: random start value " + start + " (repeat with -Dfuzz.random=" + start + ")");
        JsonNode totalBefore = mirador.search("{\"query\":\"\",\"limit\":1}").get("total");
        JsonNode documentBefore = mirador.get("/api/v1/metrics/default/" + KNOWN).ok();
        JsonNode configBefore = mirador.get("/api/v1/metrics/sync/config").ok();
        JsonNode stateBefore = withoutBackgroundProgress(mirador.state());
        assertThat(totalBefore.asInt()).as("metrics in the catalog (a histogram's series are one)").isGreaterThanOrEqualTo(45);
        Generator generator = new Generator(new Random(start));
        List<Fuzz> requests = new ArrayList<>(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(generator.next(i));
        }
        Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
        Map<String, Map<Integer, AtomicInteger>> byEndpoint = new ConcurrentHashMap<>();
        Set<String> headerNames = ConcurrentHashMap.newKeySet();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        AtomicLong slowest = new AtomicLong();

        // when
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < requests.size(); ) {
                    Fuzz f = requests.get(i);
                    long t0 = System.nanoTime();
                    Answer a;
                    try {
                        a = send(f);
                    } catch (IOException | RuntimeException e) {
                        a = null;
                        record(failures, failed, f, null, "no readable answer: " + e);
                    }
                    slowest.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    if (a != null) {
                        byStatus.computeIfAbsent(a.status, k -> new AtomicInteger()).incrementAndGet();
                        byEndpoint.computeIfAbsent(f.endpoint, k -> new ConcurrentHashMap<>())
                                .computeIfAbsent(a.status, k -> new AtomicInteger()).incrementAndGet();
                        headerNames.addAll(a.headers.keySet());
                        String problem = check(f, a);
                        if (problem != null) {
                            record(failures, failed, f, a, problem);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        print(requests.size(), took, Duration.ofNanos(slowest.get()), byStatus, byEndpoint, headerNames);

        // then
        assertThat(failures).as("%d of %d answers broke a rule (random start value %d); the first ones", failed.get(), requests.size(), start)
                .isEmpty();
        assertThat(byStatus.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(REQUESTS);
        assertThat(byStatus).containsKeys(200, 400, 404);
        assertThat(mirador.search("{\"query\":\"\",\"limit\":1}").get("total")).isEqualTo(totalBefore);
        assertThat(mirador.get("/api/v1/metrics/default/" + KNOWN).ok()).isEqualTo(documentBefore);
        assertThat(mirador.get("/api/v1/metrics/sync/config").ok()).isEqualTo(configBefore);
        assertThat(withoutBackgroundProgress(mirador.state())).isEqualTo(stateBefore);
    }

    // --- the rules every answer keeps ------------------------------------------------------------------------

    /** The first rule an answer breaks, or null. */
    static String check(Fuzz f, Answer a) {
        if (a.status >= 500) {
            return "status " + a.status;
        }
        boolean trigger = f.endpoint.equals("sync") || f.endpoint.equals("sync-tenant");
        boolean change = f.endpoint.equals("sync-config") && Set.of("PUT", "POST", "PATCH").contains(f.method);
        if ((trigger || change) && a.status < 300 || trigger && a.status == 409) {
            return "a request generated to be refused was run (the generator's mistake, or the service's)";
        }
        boolean page = isPage(f, a);
        for (Map.Entry<String, String> h : a.headers.entrySet()) {
            if (!RESPONSE_HEADERS.contains(h.getKey()) && !(page && PAGE_HEADERS.contains(h.getKey()))) {
                return "unexpected response header " + h.getKey() + ": " + h.getValue();
            }
            if (h.getKey().equals("content-length")) {
                continue;
            }
            String value = h.getValue().toLowerCase(Locale.ROOT);
            for (String sent : f.sent) {
                String s = sent.toLowerCase(Locale.ROOT);
                boolean marker = s.startsWith("fz") && s.length() >= 8;
                if ((marker && value.contains(s)) || (value.equals(s) && !SERVER_VALUES.contains(s))) {
                    return "response header " + h.getKey() + ": " + h.getValue() + " carries the sent value '" + sent + "'";
                }
            }
        }
        if (f.method.equals("HEAD") || page) {
            return null;
        }
        JsonNode body;
        try {
            body = JSON.readTree(a.body);
        } catch (IOException e) {
            return "body is not JSON";
        }
        if (body == null || body.isMissingNode()) {
            return "empty body";
        }
        if (a.status >= 400) {
            if (!body.isObject() || !"error".equals(body.path("status").asText(null))) {
                return "error without \"status\":\"error\"";
            }
            if (!ERROR_TYPES.contains(body.path("errorType").asText(""))) {
                return "errorType " + body.path("errorType");
            }
            if (!body.path("error").isTextual() || body.path("error").asText().isBlank()) {
                return "error without a message";
            }
        }
        return null;
    }

    /** Whether the answer is one of the web explorer's files, for a GET of its path: HTML, script or style, not JSON. */
    static boolean isPage(Fuzz f, Answer a) {
        String[] requestLine = new String(f.head, StandardCharsets.ISO_8859_1).split("\r\n", 2)[0].split(" ");
        if (requestLine.length < 2 || !(a.status == 200 || a.status == 304)) {
            return false;
        }
        // the server reads the path as Vert.x normalises it: repeated slashes as one, dot segments resolved
        String path = requestLine[1].split("\\?", 2)[0].replaceAll("/{2,}", "/");
        try {
            path = java.net.URI.create(path).normalize().getPath();
        } catch (IllegalArgumentException e) {
            return false;
        }
        return io.mirador.explorer.PageFiles.isPageFile(path)
                && a.headers.getOrDefault("content-type", "").matches("(text/(html|javascript|css)|image/svg\\+xml).*");
    }

    static void record(List<String> failures, AtomicInteger failed, Fuzz f, Answer a, String problem) {
        failed.incrementAndGet();
        if (failures.size() < 25) {
            failures.add("#" + f.index + " [" + f.endpoint + "] " + problem + "\n    request: " + f.describe()
                    + (a == null ? "" : "\n    answer: " + a.status + " " + a.headers + " " + abbreviate(a.text(), 300)));
        }
    }

    static void print(int count, Duration took, Duration slowest, Map<Integer, AtomicInteger> byStatus,
                      Map<String, Map<Integer, AtomicInteger>> byEndpoint, Set<String> headerNames) {
        StringBuilder sb = new StringBuilder("fuzz: " + count + " requests in " + took.toMillis() + " ms (slowest "
                + slowest.toMillis() + " ms)");
        new TreeMap<>(byStatus).forEach((status, n) -> sb.append(", ").append(status).append('=').append(n.get()));
        new TreeMap<>(byEndpoint).forEach((endpoint, statuses) -> {
            sb.append("\nfuzz:   ").append(endpoint).append(':');
            new TreeMap<>(statuses).forEach((status, n) -> sb.append(' ').append(status).append('=').append(n.get()));
        });
        sb.append("\nfuzz: response header names: ").append(new java.util.TreeSet<>(headerNames));
        System.out.println(sb);
    }

    // --- the requests -----------------------------------------------------------------------------------------

    /** One generated request, sent as these bytes; {@code sent} holds the header and parameter values it carries. */
    record Fuzz(int index, String endpoint, String method, byte[] head, byte[] body, Set<String> sent) {

        byte[] bytes() {
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            return all;
        }

        String describe() {
            return abbreviate(escape(new String(head, StandardCharsets.ISO_8859_1)), 600) + " body("
                    + body.length + " bytes): " + abbreviate(escape(new String(body, StandardCharsets.UTF_8)), 400);
        }
    }

    /** Builds the requests; everything random comes from the one {@link Random}. */
    static final class Generator {

        final Random r;
        int markers;

        Generator(Random r) {
            this.r = r;
        }

        Fuzz next(int index) {
            int pick = r.nextInt(100);
            Request q;
            if (pick < 28) {
                q = search();
            } else if (pick < 42) {
                q = suggest();
            } else if (pick < 52) {
                q = metric();
            } else if (pick < 58) {
                q = syncBody();
            } else if (pick < 64) {
                q = syncTenant();
            } else if (pick < 70) {
                q = stateOrStatus();
            } else if (pick < 80) {
                q = config();
            } else if (pick < 84) {
                q = health();
            } else if (pick < 90) {
                q = unknown();
            } else {
                q = pathTrick();
            }
            return q.build(index, this);
        }

        // endpoints ---------------------------------------------------------------------------------------------

        Request search() {
            Request q = new Request("search", oneOf(80, "POST", "GET", "PUT", "DELETE", "PATCH"), "/api/v1/metrics/search");
            q.body = mutate(searchBody());
            q.contentType = contentType();
            return q;
        }

        Request suggest() {
            Request q = new Request("suggest", oneOf(90, "GET", "HEAD", "POST", "DELETE", "OPTIONS"), "/api/v1/metrics/suggest");
            StringBuilder query = new StringBuilder();
            if (r.nextInt(10) < 8) {
                param(q, query, "q", r.nextBoolean() ? prefix() : queryText());
            }
            if (r.nextInt(4) == 0) {
                param(q, query, "tenant_id", tenant());
            }
            if (r.nextInt(3) == 0) {
                param(q, query, "limit", number());
            }
            queryAbuse(q, query);
            q.target += query.isEmpty() ? "" : "?" + query.substring(1);
            if (!q.method.equals("GET") && r.nextBoolean()) {
                q.body = mutate(searchBody());
                q.contentType = contentType();
            }
            return q;
        }

        Request metric() {
            Request q = new Request("metric", safeMethod(85), "/api/v1/metrics/" + segment(tenant()) + "/" + segment(metricName()));
            StringBuilder query = new StringBuilder();
            queryAbuse(q, query);
            q.target += query.isEmpty() ? "" : "?" + query.substring(1);
            return q;
        }

        /** {@code POST /sync} with a body that must be refused: an unknown tenant, a bad field, or no JSON object. */
        Request syncBody() {
            Request q = new Request("sync", oneOf(85, "POST", "GET", "PUT", "DELETE"), "/api/v1/metrics/sync");
            Obj body = new Obj();
            String poison = oneOf(0, "tenant", "batch", "range", "boolean", "unknown", "type");
            if (r.nextBoolean() && !poison.equals("tenant")) {
                body.put("tenant_id", jstr("default"));
            }
            if (r.nextBoolean() && !poison.equals("boolean")) {
                body.put("force_full_sync", r.nextBoolean() ? "true" : "false");
            }
            if (r.nextBoolean() && !poison.equals("batch")) {
                body.put("batch_size", Integer.toString(1 + r.nextInt(1000)));
            }
            switch (poison) {
                case "tenant" -> body.put("tenant_id", jstr(oneOf(0, "nope", "DEFAULT", "../default", "default ", "déf",
                        marker(q), "t".repeat(300), "default\u0000")));
                case "batch" -> body.put("batch_size", oneOf(0, "0", "-1", "100001", "2147483648", "1e10", "\"big\"", "[]", KNOWN_BUGS ? "1.5" : "2.5e9"));
                case "range" -> body.put("time_range", oneOf(0, "{}", "{\"start\":\"2024-01-02T00:00:00Z\",\"end\":\"2024-01-01T00:00:00Z\"}",
                        "{\"start\":\"yesterday\",\"end\":\"now\"}", "{\"start\":\"2024-01-01T00:00:00Z\"}", "\"1h\"", "[1,2]",
                        "{\"start\":1,\"end\":0}"));
                case "boolean" -> body.put("force_full_sync", oneOf(0, "\"maybe\"", "[true]", "{}", "\"" + marker(q) + "\""));
                case "unknown" -> body.put(oneOf(0, "colour", "tenant", "forceFull", "\u202Etenant_id", marker(q)), value(2));
                default -> { }
            }
            String text = poison.equals("type") ? oneOf(0, "[{}]", "[]", "1", "\"default\"", "true", "{", "{\"tenant_id\":",
                    "[" + body.render() + "]") : body.render();
            q.body = text.getBytes(StandardCharsets.UTF_8);
            if (!poison.equals("type") && r.nextInt(5) == 0) {
                q.body = structural(text, KNOWN_BUGS);
            }
            q.contentType = contentType();
            return q;
        }

        /** {@code POST /sync/{tenantId}} that must be refused: an unknown tenant or a parameter that is no boolean. */
        Request syncTenant() {
            boolean unknownTenant = r.nextBoolean();
            String tenant = unknownTenant ? oneOf(0, "nope", "DEFAULT", "%2e%2e", "..%2Fdefault", "default%00", "def ault",
                    "%C3%28", marker(null), "x".repeat(200)) : "default";
            Request q = new Request("sync-tenant", oneOf(85, "POST", "GET", "PUT", "DELETE"), "/api/v1/metrics/sync/" + tenant);
            if (tenant.startsWith("fz")) {
                q.sent.add(tenant);
            }
            StringBuilder query = new StringBuilder();
            if (!unknownTenant || r.nextBoolean()) {
                String bad = oneOf(0, "maybe", "yes", "2", "TRUE1", "", "%00", marker(q), "t".repeat(100));
                if (!unknownTenant && bad.isEmpty()) {
                    bad = "no";
                }
                param(q, query, r.nextBoolean() ? "forceFull" : "allowRemoval", bad);
            }
            queryAbuse(q, query);
            q.target += query.isEmpty() ? "" : "?" + query.substring(1);
            if (r.nextBoolean()) {
                q.body = mutate(searchBody());
                q.contentType = contentType();
            }
            return q;
        }

        Request stateOrStatus() {
            Request q = new Request(r.nextBoolean() ? "sync-state" : "sync-status", safeMethod(85),
                    "/api/v1/metrics/sync/" + segment(tenant()));
            q.target += q.endpoint.equals("sync-state") ? "/state" : "/status";
            if (r.nextInt(10) == 0) {
                q.target += oneOf(0, "/", "//", "/x", "%00", ";a=b", ".json");
            }
            StringBuilder query = new StringBuilder();
            queryAbuse(q, query);
            q.target += query.isEmpty() ? "" : "?" + query.substring(1);
            return q;
        }

        /** GET, DELETE (back to the settings, which changes nothing here) or a PUT that must be refused. */
        Request config() {
            String method = oneOf(0, "GET", "GET", "PUT", "PUT", "PUT", "DELETE", "POST", "PATCH", "HEAD");
            Request q = new Request("sync-config", method, "/api/v1/metrics/sync/config");
            if (method.equals("PUT") || method.equals("POST") || method.equals("PATCH")) {
                Obj body = new Obj();
                String[] valid = {"\"enabled\":true", "\"strategy\":\"full\"", "\"interval\":\"1s\"", "\"batch_size\":7",
                        "\"max_retries\":0", "\"retry_delay\":\"1ms\"", "\"full_sync_interval\":\"1m\"",
                        "\"time_range_lookback\":\"5m\"", "\"full_sync_window\":\"1h\"", "\"max_removal_share\":1"};
                for (String v : valid) {
                    if (r.nextInt(3) == 0) {
                        int colon = v.indexOf(':');
                        body.put(v.substring(1, colon - 1), v.substring(colon + 1));
                    }
                }
                String poison = oneOf(0, "field", "value", "type", "syntax");
                switch (poison) {
                    case "field" -> body.put(oneOf(0, "colour", "Enabled", "batchSize", "", "enabled ", marker(q), "\u0000"), value(2));
                    case "value" -> {
                        String[] bad = {"\"batch_size\":0", "\"batch_size\":100001", "\"batch_size\":\"big\"", "\"interval\":\"soon\"",
                                "\"interval\":\"0s\"", "\"interval\":-5", "\"interval\":\"P365000D\"", "\"max_removal_share\":2",
                                "\"max_removal_share\":-0.5", "\"strategy\":\"sometimes\"", "\"max_retries\":-1", "\"max_retries\":101",
                                "\"enabled\":\"yes\"", "\"enabled\":null", "\"retry_delay\":\"2h\"", "\"full_sync_window\":\"P365000D\"",
                                "\"interval\":1e400", "\"batch_size\":99999999999999999999"};
                        String v = bad[r.nextInt(bad.length)];
                        int colon = v.indexOf(':');
                        body.remove(v.substring(1, colon - 1));
                        body.put(v.substring(1, colon - 1), v.substring(colon + 1));
                    }
                    default -> { }
                }
                String text = switch (poison) {
                    case "type" -> oneOf(0, "[]", "[" + body.render() + "]", "1", "\"enabled\"", "null", "true", "");
                    case "syntax" -> oneOf(0, "{", "not json", "{\"enabled\":}", "{'enabled':true}", KNOWN_BUGS ? body.render() + "}" : "{\"enabled\":true",
                            "{\"enabled\":true,}", "\uFEFF{\"colour\":1}");
                    default -> body.render();
                };
                q.body = poison.equals("field") || poison.equals("value") ? structural(text, KNOWN_BUGS) : text.getBytes(StandardCharsets.UTF_8);
                q.contentType = contentType();
            }
            StringBuilder query = new StringBuilder();
            queryAbuse(q, query);
            q.target += query.isEmpty() ? "" : "?" + query.substring(1);
            return q;
        }

        Request health() {
            Request q = new Request("health", safeMethod(85), "/api/v1/metrics/health");
            StringBuilder query = new StringBuilder();
            queryAbuse(q, query);
            q.target += query.isEmpty() ? "" : "?" + query.substring(1);
            return q;
        }

        Request unknown() {
            StringBuilder path = new StringBuilder();
            int depth = r.nextInt(6);
            for (int i = 0; i < depth; i++) {
                path.append('/').append(oneOf(0, "api", "v1", "v2", "metrics", "admin", "search", "sync", "index.html",
                        "favicon.ico", ".env", "WEB-INF", "console", "x", "", "%20", "actuator", "q", marker(null)));
            }
            if (path.isEmpty() || r.nextInt(5) == 0) {
                path.append('/').append(oneOf(0, "nothing", "here", "API", "Api", "openapi.yaml", "metrics", "observe"));
                if (KNOWN_BUGS && r.nextInt(10) == 0) {
                    path.append(oneOf(0, "/%", "/%ZZ", "/a%2", "/%u002e"));
                }
            }
            String p = path.toString();
            if (p.contains("observe") && !p.startsWith("/api")) {
                p = "/api" + p;
            }
            Request q = new Request("unknown", safeMethod(70), p);
            if (p.contains("fz")) {
                for (String part : p.split("/")) {
                    if (part.startsWith("fz")) {
                        q.sent.add(part);
                    }
                }
            }
            StringBuilder query = new StringBuilder();
            queryAbuse(q, query);
            q.target += query.isEmpty() ? "" : "?" + query.substring(1);
            return q;
        }

        /** A GET-able endpoint behind an unnormalised or oddly encoded path; never POST or PUT, which could sync. */
        Request pathTrick() {
            String base = oneOf(0, "/api/v1/metrics/health", "/api/v1/metrics/sync/default/state", "/api/v1/metrics/sync/default/status",
                    "/api/v1/metrics/sync/config", "/api/v1/metrics/suggest", "/api/v1/metrics/default/" + KNOWN);
            String[] parts = base.substring(1).split("/");
            int at = r.nextInt(parts.length);
            String trick = oneOf(0, "dot", "dotdot", "encdot", "double", "encslash", "upper", "nul", "trailing", "matrix",
                    "backslash", "doubleenc", "utf8", "rawutf8", "semicolon", "space", "climb");
            StringBuilder p = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                String sep = "/";
                if (i == at) {
                    switch (trick) {
                        case "dot" -> part = "./" + part;
                        case "dotdot" -> part = "x/../" + part;
                        case "encdot" -> part = "%2e%2e/" + parts[Math.max(0, i - 1)] + "/" + part;
                        case "double" -> sep = "//";
                        case "encslash" -> sep = i == 0 ? "/" : "%2F";
                        case "upper" -> part = part.toUpperCase(Locale.ROOT);
                        case "nul" -> part = part + "%00";
                        case "trailing" -> part = part + "/";
                        case "matrix" -> part = part + ";jsessionid=" + marker(null);
                        case "backslash" -> sep = i == 0 ? "/" : "\\";
                        case "doubleenc" -> part = "%252e%252e/" + part;
                        case "utf8" -> part = part + "%C3%A9%E2%80%AE%F0%9F%98%80";
                        case "rawutf8" -> part = part + "\u00e9\u202E";
                        case "semicolon" -> part = part + ";";
                        case "space" -> part = part + "%20";
                        case "climb" -> part = "../../../../" + part;
                        default -> { }
                    }
                }
                p.append(sep).append(part);
            }
            Request q = new Request("path-trick", oneOf(0, "GET", "GET", "GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "PATCH"),
                    p.toString());
            for (String s : p.toString().split("[/;=]")) {
                if (s.startsWith("fz")) {
                    q.sent.add(s);
                }
            }
            StringBuilder query = new StringBuilder();
            queryAbuse(q, query);
            q.target += query.isEmpty() ? "" : "?" + query.substring(1);
            return q;
        }

        // search bodies -------------------------------------------------------------------------------------------

        String searchBody() {
            Obj o = new Obj();
            if (r.nextInt(10) < 8) {
                o.put("query", r.nextInt(10) < 8 ? jstr(queryText()) : value(3));
            }
            if (r.nextInt(4) == 0) {
                o.put("tenant_id", r.nextInt(3) == 0 ? value(1) : jstr(tenant()));
            }
            if (r.nextInt(3) == 0) {
                o.put("limit", number());
            }
            if (r.nextInt(4) == 0) {
                o.put("offset", number());
            }
            if (r.nextInt(5) == 0) {
                o.put("types", list(() -> oneOf(0, "\"counter\"", "\"gauge\"", "\"histogram\"", "\"summary\"", "\"untyped\"",
                        "\"\"", "null", "1", "\"Counter\"", jstr(word()))));
            }
            if (r.nextInt(6) == 0) {
                o.put("units", list(() -> oneOf(0, "\"seconds\"", "\"bytes\"", "\"\"", "null", "\"%\"", jstr(word()))));
            }
            if (r.nextInt(4) == 0) {
                o.put("labels", labels());
            }
            if (r.nextInt(6) == 0) {
                o.put("sort", oneOf(0, "\"relevance\"", "\"name\"", "\"series_count\"", "\"last_seen\"", "\"NAME\"", "\"score\"",
                        "\"\"", "null", "1", "[\"name\"]"));
            }
            if (r.nextInt(6) == 0) {
                o.put("order", oneOf(0, "\"asc\"", "\"desc\"", "\"DESC\"", "\"up\"", "\"\"", "null", "true"));
            }
            if (r.nextInt(6) == 0) {
                o.put("facets", oneOf(0, "true", "false", "null", "\"true\"", "1", "\"yes\"", "{}"));
            }
            if (r.nextInt(6) == 0) {
                o.put("highlight", oneOf(0, "true", "false", "null", "\"false\"", "0", "[]"));
            }
            if (r.nextInt(25) == 0) {
                o.put(oneOf(0, "colour", "q", "Query", "tenantId", "", "\u202Equery"), value(2));
            }
            return o.render();
        }

        String labels() {
            if (r.nextInt(12) == 0) {
                return oneOf(0, "[]", "\"job=api\"", "null", "1", "{\"job\":{\"a\":1}}", "{\"job\":[\"api\"]}");
            }
            Obj o = new Obj();
            int n = r.nextInt(20) == 0 ? 60 + r.nextInt(1100) : 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                String key = n > 5 ? "k" + i : oneOf(0, "job", "instance", "method", "code", "le", "mode", "", " ", "__name__",
                        "a b", "job\u0000", "\u05e9\u05dd", "k".repeat(600), marker(null));
                String value = oneOf(0, "\"api\"", "\"*\"", "\"a*\"", "\"?p?\"", "\"\"", "null", "1", "\"node\"", "\"a:1\"",
                        jstr("*".repeat(r.nextInt(12000))), jstr("a?".repeat(r.nextInt(40))), jstr("x".repeat(r.nextInt(600))),
                        jstr("*a".repeat(r.nextInt(20))), jstr(unicode()), "\"[a-z]+\"", "\".*\"", "\"\\\\\"");
                o.put(key, value);
            }
            return o.render();
        }

        String queryText() {
            int terms = r.nextInt(30) == 0 ? 33 + r.nextInt(20) : 1 + r.nextInt(5);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < terms; i++) {
                if (i > 0) {
                    sb.append(oneOf(85, " ", "  ", "\t", "\n", "\u00a0", "\u2003", ""));
                }
                sb.append(term());
            }
            return sb.toString();
        }

        String term() {
            return switch (r.nextInt(12)) {
                case 0, 1, 2 -> word();
                case 3 -> oneOf(0, "\"http requests\"", "\"unbalanced", "\"\"", "\"a\"b\"", "-\"total requests\"", "\" \"");
                case 4 -> oneOf(0, "type:counter", "type:", "unit:seconds", "label:job", "name:fuzz*", "help:\"total\"",
                        "TYPE:gauge", "type:\"counter", "field:value", "a:b:c", ":", "::", "job:fuzz_requests:rate5m");
                case 5 -> oneOf(0, "job=api", "job!=api", "=x", "!=x", "=", "job=", "job=\"a b\"", "1job=x", "job==x", "job=*");
                case 6 -> oneOf(0, "-", "-fuzz", "-type:gauge", "--x", "-=", "-\"", "+fuzz", "!", "~", "^2", "\\", "&&", "||");
                case 7 -> oneOf(0, "*", "?", "fu*z", "f?zz", "*_total", "**", "*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*", "[a TO z]",
                        "/re.*/", "(", ")", "{}", "AND", "OR", "NOT", "%", "%25", "&", "+", "#");
                case 8 -> r.nextBoolean() ? "w".repeat(400 + r.nextInt(1200)) : "\u00e9".repeat(200 + r.nextInt(500));
                case 9 -> unicode();
                case 10 -> oneOf(0, "\u0000", "\u0007", "\u001b[31m", "\r", "\u007f", "\u0085", "a\u0000b", "\u0008", "\u001f");
                default -> names.get(r.nextInt(names.size()));
            };
        }

        String word() {
            return oneOf(0, "fuzz", "http", "requests", "total", "cpu", "seconds", "node", "memory", "bytes", "duration",
                    "bucket", "go", "process", "generated", "metric", "rate5m", "idle", "free", "filesystem");
        }

        String prefix() {
            String name = names.get(r.nextInt(names.size()));
            return name.substring(0, r.nextInt(name.length() + 1));
        }

        String unicode() {
            return oneOf(0, "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u202Eevil\u202C", "\uD83D\uDE00",
                    "\uD83D", "\uDE00", "\u65e5\u672c\u8a9e", "\u03a9", "e\u0301", "\uFEFF", "\uFFFF", "\u200B", "\uD800\uD800",
                    "\u0130", "\u00df", "\uFFFD");
        }

        String tenant() {
            return oneOf(60, "default", "nope", "DEFAULT", "", "..", "%2e%2e", "default ", "t".repeat(300), "\u0000", "sync",
                    "a/b", "d\u00e9fault", marker(null));
        }

        String metricName() {
            return switch (r.nextInt(8)) {
                case 0, 1, 2 -> names.get(r.nextInt(names.size()));
                case 3 -> oneOf(0, "null", "undefined", "sync", "config", "health", "search", "*", "..", ".", "%", "a/b", "100%");
                case 4 -> names.get(r.nextInt(names.size())).toUpperCase(Locale.ROOT);
                case 5 -> unicode();
                case 6 -> "m".repeat(r.nextInt(3000));
                default -> word() + "_" + marker(null);
            };
        }

        String number() {
            return oneOf(0, "0", "1", "-1", "10", "50", "100", "101", "1000", "1001", "100000", "100001", "2147483647",
                    "2147483648", "-2147483649", "99999999999999999999999", "1e400", "-1e400", "1.5", "0.0", "-0", "1e2",
                    "\"10\"", "\"ten\"", "null", "true", "[]", "{}", "NaN", "Infinity", "0x10", "010", "+1");
        }

        /** A JSON value of any kind, nested up to {@code depth}. */
        String value(int depth) {
            int k = r.nextInt(depth > 0 ? 10 : 7);
            return switch (k) {
                case 0 -> "null";
                case 1 -> r.nextBoolean() ? "true" : "false";
                case 2 -> number();
                case 3 -> jstr(queryText());
                case 4 -> jstr(unicode());
                case 5 -> jstr("s".repeat(r.nextInt(5000)));
                case 6 -> "\"\"";
                case 7 -> list(() -> value(depth - 1));
                default -> {
                    Obj o = new Obj();
                    for (int i = r.nextInt(3); i > 0; i--) {
                        o.put(word(), value(depth - 1));
                    }
                    yield o.render();
                }
            };
        }

        String list(Supplier<String> item) {
            int n = r.nextInt(25) == 0 ? 65 + r.nextInt(1100) : r.nextInt(4);
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : ",").append(item.get());
            }
            return sb.append(']').toString();
        }

        // mutations ---------------------------------------------------------------------------------------------

        /** A JSON text as it is (most of the time), or broken in one of the ways clients break it. */
        byte[] mutate(String json) {
            if (r.nextInt(10) < 6) {
                return json.getBytes(StandardCharsets.UTF_8);
            }
            return switch (r.nextInt(9)) {
                case 0 -> structural(json, true);
                case 1 -> ("[".repeat(1 + r.nextInt(3000)) + "1" + "]".repeat(r.nextInt(3000))).getBytes(StandardCharsets.UTF_8);
                case 2 -> ("{\"query\":" + "{\"a\":".repeat(1 + r.nextInt(2000)) + "1" + "}".repeat(r.nextInt(2000)) + "}")
                        .getBytes(StandardCharsets.UTF_8);
                case 3 -> oneOf(0, "", " ", "null", "[]", "{}", "1", "\"x\"", "true", "nul", "{\"query\"}", "{,}",
                        "{\"query\":\"a\" \"limit\":1}", "{'query':'a'}", "{\"query\":\"a\"}{\"query\":\"b\"}",
                        "{\"query\":NaN}", "/*c*/{}", "{\"query\":\"\\x41\"}", "{\"query\":\"\\ud800\"}",
                        "{\"query\":\"\\uDE00\\uD83D\"}").getBytes(StandardCharsets.UTF_8);
                case 4 -> ("{\"query\":\"" + "q".repeat(900_000 + r.nextInt(400_000)) + "\"}").getBytes(StandardCharsets.UTF_8);
                case 5 -> rawControl(json);
                case 6 -> ("\uFEFF" + json).getBytes(StandardCharsets.UTF_8);
                case 7 -> json.getBytes(r.nextBoolean() ? StandardCharsets.UTF_16 : StandardCharsets.ISO_8859_1);
                default -> invalidUtf8(json.getBytes(StandardCharsets.UTF_8));
            };
        }

        /**
         * Truncated, with invalid UTF-8 inside, or (when {@code trailing}) with garbage after it; the body of a refused
         * sync or config change stays refused, except that trailing garbage is ignored today (reported as a bug).
         */
        byte[] structural(String json, boolean trailing) {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            return switch (r.nextInt(trailing ? 3 : 2) * (trailing ? 1 : 2)) {
                case 0 -> java.util.Arrays.copyOf(b, Math.max(1, r.nextInt(Math.max(1, b.length))));
                case 1 -> (json + oneOf(0, "}", "]", ",", "x", "{}", "\u0000", " garbage")).getBytes(StandardCharsets.UTF_8);
                default -> invalidUtf8(b);
            };
        }

        byte[] invalidUtf8(byte[] b) {
            byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
                    {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
            byte[] ins = bad[r.nextInt(bad.length)];
            int at = b.length == 0 ? 0 : r.nextInt(b.length);
            // inside a string when there is one, so the JSON around stays whole
            for (int i = at; i < b.length; i++) {
                if (b[i] == '"' && i + 1 < b.length) {
                    at = i + 1;
                    break;
                }
            }
            byte[] out = new byte[b.length + ins.length];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(ins, 0, out, at, ins.length);
            System.arraycopy(b, at, out, at + ins.length, b.length - at);
            return out;
        }

        /** Control characters written raw inside the strings, where JSON wants them escaped. */
        byte[] rawControl(String json) {
            String c = oneOf(0, "\u0000", "\u0001", "\n", "\t", "\u001b", "\u007f", "\r\n");
            return json.replaceFirst("\":\"", "\":\"" + java.util.regex.Matcher.quoteReplacement(c)).getBytes(StandardCharsets.UTF_8);
        }

        // query strings and headers ---------------------------------------------------------------------------------

        void param(Request q, StringBuilder query, String name, String value) {
            if (value.startsWith("fz") || value.length() >= 8) {
                q.sent.add(value);
            }
            String encoded = switch (r.nextInt(10)) {
                case 0 -> lightlyEncoded(value);
                case 1 -> URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
                default -> URLEncoder.encode(value, StandardCharsets.UTF_8);
            };
            query.append('&').append(name).append('=').append(encoded);
        }

        /** Encoded just enough for the request line to stay one line: quotes, colons, stars, brackets left raw. */
        String lightlyEncoded(String value) {
            StringBuilder sb = new StringBuilder();
            for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if (c > 0x20 && c < 0x7f && c != '%' && c != '&' && c != '#' && c != '+' && c != '=') {
                    sb.append((char) c);
                } else {
                    sb.append('%').append(String.format("%02X", c));
                }
            }
            return sb.toString();
        }

        /** Parameters that are no parameter of the endpoint, named like response headers, repeated or malformed. */
        void queryAbuse(Request q, StringBuilder query) {
            if (r.nextInt(3) != 0) {
                return;
            }
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                switch (r.nextInt(9)) {
                    case 0 -> param(q, query, oneOf(0, "Set-Cookie", "Cache-Control", "Vary", "Allow", "Retry-After",
                            "WWW-Authenticate", "Content-Type", "Content-Encoding", "Access-Control-Allow-Origin", "Location",
                            "X-API-Key", "CamelHttpResponseCode", "Content-Length", "Connection"), marker(q));
                    case 1 -> query.append('&').append(oneOf(0, "q[]=a", "q%5B%5D=a", "q", "=", "&", "q==a", "q=a=b", ";", "q=a;b",
                            "tenant_id[]=default", "limit=1&limit=2", "%00=%00", "q=%C3%28", "q=%FF", "q=%ED%A0%80", "q=a%0Ab",
                            "q=%E2%80%AE", "q=%0D%0ASet-Cookie:%20" + marker(q)));
                    case 2 -> param(q, query, "tenant_id", tenant());
                    case 3 -> param(q, query, "limit", number());
                    case 4 -> param(q, query, marker(q), marker(q));
                    case 5 -> param(q, query, "q", queryText());
                    // never on a sync trigger, whose refusal rests on its own forceFull or allowRemoval
                    case 6 -> param(q, query, q.endpoint.equals("sync-tenant") ? "offset" : oneOf(0, "forceFull", "allowRemoval",
                            "offset", "sort"), oneOf(0, "true", "maybe", "1"));
                    case 7 -> param(q, query, "x", "y".repeat(r.nextInt(5000)));
                    default -> param(q, query, "CamelHttpPath", "/" + marker(q));
                }
            }
        }

        String contentType() {
            return oneOf(45, "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
                    "APPLICATION/JSON", "application/json; charset=latin1", "application/json; charset=utf-16",
                    KNOWN_BUGS ? "application/json; charset=bogus" : "application/json; charset=iso-8859-1", "text/plain",
                    "application/x-www-form-urlencoded",
                    "application/x-www-form-urlencoded; charset=utf-8", KNOWN_BUGS ? "multipart/form-data; boundary=xyz" : "application/json ",
                    "application/xml",
                    "text/html", "*/*", "", null, null, null);
        }

        /** Methods that never trigger a sync or change the config (DELETE resets a config nothing changed). */
        String safeMethod(int getPercent) {
            return oneOf(getPercent, "GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "PATCH", "FOO", "get", "CONNECT");
        }

        String marker(Request q) {
            String m = "fz" + Integer.toString(r.nextInt(Integer.MAX_VALUE), 36) + "x" + (markers++);
            if (q != null) {
                q.sent.add(m);
            }
            return m;
        }

        /** A path segment: encoded (keeping what is already encoded), or with its reserved characters left raw. */
        String segment(String s) {
            if (isEncoded(s) || s.equals("..") || s.equals(".")) {
                return s;
            }
            if (r.nextInt(8) == 0) {
                return lightlyEncoded(s);
            }
            return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        }

        /** Already percent-encoded: has a '%', and every '%' starts an escape. */
        static boolean isEncoded(String s) {
            int at = s.indexOf('%');
            if (at < 0) {
                return false;
            }
            for (; at >= 0; at = s.indexOf('%', at + 1)) {
                if (at + 2 >= s.length() || Character.digit(s.charAt(at + 1), 16) < 0 || Character.digit(s.charAt(at + 2), 16) < 0) {
                    return false;
                }
            }
            return true;
        }

        /** With {@code firstPercent} the first choice, else any other uniformly; 0: all uniformly. */
        String oneOf(int firstPercent, String... choices) {
            if (firstPercent > 0 && r.nextInt(100) < firstPercent) {
                return choices[0];
            }
            return choices[firstPercent > 0 ? 1 + r.nextInt(choices.length - 1) : r.nextInt(choices.length)];
        }

        /** Header tricks: added to any request, none most of the time. */
        void headers(Request q) {
            if (r.nextInt(10) < 4) {
                return;
            }
            for (int i = 1 + r.nextInt(3); i > 0; i--) {
                switch (r.nextInt(16)) {
                    case 0 -> q.header(oneOf(0, "X-API-Key", "Authorization", "authorization", "X-Api-Key"),
                            oneOf(0, "", "Bearer ", "Basic ", "bearer ") + marker(q));
                    case 1 -> q.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (marker(q) + ":" + marker(q)).getBytes(StandardCharsets.UTF_8)));
                    case 2 -> q.header(oneOf(0, "Cache-Control", "Vary", "Retry-After", "Allow", "WWW-Authenticate", "Content-Encoding"),
                            marker(q));
                    case 3 -> q.header(oneOf(0, "Set-Cookie", "Cookie", "Origin", "X-Forwarded-Host", "Forwarded", "Referer",
                            "X-Requested-With", "Access-Control-Request-Method", "X-HTTP-Method-Override", "Location"), marker(q));
                    // headers named like path parameters, never on a sync trigger, whose refusal may rest on its tenant
                    case 4 -> q.header(q.endpoint.equals("sync-tenant") ? "CamelHttpResponseCode" : oneOf(0, "CamelHttpResponseCode", "camelhttpresponsecode", "CamelHttpPath", "CamelHttpMethod",
                            "CamelHttpUri", "CamelHttpQuery", "CamelVertxPlatformHttpAuthenticatedUser", "CamelHttpResponseText",
                            "Exchange.HTTP_RESPONSE_CODE", "tenantId", "name", "q", "limit", "caller"),
                            oneOf(0, "599", "DELETE", "/api/v1/metrics/sync/default", "root", "0", "nope", marker(q)));
                    case 5 -> q.header("Accept", oneOf(0, "text/html", "application/xml", "*/*", "text/yaml", "application/json;q=0",
                            "text/plain", "", "application/json, text/html;q=0.9"));
                    case 6 -> q.header(oneOf(0, "Accept-Encoding", "Accept-Charset", "TE", "Accept-Language"),
                            oneOf(0, "gzip, deflate, br", "utf-16", "trailers", "he-IL", "*"));
                    case 7 -> q.host = KNOWN_BUGS ? oneOf(0, "a b", null, "\u00e9.example", "x/y")
                            : oneOf(0, marker(q) + ".example", "", "127.0.0.1:1", "[::1]", "localhost", "EXAMPLE.com:80");
                    case 8 -> q.header("X-Long", marker(q) + "l".repeat(1000 + r.nextInt(9000)));
                    case 9 -> q.header(oneOf(0, "X-Utf8", "X-Bin"), oneOf(0, "\u00e9t\u00e9", "\u00ff\u00fe", "\u202Eevil", "a\u0000b"));
                    case 10 -> q.header(oneOf(0, "Bad Header", "X-Ctl\u0001", "", "X:Colon", "(x)"), marker(q));
                    case 11 -> q.header("X-Empty", "");
                    case 12 -> q.chunked = true;
                    // not HTTP/1.2 or 2.0: Vert.x answers a version it does not speak with an empty 501 before any handler
                    case 13 -> q.version = "HTTP/1.0";
                    case 14 -> q.header("Expect", KNOWN_BUGS ? oneOf(0, "200-ok", marker(q)) : "100-continue");
                    default -> q.header(oneOf(0, "Content-Type", "X-Forwarded-For", "X-Real-IP", "User-Agent", "Via"),
                            oneOf(0, "application/json", "text/html", "1.2.3.4", marker(q), "application/json; fz=" + marker(q)));
                }
            }
        }
    }

    /** A request being built. */
    static final class Request {
        final String endpoint;
        final String method;
        String target;
        String version = "HTTP/1.1";
        String host = "127.0.0.1";
        String contentType;
        boolean chunked;
        byte[] body;
        final List<String[]> headers = new ArrayList<>();
        final Set<String> sent = new HashSet<>();

        Request(String endpoint, String method, String target) {
            this.endpoint = endpoint;
            this.method = method;
            this.target = target;
        }

        void header(String name, String value) {
            headers.add(new String[] {name, value});
            if (value.length() >= 4) {
                sent.add(value);
            }
        }

        Fuzz build(int index, Generator g) {
            g.headers(this);
            if (!KNOWN_BUGS) {
                boolean form = contentType != null && (contentType.startsWith("application/x-www-form-urlencoded")
                        || contentType.startsWith("multipart/"));
                boolean bodyMethod = Set.of("POST", "PUT", "PATCH", "DELETE").contains(method);
                if (form && body != null && (!bodyMethod || body.length > 1000)) {
                    contentType = "text/plain";
                }
                if (contentType != null && contentType.contains("charset")) {
                    headers.removeIf(h -> h[0].equalsIgnoreCase("Content-Type"));
                }
            }
            java.util.regex.Matcher m = MARKER.matcher(target);
            while (m.find()) {
                sent.add(m.group());
            }
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(' ').append(version).append("\r\n");
            if (host != null) {
                head.append("Host: ").append(host).append("\r\n");
            }
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            for (String[] h : headers) {
                head.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            byte[] payload = body == null ? new byte[0] : body;
            if (chunked && payload.length > 0) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 0; i < payload.length; i += 8192) {
                    int n = Math.min(8192, payload.length - i);
                    out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(payload, i, n);
                    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                payload = out.toByteArray();
                head.append("Transfer-Encoding: chunked\r\n");
            } else if (body != null || method.equals("POST") || method.equals("PUT")) {
                head.append("Content-Length: ").append(payload.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            // the request line and headers as UTF-8, so raw non-ASCII characters arrive as their bytes
            return new Fuzz(index, endpoint, method, head.toString().getBytes(StandardCharsets.UTF_8), payload, Set.copyOf(sent));
        }
    }

    /** Writes a JSON object member by member, keys and values as given (values are JSON text). */
    static final class Obj {
        final Map<String, String> members = new LinkedHashMap<>();

        void put(String key, String jsonValue) {
            members.put(key, jsonValue);
        }

        void remove(String key) {
            members.remove(key);
        }

        String render() {
            StringBuilder sb = new StringBuilder("{");
            members.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(jstr(k)).append(':').append(v));
            return sb.append('}').toString();
        }
    }

    /** A JSON string: control characters and every surrogate (paired or lone) written as escapes. */
    static String jstr(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    // --- the wire ---------------------------------------------------------------------------------------------

    /** An answer: status, headers (names lower-cased, repeated ones joined), body. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return escape(new String(body, StandardCharsets.UTF_8));
        }
    }

    static Answer send(Fuzz f) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            byte[] bytes = f.bytes();
            Thread writer = null;
            if (bytes.length > 65536) {
                // large bodies from a second thread: the server may answer (413) before reading them
                writer = new Thread(() -> write(socket, bytes), "fuzz-writer");
                writer.setDaemon(true);
                writer.start();
            } else {
                write(socket, bytes);
            }
            InputStream in = socket.getInputStream();
            while (true) {
                Answer a = read(in, f.method.equals("HEAD"));
                if (a.status != 100) {
                    return a;
                }
            }
        }
    }

    private static void write(Socket socket, byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        } catch (IOException ignored) {
            // the server may answer and close before it has read the whole request
        }
    }

    private static Answer read(InputStream in, boolean head) throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + h.size() + " bytes of headers: " + escape(h.toString(StandardCharsets.ISO_8859_1)));
            }
            h.write(b);
            last4 = (last4 << 8) | b;
        }
        String[] lines = h.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + "," + b);
            }
        }
        if (head || status == 100 || status == 204 || status == 304) {
            return new Answer(status, headers, new byte[0]);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.getOrDefault("content-length", "").matches("[0-9]+")) {
            body.writeBytes(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
            for (int n; (n = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0; ) {
                body.writeBytes(in.readNBytes(n));
                line(in);
            }
        } else {
            body.writeBytes(in.readAllBytes());
        }
        return new Answer(status, headers, decoded(headers.getOrDefault("content-encoding", ""), body.toByteArray()));
    }

    /** The body as the server wrote it before it compressed it for a request that accepts gzip or deflate. */
    private static byte[] decoded(String encoding, byte[] body) throws IOException {
        return switch (encoding.toLowerCase(Locale.ROOT)) {
            case "gzip" -> new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
            case "deflate" -> new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
            default -> body;
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    static String abbreviate(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "...(" + s.length() + " chars)" : s;
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }

    /** The state without what the service changes on its own meanwhile (metrics still to embed for semantic search). */
    private static JsonNode withoutBackgroundProgress(JsonNode state) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) state).remove("embeddings_waiting");
        return state;
    }
}
