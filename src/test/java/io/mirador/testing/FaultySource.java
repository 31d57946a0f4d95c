package io.mirador.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP/1.1 proxy on a free loopback port in front of a real source (a VictoriaMetrics), which
 * forwards every call unchanged and streams the answer back, except the calls a rule picks for a {@link Fault}.
 *
 * <p>Rules pick calls by path prefix, and fault every call, the first calls or a share of them picked by a {@link Random} with a fixed start value; they
 * are checked in the order added and the first one that fires wins (a rule whose first calls are used up, or
 * whose draw said no, leaves the call to the rules after it). Each client connection has its own thread, so
 * kept-alive connections and concurrent calls work as with any server; a fault that needs the whole upstream
 * answer (partial, truncated) holds it in memory, every other answer is streamed through as it comes.
 * Thread-safe.
 */
public final class FaultySource implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPLICATION_JSON = "application/json";
    private static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    /** Request and answer headers that belong to one connection, never forwarded as they are. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "http2-settings", "host", "content-length", "expect");
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 256;
    private static final byte[] CRLF = {'\r', '\n'};

    private final String upstream;
    private final ServerSocket server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final ExecutorService connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> faulted = new ConcurrentHashMap<>();
    /** Guarded by {@code this}. */
    private final List<Rule> rules = new ArrayList<>();
    /** Counted down to release the calls stalled so far; guarded by {@code this}. */
    private CountDownLatch release = new CountDownLatch(1);
    private volatile boolean closed;

    private FaultySource(String upstream, ServerSocket server) {
        this.upstream = upstream.endsWith("/") ? upstream.substring(0, upstream.length() - 1) : upstream;
        this.server = server;
        AtomicInteger threads = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "faulty-source-" + server.getLocalPort() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread acceptor = new Thread(this::accept, "faulty-source-" + server.getLocalPort() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a proxy forwarding to this base URL (e.g. {@code vm.url()}, path prefix included), with no rules. */
    public static FaultySource start(String upstreamBaseUrl) {
        URI.create(upstreamBaseUrl);
        try {
            return new FaultySource(upstreamBaseUrl,
                    new ServerSocket(FreePorts.next(), 200, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where clients call the proxy: {@code http://127.0.0.1:<port>}, with no path. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Faults every call whose path starts with {@code pathPrefix}. */
    public FaultySource always(String pathPrefix, Fault fault) {
        return add(new Rule(pathPrefix, fault, -1, 1.0, null));
    }

    /** Faults the first {@code count} calls whose path starts with {@code pathPrefix} that reach this rule. */
    public FaultySource firstCalls(String pathPrefix, int count, Fault fault) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        return add(new Rule(pathPrefix, fault, count, 1.0, null));
    }

    /**
     * Faults each call whose path starts with {@code pathPrefix} with this probability, drawn from a
     * {@link Random} started from {@code randomStart}, so the same calls in the same order are faulted on every run.
     */
    public FaultySource fraction(String pathPrefix, double share, long randomStart, Fault fault) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("share must be within [0, 1]: " + share);
        }
        return add(new Rule(pathPrefix, fault, -1, share, new Random(randomStart)));
    }

    private synchronized FaultySource add(Rule rule) {
        rules.add(rule);
        return this;
    }

    /** Removes every rule and closes the connections of the calls stalled so far; the counts stay. */
    public synchronized void clear() {
        rules.clear();
        release.countDown();
        release = new CountDownLatch(1);
    }

    /** How many calls came whose path starts with {@code pathPrefix}, faulted or not. */
    public int calls(String pathPrefix) {
        return count(calls, pathPrefix);
    }

    /** How many calls whose path starts with {@code pathPrefix} a fault was applied to. */
    public int faulted(String pathPrefix) {
        return count(faulted, pathPrefix);
    }

    private static int count(Map<String, AtomicInteger> counts, String pathPrefix) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(pathPrefix))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** Stops listening, releases stalled calls and closes every client connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        synchronized (this) {
            release.countDown();
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        connections.shutdownNow();
    }

    @Override
    public String toString() {
        return "FaultySource[" + url() + " -> " + upstream + "]";
    }

    /** What a faulted call gets instead of the source's answer; see each factory. */
    public record Fault(Kind kind, int status, Duration delay) {

        public enum Kind { EMPTY, PARTIAL, ERROR_STATUS, GARBLED, TRUNCATED, HTTP_STATUS, RESET, SLOW, STALL }

        public Fault {
            Objects.requireNonNull(kind, "kind");
        }

        /** 200 {@code {"status":"success","data":[]}}, or {@code "data":{}} for {@code /api/v1/metadata}. */
        public static Fault empty() {
            return new Fault(Kind.EMPTY, 200, null);
        }

        /**
         * The source's answer with {@code "isPartial":true} in its envelope and, when {@code data} (or
         * {@code data.result}, as for queries) is an array, only its first {@code size / 2} items kept.
         */
        public static Fault partial() {
            return new Fault(Kind.PARTIAL, 200, null);
        }

        /** 200 {@code {"status":"error","errorType":"timeout","error":"injected"}}. */
        public static Fault errorStatus() {
            return new Fault(Kind.ERROR_STATUS, 200, null);
        }

        /** 200 {@code application/json} whose body is not JSON: {@code <html>oops</html>}. */
        public static Fault garbled() {
            return new Fault(Kind.GARBLED, 200, null);
        }

        /** The source's answer with its full Content-Length, but the connection closed after half its bytes. */
        public static Fault truncated() {
            return new Fault(Kind.TRUNCATED, 0, null);
        }

        /** This HTTP status with a short text body {@code injected <status>}. */
        public static Fault httpStatus(int status) {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("not a final HTTP status: " + status);
            }
            return new Fault(Kind.HTTP_STATUS, status, null);
        }

        /** The call is read, then its connection reset (TCP RST) without an answer. */
        public static Fault reset() {
            return new Fault(Kind.RESET, 0, null);
        }

        /** The call waits this long before it is forwarded; the answer is the source's. */
        public static Fault slow(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("negative delay: " + delay);
            }
            return new Fault(Kind.SLOW, 0, delay);
        }

        /** The call is read and never answered, until the rules are cleared or the proxy is closed. */
        public static Fault stall() {
            return new Fault(Kind.STALL, 0, null);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case HTTP_STATUS -> "HTTP_STATUS(" + status + ")";
                case SLOW -> "SLOW(" + delay + ")";
                default -> kind.name();
            };
        }
    }

    /** One rule; its counter and draws are guarded by the proxy's lock. */
    private static final class Rule {
        private final String prefix;
        private final Fault fault;
        private int left;
        private final double share;
        private final Random random;

        /** @param left calls still to fault, or -1 for no limit; @param random null when every call is */
        Rule(String prefix, Fault fault, int left, double share, Random random) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            this.fault = Objects.requireNonNull(fault, "fault");
            this.left = left;
            this.share = share;
            this.random = random;
        }

        boolean fires(String path) {
            if (!path.startsWith(prefix) || left == 0) {
                return false;
            }
            if (left > 0) {
                left--;
                return true;
            }
            return random == null || random.nextDouble() < share;
        }
    }

    /** The fault for a call (null: none), with the latch that releases it if it stalls. */
    private record Choice(Fault fault, CountDownLatch release) {
    }

    private synchronized Choice choose(String path) {
        for (Rule rule : rules) {
            if (rule.fires(path)) {
                return new Choice(rule.fault, release);
            }
        }
        return new Choice(null, release);
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            open.add(socket);
            if (closed) {
                closeQuietly(socket);
                return;
            }
            try {
                connections.execute(() -> serve(socket));
            } catch (RuntimeException e) {
                closeQuietly(socket);
            }
        }
    }

    /** Answers the calls of one connection in turn, until either side closes it. */
    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            boolean keepAlive = true;
            while (keepAlive && !closed) {
                Request request = Request.read(in, out);
                if (request == null) {
                    return;
                }
                keepAlive = handle(request, socket, out);
            }
        } catch (IOException e) {
            // the client left, or a fault ended the connection: no one is left to answer
        } finally {
            open.remove(socket);
        }
    }

    /** Answers one call; returns whether the connection stays open for the next. */
    private boolean handle(Request request, Socket socket, OutputStream out) throws IOException {
        String path = request.path();
        calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        Choice choice = choose(path);
        Fault fault = choice.fault();
        if (fault == null) {
            return forward(request, out);
        }
        faulted.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        return switch (fault.kind()) {
            case EMPTY -> respond(out, request, 200, APPLICATION_JSON, path.endsWith("/api/v1/metadata")
                    ? "{\"status\":\"success\",\"data\":{}}" : "{\"status\":\"success\",\"data\":[]}");
            case PARTIAL -> partial(request, out);
            case ERROR_STATUS -> respond(out, request, 200, APPLICATION_JSON,
                    "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"injected\"}");
            case GARBLED -> respond(out, request, 200, APPLICATION_JSON, "<html>oops</html>");
            case TRUNCATED -> truncated(request, socket, out);
            case HTTP_STATUS -> respond(out, request, fault.status(), TEXT_PLAIN, "injected " + fault.status() + "\n");
            case RESET -> {
                socket.setSoLinger(true, 0);
                socket.close();
                yield false;
            }
            case SLOW -> sleep(fault.delay()) && forward(request, out);
            case STALL -> {
                awaitQuietly(choice.release());
                yield false;
            }
        };
    }

    /** Forwards the call and streams the answer back as it comes; returns whether the connection stays open. */
    private boolean forward(Request request, OutputStream out) throws IOException {
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(upstreamRequest(request, false), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return respond(out, request, 502, TEXT_PLAIN, "upstream unavailable: " + e + "\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try (InputStream body = answer.body()) {
            int status = answer.statusCode();
            long length = answer.headers().firstValueAsLong("content-length").orElse(-1);
            List<String[]> headers = passedHeaders(answer, false);
            if (request.method().equals("HEAD") || status == 204 || status == 304) {
                if (length >= 0 && request.method().equals("HEAD")) {
                    headers.add(new String[] {"Content-Length", Long.toString(length)});
                }
                writeHead(out, status, headers, request.keepAlive());
                out.flush();
                return request.keepAlive();
            }
            if (length >= 0) {
                headers.add(new String[] {"Content-Length", Long.toString(length)});
                writeHead(out, status, headers, request.keepAlive());
                if (body.transferTo(out) != length) {
                    throw new EOFException("the source's answer ended before its Content-Length");
                }
                out.flush();
                return request.keepAlive();
            }
            if (!request.http11()) {
                writeHead(out, status, headers, false);
                body.transferTo(out);
                out.flush();
                return false;
            }
            headers.add(new String[] {"Transfer-Encoding", "chunked"});
            writeHead(out, status, headers, request.keepAlive());
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                if (n > 0) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(buffer, 0, n);
                    out.write(CRLF);
                    out.flush();
                }
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return request.keepAlive();
        }
    }

    /** The source's whole answer, uncompressed, marked partial with half its data. */
    private boolean partial(Request request, OutputStream out) throws IOException {
        HttpResponse<byte[]> answer = fetchWhole(request, true);
        if (answer == null) {
            return respond(out, request, 502, TEXT_PLAIN, "upstream unavailable\n");
        }
        byte[] body = answer.body();
        if (answer.statusCode() == 200) {
            try {
                if (JSON.readTree(body) instanceof ObjectNode envelope) {
                    envelope.put("isPartial", true);
                    JsonNode data = envelope.get("data");
                    halve(data);
                    if (data != null && data.isObject()) {
                        halve(data.get("result"));
                    }
                    body = JSON.writeValueAsBytes(envelope);
                }
            } catch (IOException e) {
                // not JSON: passed on as it came
            }
        }
        List<String[]> headers = passedHeaders(answer, true);
        headers.add(new String[] {"Content-Length", Integer.toString(body.length)});
        writeHead(out, answer.statusCode(), headers, request.keepAlive());
        out.write(body);
        out.flush();
        return request.keepAlive();
    }

    private static void halve(JsonNode node) {
        if (node instanceof ArrayNode array) {
            int keep = array.size() / 2;
            while (array.size() > keep) {
                array.remove(array.size() - 1);
            }
        }
    }

    /** The source's answer headed with its whole Content-Length, then the connection closed after half of it. */
    private boolean truncated(Request request, Socket socket, OutputStream out) throws IOException {
        HttpResponse<byte[]> answer = fetchWhole(request, false);
        if (answer == null) {
            return respond(out, request, 502, TEXT_PLAIN, "upstream unavailable\n");
        }
        byte[] body = answer.body();
        List<String[]> headers = passedHeaders(answer, false);
        headers.add(new String[] {"Content-Length", Integer.toString(body.length)});
        writeHead(out, answer.statusCode(), headers, true);
        out.write(body, 0, body.length / 2);
        out.flush();
        socket.shutdownOutput();
        return false;
    }

    /** The source's whole answer, or null when it cannot be had. */
    private HttpResponse<byte[]> fetchWhole(Request request, boolean uncompressed) {
        try {
            return http.send(upstreamRequest(request, uncompressed), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The call as the source gets it: same method, target, body and end-to-end headers. */
    private HttpRequest upstreamRequest(Request request, boolean uncompressed) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + safeTarget(request.target())))
                .timeout(Duration.ofMinutes(2))
                .method(request.method(), request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        Set<String> skip = new HashSet<>(HOP_BY_HOP);
        for (String h : request.headers("connection")) {
            for (String name : h.split(",")) {
                skip.add(name.trim().toLowerCase(Locale.ROOT));
            }
        }
        if (uncompressed) {
            skip.add("accept-encoding");
        }
        for (String[] h : request.headers()) {
            if (!skip.contains(h[0].toLowerCase(Locale.ROOT))) {
                try {
                    b.header(h[0], h[1]);
                } catch (IllegalArgumentException e) {
                    // a header java.net.http sets itself
                }
            }
        }
        return b.build();
    }

    /** The request target with what {@link URI} refuses (e.g. raw {@code []} in {@code match[]=}) percent-encoded. */
    private static String safeTarget(String target) {
        StringBuilder s = new StringBuilder(target.length() + 16);
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            boolean escape = c == '%' && (i + 2 >= target.length() || !isHex(target.charAt(i + 1))
                    || !isHex(target.charAt(i + 2)));
            if (!escape && c < 0x80 && (Character.isLetterOrDigit(c) || "-._~!$&'()*+,;=:@/?%".indexOf(c) >= 0)) {
                s.append(c);
            } else {
                s.append('%').append(String.format("%02X", c & 0xFF));
            }
        }
        return s.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }

    /** The source's end-to-end answer headers, without any length or (when re-encoded) content encoding. */
    private static List<String[]> passedHeaders(HttpResponse<?> answer, boolean reencoded) {
        List<String[]> headers = new ArrayList<>();
        answer.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !(reencoded && lower.equals("content-encoding"))) {
                for (String v : values) {
                    headers.add(new String[] {canonical(name), v});
                }
            }
        });
        return headers;
    }

    /** {@code content-type} as {@code Content-Type}. */
    private static String canonical(String name) {
        StringBuilder s = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            s.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return s.toString();
    }

    /** A whole answer of our own; returns whether the connection stays open. */
    private static boolean respond(OutputStream out, Request request, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Content-Type", contentType});
        headers.add(new String[] {"Content-Length", Integer.toString(bytes.length)});
        writeHead(out, status, headers, request.keepAlive());
        if (!request.method().equals("HEAD")) {
            out.write(bytes);
        }
        out.flush();
        return request.keepAlive();
    }

    private static void writeHead(OutputStream out, int status, List<String[]> headers, boolean keepAlive)
            throws IOException {
        StringBuilder head = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
                .append(reason(status)).append("\r\n");
        for (String[] h : headers) {
            head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + status;
        };
    }

    /** Sleeps; returns false when interrupted (the proxy is closing). */
    private static boolean sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** One parsed call: request line, headers in order, and the whole (de-chunked) body. */
    private record Request(String method, String target, String version, List<String[]> headers, byte[] body) {

        /** Reads the next call, or returns null when the client closed the connection between calls. */
        static Request read(InputStream in, OutputStream out) throws IOException {
            String line = readLine(in);
            while (line != null && line.isEmpty()) {
                line = readLine(in);
            }
            if (line == null) {
                return null;
            }
            String[] parts = line.split(" ");
            if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x request line: " + line);
            }
            List<String[]> headers = new ArrayList<>();
            for (String h = readLine(in); ; h = readLine(in)) {
                if (h == null) {
                    throw new EOFException("the connection closed within the headers");
                }
                if (h.isEmpty()) {
                    break;
                }
                int colon = h.indexOf(':');
                if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                    throw new IOException("bad header: " + h);
                }
                headers.add(new String[] {h.substring(0, colon).trim(), h.substring(colon + 1).trim()});
            }
            Request head = new Request(parts[0], originForm(parts[1]), parts[2], headers, new byte[0]);
            if (head.http11() && head.headers("expect").stream().anyMatch(v -> v.equalsIgnoreCase("100-continue"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            byte[] body;
            if (head.headers("transfer-encoding").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
                body = readChunked(in);
            } else {
                List<String> length = head.headers("content-length");
                body = length.isEmpty() ? new byte[0] : readExactly(in, Integer.parseInt(length.get(0)));
            }
            return new Request(head.method, head.target, head.version, headers, body);
        }

        /** {@code http://host:port/path?query} (a proxy-style target) as {@code /path?query}. */
        private static String originForm(String target) {
            if (target.startsWith("http://") || target.startsWith("https://")) {
                int slash = target.indexOf('/', target.indexOf("//") + 2);
                return slash < 0 ? "/" : target.substring(slash);
            }
            return target;
        }

        String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }

        boolean http11() {
            return !version.equals("HTTP/1.0");
        }

        /** HTTP/1.1 keeps the connection unless told to close it; HTTP/1.0 only when asked. */
        boolean keepAlive() {
            List<String> connection = headers("connection").stream()
                    .map(v -> v.toLowerCase(Locale.ROOT)).toList();
            if (http11()) {
                return connection.stream().noneMatch(v -> v.contains("close"));
            }
            return connection.stream().anyMatch(v -> v.contains("keep-alive"));
        }

        List<String> headers(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
        }

        private static byte[] readChunked(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in);
                if (size == null) {
                    throw new EOFException("the connection closed within a chunked body");
                }
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                        // trailers are dropped
                    }
                    return body.toByteArray();
                }
                body.write(readExactly(in, n));
                readLine(in);
            }
        }

        private static byte[] readExactly(InputStream in, int n) throws IOException {
            byte[] bytes = in.readNBytes(n);
            if (bytes.length != n) {
                throw new EOFException("the connection closed within the body");
            }
            return bytes;
        }

        /** A line without its CRLF (or bare LF), or null at the end of the stream before any byte. */
        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder(128);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    if (line.length() == 0) {
                        return null;
                    }
                    throw new EOFException("the connection closed within a line");
                }
                if (line.length() >= MAX_LINE) {
                    throw new IOException("line longer than " + MAX_LINE + " bytes");
                }
                line.append((char) c);
            }
            int end = line.length();
            if (end > 0 && line.charAt(end - 1) == '\r') {
                line.setLength(end - 1);
            }
            return line.toString();
        }
    }
}
