package io.mirador.explorer;

import io.mirador.support.Sha256;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web explorer's files, read from the jar once at start and answered from memory: the page at {@code /} and its
 * scripts, styles and chart library under {@code /ui/}. Each answer has an ETag (a repeat visit costs a 304) and the
 * page's security headers: a Content-Security-Policy that runs only the page's own scripts, no framing, no sniffing.
 * Compressed by the HTTP server for clients that accept gzip.
 */
public final class PageFiles implements Handler<RoutingContext> {

    /** The page's own files, and where the chart library's are in its WebJar. */
    private static final Map<String, String> FILES = Map.of(
            "/", "web/index.html",
            "/ui/app.js", "web/app.js",
            "/ui/app.css", "web/app.css",
            "/ui/icon.svg", "web/icon.svg",
            "/ui/uplot.js", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
            "/ui/uplot.css", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css");

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    private record File(Buffer bytes, String contentType, String etag) {
    }

    private final Map<String, File> files = new LinkedHashMap<>();

    public PageFiles() {
        FILES.forEach((path, resource) -> files.put(path, read(resource)));
    }

    /** Whether {@code path} is one of the page's files (answered without an API key: the page asks for one). */
    public static boolean isPageFile(String path) {
        return FILES.containsKey(path);
    }

    @Override
    public void handle(RoutingContext ctx) {
        File file = files.get(ctx.normalizedPath());
        HttpMethod method = ctx.request().method();
        if (file == null || !(method == HttpMethod.GET || method == HttpMethod.HEAD)) {
            ctx.next();
            return;
        }
        HttpServerResponse response = ctx.response()
                .putHeader("Content-Type", file.contentType())
                .putHeader("ETag", file.etag())
                // the page itself is read again on every visit (a new version shows at once); its files when changed
                .putHeader("Cache-Control", "no-cache")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
        if (file.etag().equals(ctx.request().getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
        } else if (method == HttpMethod.HEAD) {
            response.putHeader("Content-Length", Integer.toString(file.bytes().length())).end();
        } else {
            response.end(file.bytes());
        }
    }

    private static File read(String resource) {
        try (InputStream in = PageFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the web explorer's file " + resource + " is not in the jar");
            }
            byte[] bytes = in.readAllBytes();
            String etag = "\"" + HexFormat.of().formatHex(Sha256.of(bytes), 0, 8) + "\"";
            return new File(Buffer.buffer(bytes), contentType(resource), etag);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web explorer's file " + resource, e);
        }
    }

    private static String contentType(String resource) {
        String utf8 = "; charset=utf-8";
        if (resource.endsWith(".html")) {
            return "text/html" + utf8;
        }
        if (resource.endsWith(".js")) {
            return "text/javascript" + utf8;
        }
        if (resource.endsWith(".css")) {
            return "text/css" + utf8;
        }
        if (resource.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }

}
