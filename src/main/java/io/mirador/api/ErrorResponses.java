package io.mirador.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.security.AccessDeniedException;
import io.mirador.index.IndexUnavailableException;
import io.mirador.state.StateStoreException;
import io.mirador.sync.SyncConflictException;
import io.mirador.sync.SyncUnavailableException;
import io.mirador.tenant.UnknownTenantException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;

/**
 * Maps every failure of an API route to its status and {@link ApiError} body, in one place: the
 * client's mistakes are 4xx with a message saying what is wrong; anything else is a 500 whose body
 * names a log id, never a stack trace.
 */
public final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private final ObjectMapper json;

    public ErrorResponses(ObjectMapper json) {
        this.json = json;
    }

    /** Writes the caught exception of the exchange as the response. */
    public void respond(Exchange exchange) throws Exception {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Map.Entry<Integer, ApiError> response = map(caught);
        Message out = exchange.getMessage();
        out.removeHeaders("*", "Allow");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, response.getKey());
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (response.getKey() == 401) {
            out.setHeader("WWW-Authenticate", "Bearer");
        }
        out.setBody(json.writeValueAsBytes(response.getValue()));
    }

    Map.Entry<Integer, ApiError> map(Throwable caught) {
        Throwable t = unwrap(caught);
        if (t instanceof JsonProcessingException json) {
            t = JsonErrors.badBody(json);
        }
        if (t instanceof ApiException api) {
            return Map.entry(api.status(), new ApiError("error", api.errorType(), api.getMessage(), api.syncStatus()));
        }
        if (t instanceof AccessDeniedException denied) {
            return denied.isAuthenticated()
                    ? Map.entry(403, ApiError.of("forbidden", denied.getMessage()))
                    : Map.entry(401, ApiError.of("unauthorized", denied.getMessage()));
        }
        if (t instanceof UnknownTenantException unknown) {
            return Map.entry(404, ApiError.of("not_found", unknown.getMessage()));
        }
        if (t instanceof StateStoreException store) {
            LOG.error("state store: {}", store.getMessage());
            return Map.entry(503, ApiError.of("unavailable", "the sync state cannot be recorded, so nothing was done: "
                    + store.getMessage()));
        }
        if (t instanceof IndexUnavailableException index) {
            return Map.entry(503, ApiError.of("unavailable", index.getMessage()));
        }
        if (t instanceof SyncUnavailableException unavailable) {
            return Map.entry(503, ApiError.of("unavailable", unavailable.getMessage()));
        }
        if (t instanceof SyncConflictException conflict) {
            return Map.entry(409, new ApiError("error", "conflict", conflict.getMessage(), conflict.running()));
        }
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("internal error {}", id, t);
        return Map.entry(500, ApiError.of("internal", "internal error " + id + "; the service log has the details"));
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while (cur != null) {
            if (cur instanceof ApiException || cur instanceof UnknownTenantException || cur instanceof SyncConflictException
                    || cur instanceof AccessDeniedException || cur instanceof StateStoreException
                    || cur instanceof IndexUnavailableException || cur instanceof JsonProcessingException
                    || cur instanceof SyncUnavailableException) {
                return cur;
            }
            if (cur.getCause() == null || cur.getCause() == cur) {
                return t;
            }
            cur = cur.getCause();
        }
        return t;
    }
}
