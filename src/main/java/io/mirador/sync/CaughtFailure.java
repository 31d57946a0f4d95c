package io.mirador.sync;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;

/**
 * Closes a failure the {@code sync-run} route has caught: a source route's error handler that gave up marked the
 * exchange as failed and not handled, and that mark outlives the catch. Left there, the error handler of the API
 * route that asked for the sync would decline to answer the next exception (the API's own 503), leaving it to the
 * HTTP server as a bare 500.
 */
public final class CaughtFailure implements Processor {

    @Override
    public void process(Exchange exchange) {
        exchange.getExchangeExtension().setErrorHandlerHandled(null);
        exchange.getExchangeExtension().setFailureHandled(false);
        exchange.getExchangeExtension().setRedeliveryExhausted(false);
        exchange.removeProperty(ExchangePropertyKey.FAILURE_ENDPOINT);
        exchange.removeProperty(ExchangePropertyKey.FAILURE_ROUTE_ID);
    }
}
