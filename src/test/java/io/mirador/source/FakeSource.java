package io.mirador.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A source for unit tests, without network or processes: every request is answered by running its own reader on
 * the JSON an answer function chose from the request's URL and parameters (or by the {@link SourceException} that
 * function throws), and every request is recorded. {@link #of(int, List)} answers from an in-memory set of series
 * the way VictoriaMetrics does: label names, label values (with {@code limit}) and series of the {@code match[]}
 * selectors, a series call matching more than {@code maxSeries} refused with 422.
 */
final class FakeSource implements SourceCalls {

    /** One recorded call: the request, and for a series call how many series its selectors matched. */
    record Call(SourceRequest<?> request, int matched, boolean refused) {

        String path() {
            return pathOf(request);
        }

        List<String> selectors() {
            return param(request, "match[]");
        }
    }

    /** What the answer function returns: a JSON body, and the series count it matched (-1 when not a series call). */
    record Answer(String json, int matched) {
        static Answer of(String json) {
            return new Answer(json, -1);
        }
    }

    private final Function<SourceRequest<?>, Answer> answers;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

    FakeSource(Function<SourceRequest<?>, Answer> answers) {
        this.answers = answers;
    }

    /** A source answering every request with the same JSON. */
    static FakeSource answering(String json) {
        return new FakeSource(r -> Answer.of(json));
    }

    /** A source holding {@code series} (each a label set with {@code __name__}), refusing series calls over {@code maxSeries}. */
    static FakeSource of(int maxSeries, List<Map<String, String>> series) {
        return new FakeSource(r -> answerFromSeries(r, maxSeries, series));
    }

    @Override
    public <T> T call(SourceRequest<T> request) {
        Answer answer;
        try {
            answer = answers.apply(request);
        } catch (SourceException e) {
            calls.add(new Call(request, e.status() == 422 ? Integer.MAX_VALUE : -1, true));
            throw e;
        }
        calls.add(new Call(request, answer.matched(), false));
        try {
            // the request's own reader reads the answer, as the HTTP client would hand it over
            return request.reader().read(new ByteArrayInputStream(answer.json().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // as SourceHttpClient reports a refused or unreadable answer: the reader's exception is the cause
            throw new SourceReadException("cannot read " + request + ": " + e.getMessage(), e);
        }
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Calls to one API path ({@code /api/v1/series}, {@code /api/v1/labels}, {@code /api/v1/label/x/values}). */
    List<Call> calls(String path) {
        return calls().stream().filter(c -> c.path().equals(path)).collect(Collectors.toList());
    }

    static String pathOf(SourceRequest<?> request) {
        int at = request.url().indexOf("/api/v1/");
        return at < 0 ? request.url() : request.url().substring(at);
    }

    static List<String> param(SourceRequest<?> request, String name) {
        return request.params().stream().filter(p -> p.getKey().equals(name)).map(Map.Entry::getValue)
                .collect(Collectors.toList());
    }

    /** A {@code {"status":"success","data":[...]}} answer of strings. */
    static String strings(List<String> values) {
        return values.stream().map(FakeSource::jsonString)
                .collect(Collectors.joining(",", "{\"status\":\"success\",\"data\":[", "]}"));
    }

    /** A {@code {"status":"success","data":[...]}} answer of series. */
    static String series(List<Map<String, String>> series) {
        return series.stream()
                .map(s -> s.entrySet().stream().map(e -> jsonString(e.getKey()) + ":" + jsonString(e.getValue()))
                        .collect(Collectors.joining(",", "{", "}")))
                .collect(Collectors.joining(",", "{\"status\":\"success\",\"data\":[", "]}"));
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static Answer answerFromSeries(SourceRequest<?> request, int maxSeries, List<Map<String, String>> all) {
        List<Map<String, String>> matching = all.stream().filter(s -> matchesAny(request, s)).collect(Collectors.toList());
        String path = pathOf(request);
        if (path.equals("/api/v1/series")) {
            if (matching.size() > maxSeries) {
                throw new SourceException(422, request + " answered 422: the number of matching timeseries exceeds "
                        + maxSeries + "; narrow the selector or raise -search.maxSeries", null);
            }
            return new Answer(series(matching), matching.size());
        }
        if (path.equals("/api/v1/labels")) {
            TreeSet<String> names = new TreeSet<>();
            matching.forEach(s -> names.addAll(s.keySet()));
            return Answer.of(strings(new ArrayList<>(names)));
        }
        if (path.startsWith("/api/v1/label/") && path.endsWith("/values")) {
            String label = URLDecoder.decode(path.substring("/api/v1/label/".length(), path.length() - "/values".length()),
                    StandardCharsets.UTF_8);
            List<String> values = new ArrayList<>(matching.stream().map(s -> s.get(label)).filter(v -> v != null)
                    .collect(Collectors.toCollection(TreeSet::new)));
            List<String> limit = param(request, "limit");
            if (!limit.isEmpty()) {
                values = values.subList(0, Math.min(values.size(), Integer.parseInt(limit.get(0))));
            }
            return Answer.of(strings(values));
        }
        throw new SourceException(404, request + " answered 404", null);
    }

    /** Whether a series matches one of the request's selectors (every series when there are none). */
    private static boolean matchesAny(SourceRequest<?> request, Map<String, String> series) {
        List<String> selectors = param(request, "match[]");
        if (selectors.isEmpty()) {
            return true;
        }
        for (String selector : selectors) {
            if (Selector.parse(selector).matches(series)) {
                return true;
            }
        }
        return false;
    }

    /** A PromQL series selector of the form {@code {label op "value", ...}}, as {@link Selectors} writes them. */
    record Selector(List<Matcher> matchers) {

        record Matcher(String label, String op, String value) {
            boolean matches(Map<String, String> series) {
                String v = series.getOrDefault(label, "");
                return switch (op) {
                    case "=" -> v.equals(value);
                    case "!=" -> !v.equals(value);
                    case "=~" -> Pattern.compile("(?:" + value + ")").matcher(v).matches();
                    case "!~" -> !Pattern.compile("(?:" + value + ")").matcher(v).matches();
                    default -> throw new IllegalArgumentException(op);
                };
            }
        }

        boolean matches(Map<String, String> series) {
            return matchers.stream().allMatch(m -> m.matches(series));
        }

        /** The matchers by label, for assertions: label -> op + value. */
        Map<String, String> byLabel() {
            Map<String, String> out = new TreeMap<>();
            matchers.forEach(m -> out.merge(m.label(), m.op() + m.value(), (a, b) -> a + " " + b));
            return out;
        }

        static Selector parse(String text) {
            if (!text.startsWith("{") || !text.endsWith("}")) {
                throw new IllegalArgumentException("not a selector: " + text);
            }
            List<Matcher> matchers = new ArrayList<>();
            int i = 1;
            int end = text.length() - 1;
            while (i < end) {
                int opAt = i;
                while (Character.isLetterOrDigit(text.charAt(opAt)) || text.charAt(opAt) == '_') {
                    opAt++;
                }
                String label = text.substring(i, opAt);
                String op = text.startsWith("=~", opAt) ? "=~" : text.startsWith("!~", opAt) ? "!~"
                        : text.startsWith("!=", opAt) ? "!=" : text.startsWith("=", opAt) ? "=" : null;
                if (label.isEmpty() || op == null) {
                    throw new IllegalArgumentException("not a selector: " + text);
                }
                i = opAt + op.length();
                if (text.charAt(i) != '"') {
                    throw new IllegalArgumentException("unquoted value in " + text);
                }
                StringBuilder value = new StringBuilder();
                for (i++; text.charAt(i) != '"'; i++) {
                    char c = text.charAt(i);
                    if (c == '\\') {
                        char next = text.charAt(++i);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                i++;
                matchers.add(new Matcher(label, op, value.toString()));
                if (i < end && text.charAt(i) == ',') {
                    i++;
                }
            }
            return new Selector(matchers);
        }
    }

    /** A series: {@code __name__} and label pairs {@code k1, v1, k2, v2, ...}. */
    static Map<String, String> s(String name, String... labels) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("__name__", name);
        for (int i = 0; i < labels.length; i += 2) {
            out.put(labels[i], labels[i + 1]);
        }
        return out;
    }
}
