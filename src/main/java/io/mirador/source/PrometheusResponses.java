package io.mirador.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.mirador.catalog.MetricMetadata;
import io.mirador.support.StringPool;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
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
    /** The most points of one series of a range query, as Prometheus itself allows (11 000). */
    static final int MAX_POINTS = 11_000;

    private PrometheusResponses() {
    }

    /** Reads {@code data} as an array of strings (label names, label values, metric names). */
    public static List<String> strings(InputStream body) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            List<String> out = new ArrayList<>();
            Envelope envelope = enterData(p, JsonToken.START_ARRAY);
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.VALUE_STRING) {
                    throw new SourceAnswerException("expected a string in data, found " + t);
                }
                out.add(p.getText());
            }
            envelope.finish(p);
            return out;
        }
    }

    /**
     * Reads {@code data} as an array of series and hands each to {@code sink} as (metric name, labels
     * without {@code __name__}); the labels map is reused for the next series.
     */
    public static void series(InputStream body, BiConsumer<String, Map<String, String>> sink) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            Envelope envelope = enterData(p, JsonToken.START_ARRAY);
            Map<String, String> labels = new HashMap<>();
            // names and values repeat across series: one String each instead of one per series
            StringPool strings = new StringPool(1 << 16);
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw new SourceAnswerException("expected a series object in data, found " + t);
                }
                labels.clear();
                readLabels(p, strings, labels);
                String name = labels.remove("__name__");
                sink.accept(name == null ? "" : name, labels);
            }
            envelope.finish(p);
        }
    }

    /** Reads {@code /api/v1/metadata}: metric name to the first metadata entry the source lists for it. */
    public static Map<String, MetricMetadata> metadata(InputStream body) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            Map<String, MetricMetadata> out = new HashMap<>();
            Envelope envelope = enterData(p, JsonToken.START_OBJECT);
            String name;
            while ((name = p.nextFieldName()) != null) {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw new SourceAnswerException("expected an array of metadata for " + name);
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
            envelope.finish(p);
            return out;
        }
    }

    /**
     * Reads {@code /api/v1/status/tsdb} of {@code day}: {@code totalSeries} (VictoriaMetrics), the count of
     * {@code __name__} in {@code labelValueCountByLabelName} and {@code seriesCountByMetricName}; a field the answer
     * does not have is -1 (or empty).
     */
    public static SeriesCensus census(InputStream body, LocalDate day) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            long totalSeries = -1;
            long names = -1;
            Map<String, Long> seriesByName = new HashMap<>();
            Envelope envelope = enterData(p, JsonToken.START_OBJECT);
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                if (field.equals("totalSeries") && t.isNumeric()) {
                    totalSeries = p.getLongValue();
                } else if (field.equals("seriesCountByMetricName") && t == JsonToken.START_ARRAY) {
                    // a source that lists more than it was asked for is not held in memory beyond that
                    readCounts(p, (name, count) -> {
                        if (seriesByName.size() < PrometheusApi.CENSUS_NAMES) {
                            seriesByName.put(name, count);
                        }
                    });
                } else if (field.equals("labelValueCountByLabelName") && t == JsonToken.START_ARRAY) {
                    long[] nameCount = {-1};
                    readCounts(p, (label, count) -> {
                        if (label.equals("__name__")) {
                            nameCount[0] = count;
                        }
                    });
                    names = nameCount[0];
                } else {
                    p.skipChildren();
                }
            }
            envelope.finish(p);
            return new SeriesCensus(day, totalSeries, names, seriesByName);
        }
    }

    /**
     * Reads a range query's answer ({@code resultType} matrix): the first {@code max} series whole, the others
     * counted and skipped, so that a query matching a million series costs the preview no memory.
     */
    public static RangeSeries matrix(InputStream body, int max) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            Envelope envelope = enterData(p, JsonToken.START_OBJECT);
            List<RangeSeries.Series> kept = new ArrayList<>();
            int total = 0;
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                if (field.equals("resultType") && !"matrix".equals(p.getValueAsString())) {
                    throw new SourceAnswerException("expected a matrix, found " + p.getValueAsString());
                } else if (field.equals("result") && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        if (total++ < max) {
                            kept.add(rangeSeries(p));
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            envelope.finish(p);
            return new RangeSeries(kept, total);
        }
    }

    /** Reads a {@code {"label":"value",..}} object into {@code labels}, the parser at its start; a value that is no string is refused. */
    private static void readLabels(JsonParser p, StringPool strings, Map<String, String> labels) throws IOException {
        String key;
        while ((key = p.nextFieldName()) != null) {
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new SourceAnswerException("label " + key + " has no string value");
            }
            labels.put(key, strings.get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
        }
    }

    /** One {@code {"metric":{..},"values":[[t,"v"],..]}}, the parser at its start; at most {@link #MAX_POINTS} points. */
    private static RangeSeries.Series rangeSeries(JsonParser p) throws IOException {
        Map<String, String> labels = new java.util.TreeMap<>();
        double[] times = new double[64];
        double[] values = new double[64];
        int n = 0;
        String field;
        while ((field = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (field.equals("metric") && t == JsonToken.START_OBJECT) {
                readLabels(p, new StringPool(64), labels);
            } else if (field.equals("values") && t == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_ARRAY) {
                    if (n == MAX_POINTS) {
                        throw new SourceAnswerException("a series of the range query has more than " + MAX_POINTS + " points");
                    }
                    if (!p.nextToken().isNumeric()) {
                        throw new SourceAnswerException("a point of a range query has no number for its time");
                    }
                    double time = p.getDoubleValue();
                    p.nextToken();
                    double value = parseSample(p.getValueAsString());
                    if (p.nextToken() != JsonToken.END_ARRAY) {
                        throw new SourceAnswerException("a point of a range query is not [time, \"value\"]");
                    }
                    if (n == times.length) {
                        times = java.util.Arrays.copyOf(times, n * 2);
                        values = java.util.Arrays.copyOf(values, n * 2);
                    }
                    times[n] = time;
                    values[n++] = value;
                }
            } else {
                p.skipChildren();
            }
        }
        return new RangeSeries.Series(labels, java.util.Arrays.copyOf(times, n), java.util.Arrays.copyOf(values, n));
    }

    /** A sample value as Prometheus writes it: a number, {@code NaN}, {@code +Inf} or {@code -Inf}. */
    private static double parseSample(String text) throws SourceAnswerException {
        if (text == null) {
            throw new SourceAnswerException("a point of a range query has no value");
        }
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new SourceAnswerException("a point of a range query has the value '" + text + "'");
                }
            }
        };
    }

    /** Reads an array of {@code {"name":..,"value":..}} objects, the parser at its start. */
    private static void readCounts(JsonParser p, BiConsumer<String, Long> out) throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = null;
            long value = -1;
            String f;
            while ((f = p.nextFieldName()) != null) {
                p.nextToken();
                if (f.equals("name")) {
                    name = p.getValueAsString();
                } else if (f.equals("value")) {
                    value = p.getValueAsLong(-1);
                } else {
                    p.skipChildren();
                }
            }
            if (name != null && value >= 0) {
                out.accept(name, value);
            }
        }
    }

    /**
     * Moves the parser to the start of {@code data}, checking the envelope's fields on the way: an answer
     * that says it failed or is partial is refused before its data is read.
     */
    private static Envelope enterData(JsonParser p, JsonToken expected) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new SourceAnswerException("the answer is not a JSON object");
        }
        Envelope envelope = new Envelope();
        String field;
        while ((field = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (field.equals("data")) {
                envelope.refuseKnownFailure();
                if (t != expected) {
                    throw new SourceAnswerException("expected data to be " + describe(expected) + ", found " + t);
                }
                return envelope;
            }
            envelope.read(field, p);
        }
        envelope.refuseKnownFailure();
        throw new SourceAnswerException("the answer has no data");
    }

    private static String describe(JsonToken token) {
        return token == JsonToken.START_ARRAY ? "an array" : "an object";
    }

    /**
     * The fields around {@code data}: {@code status}, {@code isPartial} and {@code error}, wherever they
     * stand. Only a complete answer whose status is success may be used: anything else would make a sync
     * take metrics that are only missing from this answer for removed ones.
     */
    private static final class Envelope {
        private String status;
        private boolean partial;
        private String error;

        void read(String field, JsonParser p) throws IOException {
            switch (field) {
                case "status" -> status = p.getValueAsString();
                case "isPartial" -> partial = p.getValueAsBoolean();
                case "error" -> error = p.getValueAsString();
                default -> p.skipChildren();
            }
        }

        /** Refuses an answer whose fields so far say it failed or is partial. */
        void refuseKnownFailure() throws SourceAnswerException {
            if (status != null && !status.equals("success")) {
                throw new SourceAnswerException("the source answered status " + status
                        + (error == null ? "" : ": " + error));
            }
            if (partial) {
                throw new SourceAnswerException("the source answered a partial result (isPartial: true)");
            }
        }

        /** Reads the fields after {@code data} to the end of the answer, then refuses it unless it succeeded whole. */
        void finish(JsonParser p) throws IOException {
            String field;
            while ((field = p.nextFieldName()) != null) {
                p.nextToken();
                read(field, p);
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new SourceAnswerException("the answer ends before its JSON object closes");
            }
            refuseKnownFailure();
            if (status == null) {
                throw new SourceAnswerException("the answer has no status");
            }
        }
    }
}
