package io.mirador.source;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.io.IOException;

/** Sends source requests to the {@code source-call} route and turns what fails there into {@link SourceException}s. */
public final class CamelSourceCalls implements SourceCalls {

    private static final int MAX_ERROR_BODY = 500;

    private final ProducerTemplate template;

    public CamelSourceCalls(ProducerTemplate template) {
        this.template = template;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T call(SourceRequest<T> request) {
        Exchange done = template.send("direct:source-call", e -> e.setProperty(SourceHttp.REQUEST, request));
        Exception failure = done.getException();
        if (failure != null) {
            throw translate(request, failure);
        }
        return (T) done.getMessage().getBody();
    }

    static SourceException translate(SourceRequest<?> request, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SourceException s) {
                return s;
            }
            if (t instanceof HttpOperationFailedException http) {
                String body = http.getResponseBody() == null ? "" : http.getResponseBody().trim();
                if (body.length() > MAX_ERROR_BODY) {
                    body = body.substring(0, MAX_ERROR_BODY) + "...";
                }
                return new SourceException(http.getStatusCode(), request + " answered " + http.getStatusCode()
                        + (body.isEmpty() ? "" : ": " + body), http);
            }
            if (t instanceof IOException io) {
                return new SourceException(0, "cannot read " + request + ": " + describe(io), io);
            }
        }
        return new SourceException(0, request + " failed: " + describe(failure), failure);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
