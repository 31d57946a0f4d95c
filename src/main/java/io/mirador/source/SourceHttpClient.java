package io.mirador.source;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The one owner of HTTP to the sources: a pooled Apache HttpClient that sends a {@link SourceRequest} and hands its
 * answer, as a stream, to the request's reader, which holds nothing of it beyond what it keeps. It makes one
 * attempt: retrying is the routes' policy ({@code routes/source.camel.yaml}), around the sync step that made the call.
 *
 * <p>A source that cannot be reached, resets, stalls or answers something the reader refuses is a
 * {@link SourceReadException} (its cause an {@link IOException}, or a {@link SourceAnswerException}); an HTTP
 * error status is a {@link SourceException} carrying the status and the start of the answer.
 */
public final class SourceHttpClient implements SourceCalls, AutoCloseable {

    private static final int MAX_ERROR_BODY = 500;

    private final CloseableHttpClient http;
    private final Duration responseTimeout;

    /**
     * @param connectTimeout  to open a connection
     * @param responseTimeout to the answer's first byte, and between two reads of it
     * @param connections     pooled connections, per source and in all
     */
    public SourceHttpClient(Duration connectTimeout, Duration responseTimeout, int connections) {
        this.responseTimeout = responseTimeout;
        ConnectionConfig connection = ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setSocketTimeout(Timeout.of(responseTimeout))
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(connection)
                        .setMaxConnPerRoute(connections)
                        .setMaxConnTotal(connections)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(responseTimeout)).build())
                // one attempt: the routes decide what is tried again
                .setRetryStrategy(new DefaultHttpRequestRetryStrategy(0, TimeValue.ZERO_MILLISECONDS))
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
    }

    @Override
    public <T> T call(SourceRequest<T> request) {
        return call(request, responseTimeout);
    }

    /** Sends the request, waiting at most {@code timeout} for its answer (a probe waits less than a sync). */
    public <T> T call(SourceRequest<T> request, Duration timeout) {
        HttpUriRequestBase message;
        if (request.post()) {
            message = new HttpPost(URI.create(request.url()));
            message.setEntity(new StringEntity(request.encodedParams(), ContentType.APPLICATION_FORM_URLENCODED));
        } else {
            String query = request.encodedParams();
            message = new HttpGet(URI.create(query.isEmpty() ? request.url() : request.url() + "?" + query));
        }
        request.headers().forEach(message::setHeader);
        message.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build());
        try {
            return http.execute(message, response -> {
                HttpEntity entity = response.getEntity();
                int status = response.getCode();
                if (status / 100 != 2) {
                    throw new SourceException(status, request + " answered " + status + errorBody(entity), null);
                }
                if (entity == null) {
                    throw new SourceAnswerException("the answer has no body");
                }
                try (InputStream body = entity.getContent()) {
                    return request.reader().read(body);
                }
            });
        } catch (IOException e) {
            throw new SourceReadException("cannot read " + request + ": " + describe(e), e);
        }
    }

    private static String errorBody(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        try (InputStream in = entity.getContent()) {
            String body = new String(in.readNBytes(MAX_ERROR_BODY + 1), StandardCharsets.UTF_8).trim();
            if (body.length() > MAX_ERROR_BODY) {
                body = body.substring(0, MAX_ERROR_BODY) + "...";
            }
            return body.isEmpty() ? "" : ": " + body;
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
