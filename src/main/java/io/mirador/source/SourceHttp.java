package io.mirador.source;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.IOException;
import java.io.InputStream;

/**
 * The two ends of the HTTP call in the {@code source-fetch} route: {@link #prepare} turns the exchange's
 * {@link SourceRequest} into the method, URL, query or form body and headers; {@link #read} streams the
 * response through the request's reader and closes it.
 */
public final class SourceHttp {

    /** Exchange property holding the {@link SourceRequest} of a source call. */
    public static final String REQUEST = "sourceRequest";
    /** Exchange property holding the URL the route's {@code toD} calls. */
    public static final String URL = "sourceUrl";

    public void prepare(Exchange exchange) {
        SourceRequest<?> request = exchange.getProperty(REQUEST, SourceRequest.class);
        Message in = exchange.getMessage();
        in.removeHeaders("*");
        if (request.post()) {
            in.setHeader(Exchange.HTTP_METHOD, "POST");
            in.setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
            in.setBody(request.encodedParams());
        } else {
            in.setHeader(Exchange.HTTP_METHOD, "GET");
            in.setHeader(Exchange.HTTP_QUERY, request.encodedParams());
            in.setBody(null);
        }
        request.headers().forEach(in::setHeader);
        exchange.setProperty(URL, request.url());
    }

    public void read(Exchange exchange) throws IOException {
        SourceRequest<?> request = exchange.getProperty(REQUEST, SourceRequest.class);
        Message message = exchange.getMessage();
        try (InputStream body = message.getMandatoryBody(InputStream.class)) {
            Object result = request.reader().read(body);
            message.removeHeaders("*");
            message.setBody(result);
        } catch (org.apache.camel.InvalidPayloadException e) {
            throw new IOException("empty response from " + request, e);
        }
    }
}
