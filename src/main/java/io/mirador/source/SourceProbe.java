package io.mirador.source;

import io.mirador.tenant.Tenant;

import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a tenant's source answers now: one cheap query ({@code /api/v1/query?query=1}) with a short
 * timeout, remembered for a few seconds so health checks and probes do not load the source. Not a sync
 * step, so it is never retried: health must answer fast.
 */
public final class SourceProbe {

    /** What the last probe of a source found. */
    public record Reachability(boolean reachable, String error, Instant checkedAt) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REMEMBER = Duration.ofSeconds(5);

    private final SourceHttpClient http;
    private final Clock clock;
    private final Map<String, Reachability> last = new ConcurrentHashMap<>();

    public SourceProbe(SourceHttpClient http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    public Reachability check(Tenant tenant) {
        Reachability known = last.get(tenant.id());
        Instant now = clock.instant();
        if (known != null && known.checkedAt().plus(REMEMBER).isAfter(now)) {
            return known;
        }
        Reachability fresh = probe(tenant, now);
        last.put(tenant.id(), fresh);
        return fresh;
    }

    private Reachability probe(Tenant tenant, Instant now) {
        SourceRequest<Boolean> query = new SourceRequest<>(tenant.id(), tenant.apiBase() + "/api/v1/query", tenant.headers(),
                List.of(Map.entry("query", "1")), false, body -> {
                    body.transferTo(OutputStream.nullOutputStream());
                    return true;
                });
        try {
            http.call(query, TIMEOUT);
            return new Reachability(true, null, now);
        } catch (SourceException e) {
            return new Reachability(false, "answered " + e.status(), now);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String m = cause.getMessage();
            return new Reachability(false, m == null || m.isBlank() ? cause.getClass().getSimpleName() : m, now);
        }
    }
}
