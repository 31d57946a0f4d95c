package io.mirador.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.stream.Collectors;

/** Says what is wrong with a request body the REST binding could not read: the field, or the place in the text. */
final class JsonErrors {

    private JsonErrors() {
    }

    /** The 400 for a body that is not the JSON its endpoint reads. */
    static ApiException badBody(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return ApiException.badData("unknown field '" + abbreviate(u.getPropertyName()) + "'; known fields: "
                    + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        }
        if (e instanceof MismatchedInputException m) {
            return ApiException.badData(fieldOf(m) + ": " + firstLine(m.getOriginalMessage()));
        }
        if (e instanceof JsonMappingException m) {
            Throwable cause = m.getCause() != null ? m.getCause() : m;
            return ApiException.badData(fieldOf(m) + ": " + firstLine(cause.getMessage()));
        }
        return ApiException.badData("request body is not valid JSON: " + firstLine(e.getOriginalMessage())
                + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr()));
    }

    private static String fieldOf(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "request body" : "field '" + abbreviate(path) + "'";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
