package io.mirador.source;

import io.mirador.tenant.Tenant;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Lists every metric name of a tenant in a window. The source caps the list silently (VictoriaMetrics:
 * {@code -search.maxTagValues}, 100 000 by default), so a list as long as the cap is taken as cut and
 * read again split by name prefix until no part is cut.
 *
 * <p>A source may cap lower than {@code mirador.source.max-names} says. For a window that covers the whole current
 * day, the source's TSDB status says how many names have samples today, all of which are in the window: a list
 * shorter than that was cut at the source's own cap, and is read again by prefix with that cap. A list that still
 * falls short fails the read, naming both counts.
 */
public final class MetricNameReader {

    /** The characters a Prometheus metric name is made of; names with others are read by one extra call per prefix. */
    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:";

    /** The most UTC days a window is read day by day in, when its whole list is as long as the cap. */
    private static final int MAX_DAYS = 7;

    private final PrometheusApi api;
    private final int cap;

    /** @param cap the most names the source returns in one answer */
    public MetricNameReader(PrometheusApi api, int cap) {
        this.api = api;
        this.cap = cap;
    }

    /** All names, sorted. */
    public List<String> names(Tenant tenant, TimeWindow window) {
        List<String> all = api.labelValues(tenant, "__name__", List.of(), window, cap);
        int sourceCap = cap;
        long today = -1;
        // an empty list is no cut list: whether to believe it is the removal guard's question
        if (!all.isEmpty() && all.size() < cap && coversToday(window)) {
            today = api.nameCountOn(tenant, LocalDate.ofInstant(window.end(), ZoneOffset.UTC));
            if (today > all.size()) {
                // cut at the source's own cap, lower than ours
                sourceCap = all.size();
            }
        }
        if (all.size() < sourceCap) {
            List<String> sorted = new ArrayList<>(all);
            sorted.sort(null);
            return sorted;
        }
        if (all.size() >= cap) {
            Set<String> byDay = readByDay(tenant, window, all);
            if (byDay != null) {
                return new ArrayList<>(byDay);
            }
        }
        Set<String> names = new TreeSet<>();
        readPrefix(tenant, window, "", names, sourceCap);
        if (today > names.size()) {
            throw new SourceException(0, "the source lists at most " + sourceCap + " metric names per answer and holds "
                    + today + " today, of which only " + names.size() + " could be read by name prefix; raise its"
                    + " name limit (VictoriaMetrics: -search.maxTagValues)", null);
        }
        return new ArrayList<>(names);
    }

    /**
     * A list as long as the cap, read again one UTC day of the window at a time: a day's part that is shorter than the
     * cap is whole, and so is one as long as the names the source's TSDB status counts on that day (every name of the
     * part has samples that day). Name prefixes would do too, but a prefix selector makes VictoriaMetrics look at the
     * series of every matching name, which its {@code -search.maxUniqueTimeseries} refuses at ten million series; a day
     * needs no selector. Answers null when a part is cut all the same, or the window spans more than a week.
     */
    private Set<String> readByDay(Tenant tenant, TimeWindow window, List<String> whole) {
        List<TimeWindow> days = new ArrayList<>();
        Instant from = window.start();
        while (from.isBefore(window.end())) {
            Instant midnight = LocalDate.ofInstant(from, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant to = midnight.isBefore(window.end()) ? midnight.minusSeconds(1) : window.end();
            days.add(new TimeWindow(from, to));
            from = midnight;
        }
        if (days.size() < 2 || days.size() > MAX_DAYS) {
            return days.size() == 1 ? dayIfWhole(tenant, window, whole) : null;
        }
        Set<String> names = new TreeSet<>();
        for (TimeWindow day : days) {
            Set<String> part = dayIfWhole(tenant, day, api.labelValues(tenant, "__name__", List.of(), day, cap));
            if (part == null) {
                return null;
            }
            names.addAll(part);
        }
        return names;
    }

    /** The names of one day's part of a window, when they are whole; null when the list was cut. */
    private Set<String> dayIfWhole(Tenant tenant, TimeWindow day, List<String> listed) {
        if (listed.size() < cap || api.nameCountOn(tenant, LocalDate.ofInstant(day.start(), ZoneOffset.UTC)) == listed.size()) {
            return new TreeSet<>(listed);
        }
        return null;
    }

    /** Whether the window holds every sample of the current day (UTC) so far: a full sync's window ending now. */
    static boolean coversToday(TimeWindow window) {
        Instant now = Instant.now();
        Instant midnight = LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        return !window.start().isAfter(midnight) && !window.end().isBefore(now.minusSeconds(60));
    }

    private void readPrefix(Tenant tenant, TimeWindow window, String prefix, Set<String> into, int cap) {
        if (!prefix.isEmpty()) {
            into.addAll(api.labelValues(tenant, "__name__",
                    List.of(Selectors.names(List.of(prefix))), window, cap));
        }
        for (int i = 0; i < NAME_CHARS.length(); i++) {
            String longer = prefix + NAME_CHARS.charAt(i);
            List<String> part = api.labelValues(tenant, "__name__", List.of(Selectors.namePrefix(longer)), window, cap);
            if (part.size() < cap) {
                into.addAll(part);
            } else {
                readPrefix(tenant, window, longer, into, cap);
            }
        }
        String escaped = Selectors.escapeRegex(prefix);
        String others = "{__name__=~" + Selectors.quote(escaped + ".+") + ",__name__!~"
                + Selectors.quote(escaped + "[a-zA-Z0-9_:].*") + "}";
        List<String> odd = api.labelValues(tenant, "__name__", List.of(others), window, cap);
        if (odd.size() >= cap) {
            throw new SourceException(0, "more than " + cap + " metric names start with '" + prefix
                    + "' followed by characters outside [a-zA-Z0-9_:]; raise mirador.source.max-names", null);
        }
        into.addAll(odd);
    }
}
