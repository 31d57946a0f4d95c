package io.mirador.source;

import io.mirador.tenant.Tenant;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a tenant's source answers now: one cheap query ({@code /api/v1/query?query=1}) with a short
 * timeout, remembered for a few seconds so health checks and probes do not load the source. Not a sync
 * call, so it bypasses the retry policy: health must answer fast.
 */
public final class SourceProbe {

    /** What the last probe of a source found. */
    public record Reachability(boolean reachable, String error, Instant checkedAt) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REMEMBER = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Clock clock;
    private final Map<String, Reachability> last = new ConcurrentHashMap<>();

    public SourceProbe(Clock clock) {
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
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tenant.apiBase() + "/api/v1/query?query=1"))
                .timeout(TIMEOUT).GET();
        tenant.headers().forEach(request::header);
        try {
            HttpResponse<Void> r = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() / 100 == 2 ? new Reachability(true, null, now)
                    : new Reachability(false, "answered " + r.statusCode(), now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reachability(false, "interrupted", now);
        } catch (Exception e) {
            String m = e.getMessage();
            return new Reachability(false, m == null || m.isBlank() ? e.getClass().getSimpleName() : m, now);
        }
    }
}
