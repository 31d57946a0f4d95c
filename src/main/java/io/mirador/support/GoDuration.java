package io.mirador.support;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations the way Go's {@code time.Duration} does ("2m30s", "1h0m0s", "15ms"),
 * and also accepts ISO-8601 ("PT15M") and integer nanoseconds ("900000000000"), the three forms the
 * API and the METRICS_METADATA_SYNC_* variables accept.
 */
public final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h|d)");
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");

    private GoDuration() {
    }

    /**
     * Parses one of the three accepted forms.
     *
     * @throws IllegalArgumentException naming the text when it is none of them
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String s = text.trim();
        if (INTEGER.matcher(s).matches()) {
            try {
                return Duration.ofNanos(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("duration '" + text + "' is out of range");
            }
        }
        if (s.startsWith("P") || s.startsWith("p") || s.startsWith("-P")) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration");
            }
        }
        return parseGo(s, text);
    }

    private static Duration parseGo(String s, String original) {
        boolean negative = s.startsWith("-");
        String body = negative || s.startsWith("+") ? s.substring(1) : s;
        if (body.isEmpty()) {
            throw new IllegalArgumentException("'" + original + "' is not a duration");
        }
        if (body.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(body);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (at < body.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("'" + original
                        + "' is not a duration (use forms like 90s, 15m, 1h30m, PT15M or integer nanoseconds)");
            }
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            at = m.end();
        }
        try {
            long n = nanos.longValueExact();
            return Duration.ofNanos(negative ? -n : n);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration '" + original + "' is out of range or finer than a nanosecond");
        }
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> throw new IllegalArgumentException(unit);
        };
    }

    /**
     * Formats as Go's {@code Duration.String()}: "1h0m0s", "2m30s", "2.5s", "15ms", "0s". Durations longer
     * than Go's (about 292 years) are written the same way, never refused.
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        Duration a = d;
        if (d.isNegative()) {
            sb.append('-');
            a = d.negated();
        }
        long seconds = a.getSeconds();
        long nanos = a.getNano();
        if (seconds == 0) {
            if (nanos < 1_000L) {
                return sb.append(nanos).append("ns").toString();
            }
            if (nanos < 1_000_000L) {
                return sb.append(fraction(nanos, 1_000L)).append("µs").toString();
            }
            return sb.append(fraction(nanos, 1_000_000L)).append("ms").toString();
        }
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            sb.append(minutes).append('m');
        }
        return sb.append(fraction(rest * 1_000_000_000L + nanos, 1_000_000_000L)).append('s').toString();
    }

    private static String fraction(long value, long unit) {
        long whole = value / unit;
        long rest = value % unit;
        if (rest == 0) {
            return Long.toString(whole);
        }
        StringBuilder digits = new StringBuilder(Long.toString(rest));
        while (digits.length() < Long.toString(unit).length() - 1) {
            digits.insert(0, '0');
        }
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return whole + "." + digits.substring(0, end);
    }
}
