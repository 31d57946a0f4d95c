package io.mirador.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.JsonMappingException;

import java.util.stream.Collectors;

/** Reads JSON request bodies; anything malformed is a 400 that names the field or the position. */
public final class RequestBodies {

    private final ObjectMapper json;

    /** @param json the service's mapping; bodies are read strictly: nothing after the value, no fractions for integers */
    public RequestBodies(ObjectMapper json) {
        this.json = json.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    /** Reads {@code body} as {@code type}; an empty body reads as {@code empty}. */
    public <T> T read(String body, Class<T> type, T empty) {
        if (body == null || body.isBlank()) {
            return empty;
        }
        try {
            T value = json.readValue(body, type);
            return value == null ? empty : value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badData("unknown field '" + e.getPropertyName() + "'; known fields: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (MismatchedInputException e) {
            throw ApiException.badData(fieldOf(e) + ": " + firstLine(e.getOriginalMessage()));
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw ApiException.badData(fieldOf(e) + ": " + firstLine(cause.getMessage()));
        } catch (JsonProcessingException e) {
            throw ApiException.badData("request body is not valid JSON: " + firstLine(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()));
        }
    }

    private static String fieldOf(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "request body" : "field '" + path + "'";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
