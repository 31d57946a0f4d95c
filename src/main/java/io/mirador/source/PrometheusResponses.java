package io.mirador.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.mirador.catalog.MetricMetadata;
import io.mirador.support.StringPool;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Streaming readers of the Prometheus API's JSON envelope ({@code {"status":"success","data":...}}):
 * nothing of a response is held beyond what the caller keeps, so a million series pass through in
 * constant memory.
 */
public final class PrometheusResponses {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private PrometheusResponses() {
    }

    /** Reads {@code data} as an array of strings (label names, label values, metric names). */
    public static List<String> strings(InputStream body) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            List<String> out = new ArrayList<>();
            enterData(p, JsonToken.START_ARRAY);
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.VALUE_STRING) {
                    throw new IOException("expected a string in data, found " + t);
                }
                out.add(p.getText());
            }
            return out;
        }
    }

    /**
     * Reads {@code data} as an array of series and hands each to {@code sink} as (metric name, labels
     * without {@code __name__}); the labels map is reused for the next series.
     */
    public static void series(InputStream body, BiConsumer<String, Map<String, String>> sink) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            enterData(p, JsonToken.START_ARRAY);
            Map<String, String> labels = new HashMap<>();
            // names and values repeat across series: one String each instead of one per series
            StringPool strings = new StringPool(1 << 16);
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw new IOException("expected a series object in data, found " + t);
                }
                labels.clear();
                String name = "";
                String key;
                while ((key = p.nextFieldName()) != null) {
                    if (p.nextToken() != JsonToken.VALUE_STRING) {
                        throw new IOException("label " + key + " has no string value");
                    }
                    String value = strings.get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    if (key.equals("__name__")) {
                        name = value;
                    } else {
                        labels.put(key, value);
                    }
                }
                sink.accept(name, labels);
            }
        }
    }

    /** Reads {@code /api/v1/metadata}: metric name to the first metadata entry the source lists for it. */
    public static Map<String, MetricMetadata> metadata(InputStream body) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            Map<String, MetricMetadata> out = new HashMap<>();
            enterData(p, JsonToken.START_OBJECT);
            String name;
            while ((name = p.nextFieldName()) != null) {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw new IOException("expected an array of metadata for " + name);
                }
                MetricMetadata first = null;
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String type = "";
                    String help = "";
                    String unit = "";
                    String field;
                    while ((field = p.nextFieldName()) != null) {
                        p.nextToken();
                        String v = p.getValueAsString("");
                        switch (field) {
                            case "type" -> type = v;
                            case "help" -> help = v;
                            case "unit" -> unit = v;
                            default -> p.skipChildren();
                        }
                    }
                    if (first == null) {
                        first = new MetricMetadata(type, help, unit);
                    }
                }
                if (first != null) {
                    out.put(name, first);
                }
            }
            return out;
        }
    }

    /** Moves the parser to the start of {@code data}, checking the envelope's status on the way. */
    private static void enterData(JsonParser p, JsonToken expected) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("response is not a JSON object");
        }
        String field;
        String status = null;
        String error = null;
        while ((field = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (field.equals("data") && "error".equals(status) == false) {
                if (t != expected) {
                    throw new IOException("expected data to be " + expected + ", found " + t);
                }
                return;
            }
            if (field.equals("status")) {
                status = p.getText();
            } else if (field.equals("error")) {
                error = p.getText();
            } else {
                p.skipChildren();
            }
        }
        throw new IOException("source answered status " + status + (error == null ? "" : ": " + error));
    }
}
