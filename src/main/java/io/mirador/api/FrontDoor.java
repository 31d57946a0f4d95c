package io.mirador.api;

import org.apache.camel.Header;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.security.AccessDeniedException;
import io.mirador.security.ApiKeys;
import io.mirador.security.Caller;
import io.mirador.security.Role;
import io.mirador.explorer.PageFiles;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import java.time.Duration;
import java.util.Set;

/**
 * The first handler of every HTTP request, API and {@code /observe} alike, before any route:
 * <ul>
 *   <li>nothing is answered before the service is ready: while it starts or stops, every request gets a 503
 *       in the API's error shape;</li>
 *   <li>a body that has not arrived whole within {@code bodyTimeout} loses its connection, so a client that
 *       sends less than its Content-Length cannot hold one;</li>
 *   <li>a body announced larger than the limit is refused with a 413 at once, and an API body that is not JSON
 *       in UTF-8 with a 415;</li>
 *   <li>the caller is known from its key, read from the request headers only ({@code Authorization: Bearer},
 *       {@code X-API-Key}, or the password of {@code Authorization: Basic}, which Hawtio sends), never from
 *       the URL; with keys configured, only {@code /observe/health/live} and {@code /ready} and the web
 *       explorer's files (the page, which asks for a key) answer without one, and {@code /observe/jolokia} needs
 *       an admin key.</li>
 * </ul>
 * The caller reaches the routes as the Vert.x user, which Camel passes on as a header no client can set.
 */
public final class FrontDoor implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(FrontDoor.class);

    private static final Set<String> OPEN = Set.of("/observe/health/live", "/observe/health/ready");

    private final CamelContext camel;
    private final ApiKeys keys;
    private final ObjectMapper json;
    private final long bodyTimeoutMillis;
    private final long maxBodyBytes;

    public FrontDoor(CamelContext camel, ApiKeys keys, ObjectMapper json, Duration bodyTimeout, long maxBodyBytes) {
        this.camel = camel;
        this.keys = keys;
        this.json = json;
        this.bodyTimeoutMillis = bodyTimeout.toMillis();
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.isEnded()) {
            long timer = ctx.vertx().setTimer(bodyTimeoutMillis, id -> {
                if (!request.isEnded()) {
                    request.connection().close();
                }
            });
            ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
        }
        if (!camel.isStarted()) {
            ctx.response().putHeader("Retry-After", "1");
            reply(ctx.response(), 503, ApiError.of("unavailable", "the service is " + (camel.isStarting() ? "starting" : "stopping")
                    + "; try again in a moment"));
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && isLarger(length, maxBodyBytes)) {
            reply(ctx.response(), 413, ApiError.of("bad_data", "the request body is larger than " + maxBodyBytes + " bytes"));
            return;
        }
        String path = ctx.normalizedPath();
        if (refusesBody(ctx, path)) {
            return;
        }
        Caller caller;
        try {
            caller = keys.authenticate(request.getHeader("Authorization"), request.getHeader("X-API-Key"));
            if (path.equals("/observe/jolokia") || path.startsWith("/observe/jolokia/")) {
                caller.require(Role.ADMIN);
            }
        } catch (AccessDeniedException denied) {
            if (OPEN.contains(path) || PageFiles.isPageFile(path) && isRead(request)) {
                ctx.next();
                return;
            }
            if (!denied.isAuthenticated()) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
            }
            reply(ctx.response(), denied.isAuthenticated() ? 403 : 401,
                    ApiError.of(denied.isAuthenticated() ? "forbidden" : "unauthorized", denied.getMessage()));
            return;
        }
        ctx.setUser(User.fromName(caller.name()));
        ctx.next();
    }

    /** GET or HEAD: the only methods the page's files answer without a key. */
    private static boolean isRead(HttpServerRequest request) {
        return request.method() == io.vertx.core.http.HttpMethod.GET || request.method() == io.vertx.core.http.HttpMethod.HEAD;
    }

    /**
     * Checks what the HTTP server's router would refuse in plain text, before it sees the request: an HTTP/1.1
     * request without a valid Host, a query or path that is not valid percent-encoding, an {@code Expect} other
     * than {@code 100-continue}. Answers those in the API's error shape and returns false; else true.
     */
    public boolean admit(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_1_1 && request.authority() == null) {
            request.response().putHeader("Connection", "close");
            reply(request.response(), 400, ApiError.of("bad_data", "an HTTP/1.1 request needs a valid Host header"));
            return false;
        }
        String broken = badEscape(request.path()) ? "path" : badEscape(request.query()) ? "query string" : null;
        if (broken != null) {
            reply(request.response(), 400, ApiError.of("bad_data", "the " + broken + " is not valid percent-encoding"));
            return false;
        }
        String expect = request.getHeader("Expect");
        if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
            reply(request.response(), 417, ApiError.of("bad_data", "Expect: only 100-continue is understood"));
            return false;
        }
        return true;
    }

    private static boolean badEscape(String text) {
        if (text == null || text.indexOf('%') < 0) {
            return false;
        }
        try {
            URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
            return false;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /**
     * Refuses an API request body that is not JSON in UTF-8 with a 415, before any handler decodes it: a form or
     * multipart body would otherwise be decoded (or dropped) by the HTTP server, and an unknown charset fail.
     */
    private boolean refusesBody(RoutingContext ctx, String path) {
        HttpServerRequest request = ctx.request();
        if (!(path.equals("/api") || path.startsWith("/api/"))) {
            return false;
        }
        boolean hasBody = request.getHeader("Transfer-Encoding") != null
                || request.getHeader("Content-Length") != null && !request.getHeader("Content-Length").trim().equals("0");
        List<String> types = request.headers().getAll("Content-Type");
        // a charset is read even from an empty body, and a form or multipart type makes the server decode one even on a
        // GET (where it fails): neither must get that far
        boolean typed = types.stream().map(t -> t.toLowerCase(Locale.ROOT).trim()).anyMatch(t -> t.contains("charset")
                || t.startsWith("multipart/") || t.startsWith("application/x-www-form-urlencoded"));
        if (!hasBody && !typed || types.size() == 1 && isJson(types.get(0))) {
            return false;
        }
        reply(ctx.response(), 415, ApiError.of("bad_data",
                "the body must be JSON sent with 'Content-Type: application/json' (UTF-8), once"));
        return true;
    }

    private static boolean isJson(String contentType) {
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (!p.isEmpty() && !p.equals("charset=utf-8") && !p.equals("charset=\"utf-8\"")) {
                return false;
            }
        }
        return true;
    }

    /** The caller of an API request, from the user this handler set (the header Camel carries it in). */
    public Caller caller(@Header("CamelVertxPlatformHttpAuthenticatedUser") Object user) {
        if (user instanceof User u && u.principal().getString("username") != null) {
            return keys.named(u.principal().getString("username"));
        }
        throw new IllegalStateException("a request reached the API without passing the front door");
    }

    /**
     * A failure of a later handler that the routes did not answer (the body limit, a body the server could not
     * decode), in the API's error shape: a 4xx as it is, anything else a 500 without details.
     */
    public void failure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        int status = ctx.statusCode();
        if (status == 413) {
            reply(ctx.response(), 413, ApiError.of("bad_data", "the request body is larger than " + maxBodyBytes + " bytes"));
        } else if (status >= 400 && status < 500) {
            reply(ctx.response(), status, ApiError.of(status == 404 ? "not_found" : "bad_data",
                    "the request cannot be read (" + status + ")"));
        } else {
            LOG.error("request {} {} failed before reaching a route", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
            reply(ctx.response(), 500, ApiError.of("internal", "internal error; the service log has the details"));
        }
    }

    /** A request the HTTP server could not read (400, 414, 431), answered in the API's error shape. */
    public void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status;
        String message;
        if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
            status = 414;
            message = "the request line is too long (at most 4096 bytes)";
        } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
            status = 431;
            message = "the request headers are too large (at most 8192 bytes)";
        } else {
            status = 400;
            message = "the request is not valid HTTP";
        }
        HttpServerResponse response = request.response();
        response.putHeader("Connection", "close");
        reply(response, status, ApiError.of("bad_data", message));
        response.close();
    }

    private static boolean isLarger(String contentLength, long max) {
        try {
            return Long.parseLong(contentLength.trim()) > max;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private void reply(HttpServerResponse response, int status, ApiError error) {
        try {
            response.setStatusCode(status).putHeader("Content-Type", "application/json").end(json.writeValueAsString(error));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
