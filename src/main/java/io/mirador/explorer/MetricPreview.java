package io.mirador.explorer;

import io.mirador.api.ApiException;
import io.mirador.source.PrometheusResponses;
import io.mirador.source.RangeSeries;
import io.mirador.source.SourceAnswerException;
import io.mirador.source.SourceException;
import io.mirador.source.SourceHttpClient;
import io.mirador.source.SourceReadException;
import io.mirador.source.SourceRequest;
import io.mirador.support.GoDuration;
import io.mirador.tenant.Tenant;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * Runs a metric's suggested query over a recent range at its tenant's source, with the tenant's credentials (they
 * stay here): at most {@link #MAX_SERIES} series, about {@link #POINTS} points each, within the preview timeout.
 */
public final class MetricPreview {

    /** The most series a preview shows. */
    public static final int MAX_SERIES = 10;
    /** About how many points each series has: the step is the range divided by this, at least 1 s. */
    static final int POINTS = 240;
    static final Duration SHORTEST = Duration.ofMinutes(1);
    static final Duration LONGEST = Duration.ofDays(7);
    /**
     * The most previews that run at once: they share the source connections with syncs and health probes, and a key that
     * may read could otherwise start as many week-long queries as it likes.
     */
    static final int AT_ONCE = 4;
    /** Addresses in what a source says (its own URL, a storage node's), not for the browser. */
    private static final Pattern ADDRESS = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://\\S+|\\d{1,3}(\\.\\d{1,3}){3}(:\\d+)?");

    private final Semaphore running = new Semaphore(AT_ONCE);

    private final SourceHttpClient http;
    private final Duration timeout;
    private final Clock clock;

    public MetricPreview(SourceHttpClient http, Duration timeout, Clock clock) {
        this.http = http;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** A preview: the query, its range and step, and its first series (the others counted). */
    public record Preview(String query, Duration range, Duration step, List<Line> series, int totalSeries, boolean truncated) {
    }

    /** One series of a preview: its labels and its points as [unix seconds, value] pairs (null for NaN and infinities). */
    public record Line(Map<String, String> labels, List<Number[]> points) {
    }

    public Preview run(Tenant tenant, String query, Duration range) {
        if (range.compareTo(SHORTEST) < 0 || range.compareTo(LONGEST) > 0) {
            throw ApiException.badData("range must be between 1m and 7d, was " + GoDuration.format(range));
        }
        if (!running.tryAcquire()) {
            throw new ApiException(503, "unavailable", AT_ONCE + " previews are running; try again in a moment");
        }
        try {
            return runAdmitted(tenant, query, range);
        } finally {
            running.release();
        }
    }

    private Preview runAdmitted(Tenant tenant, String query, Duration range) {
        Duration step = Duration.ofSeconds(Math.max(1, range.toSeconds() / POINTS));
        Instant end = clock.instant();
        Instant start = end.minus(range);
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("query", query));
        params.add(Map.entry("start", Long.toString(start.getEpochSecond())));
        params.add(Map.entry("end", Long.toString(end.getEpochSecond())));
        params.add(Map.entry("step", step.toSeconds() + "s"));
        params.add(Map.entry("timeout", timeout.toMillis() + "ms"));
        RangeSeries answer;
        try {
            answer = http.call(new SourceRequest<>(tenant.id(), tenant.apiBase() + "/api/v1/query_range", tenant.headers(),
                    params, true, body -> PrometheusResponses.matrix(body, MAX_SERIES)), timeout);
        } catch (SourceException e) {
            throw new ApiException(502, "unavailable", "the source of tenant " + tenant.id() + " answered the preview with "
                    + "status " + e.status() + sourceSays(e.getMessage()));
        } catch (SourceReadException e) {
            if (e.getCause() instanceof java.net.ConnectException
                    || e.getCause() instanceof org.apache.hc.client5.http.ConnectTimeoutException) {
                throw new ApiException(502, "unavailable", "the source of tenant " + tenant.id()
                        + " cannot be reached for the preview");
            }
            if (e.getCause() instanceof java.net.SocketTimeoutException) {
                throw new ApiException(504, "unavailable", "the source of tenant " + tenant.id()
                        + " did not answer the preview within " + GoDuration.format(timeout));
            }
            // what went wrong in words of ours: an I/O failure's message names the source's address
            String why = e.getCause() instanceof SourceAnswerException unreadable ? ": " + unreadable.getMessage() : "";
            throw new ApiException(502, "unavailable", "the source of tenant " + tenant.id()
                    + " could not be read for the preview" + why);
        }
        List<Line> lines = new ArrayList<>();
        for (RangeSeries.Series s : answer.series()) {
            List<Number[]> points = new ArrayList<>(s.times().length);
            for (int i = 0; i < s.times().length; i++) {
                double t = s.times()[i];
                double v = s.values()[i];
                points.add(new Number[] {t == Math.rint(t) ? (Number) (long) t : (Number) t, Double.isFinite(v) ? v : null});
            }
            lines.add(new Line(s.labels(), points));
        }
        return new Preview(query, range, step, lines, answer.total(), answer.truncated());
    }

    /** What the source said after the request line (the request's URL names the source, not for the browser). */
    private static String sourceSays(String message) {
        if (message == null) {
            return "";
        }
        int answered = message.indexOf(": ");
        return answered < 0 ? "" : ": " + ADDRESS.matcher(message.substring(answered + 2)).replaceAll("<address>");
    }
}
