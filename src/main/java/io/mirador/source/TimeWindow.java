package io.mirador.source;

import java.time.Duration;
import java.time.Instant;

/** The time range a sync reads; always sent as {@code start} and {@code end}, since without them VictoriaMetrics looks back only 5 minutes. */
public record TimeWindow(Instant start, Instant end) {

    public static TimeWindow endingAt(Instant end, Duration length) {
        return new TimeWindow(end.minus(length), end);
    }

    public String startParam() {
        return Long.toString(start.getEpochSecond());
    }

    /** The end rounded up to a whole second: samples of the current second are in the window. */
    public String endParam() {
        return Long.toString(end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0));
    }
}
