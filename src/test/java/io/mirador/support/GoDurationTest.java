package io.mirador.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoDurationTest {

    @ParameterizedTest(name = "{0} -> {1} ns")
    @CsvSource({
            "2m30s, 150000000000",
            "1h, 3600000000000",
            "1.5h, 5400000000000",
            "500ms, 500000000",
            "90s, 90000000000",
            "1h30m, 5400000000000",
            "1h0m0s, 3600000000000",
            "2.5s, 2500000000",
            ".5s, 500000000",
            "1500us, 1500000",
            "1500µs, 1500000",
            "15ns, 15",
            "0, 0",
            "0s, 0",
            "-1m, -60000000000",
            "+1m, 60000000000",
    })
    void should_read_go_durations_when_text_uses_go_units(String text, long nanos) {
        // given a Go time.Duration string

        // when
        Duration parsed = GoDuration.parse(text);

        // then
        assertThat(parsed).isEqualTo(Duration.ofNanos(nanos));
    }

    @Test
    void should_read_iso_8601_when_text_starts_with_P() {
        // given
        String iso = "PT15M";

        // when
        Duration parsed = GoDuration.parse(iso);

        // then
        assertThat(parsed).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void should_read_nanoseconds_when_text_is_an_integer() {
        // given fifteen minutes in nanoseconds, as the METRICS_METADATA_SYNC_* variables may hold it
        String nanos = "900000000000";

        // when
        Duration parsed = GoDuration.parse(nanos);

        // then
        assertThat(parsed).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void should_ignore_surrounding_whitespace_when_text_is_padded() {
        // given
        String padded = "  15m \n";

        // when
        Duration parsed = GoDuration.parse(padded);

        // then
        assertThat(parsed).isEqualTo(Duration.ofMinutes(15));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"soon", "15x", "1h 30m", "1e3s", "1h-30m", "m", "PT15X", "P1Y", "99999999999999999999",
            "999999999h"})
    void should_throw_naming_the_text_when_text_is_not_a_duration(String text) {
        // given a text that is none of the accepted forms (or does not fit)

        // when / then
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "   "})
    void should_throw_when_text_is_blank(String text) {
        // given an empty setting

        // when / then
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void should_throw_when_text_is_null() {
        // given no text at all

        // when / then
        assertThatThrownBy(() -> GoDuration.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"-", "+"})
    void should_throw_when_text_is_only_a_sign(String text) {
        // given a sign with no number, which Go's time.ParseDuration rejects ("time: invalid duration")

        // when / then
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    @ParameterizedTest(name = "{0} ns -> {1}")
    @CsvSource({
            "3600000000000, 1h0m0s",
            "900000000000, 15m0s",
            "150000000000, 2m30s",
            "5400000000000, 1h30m0s",
            "3600500000000, 1h0m0.5s",
            "61000000000, 1m1s",
            "2500000000, 2.5s",
            "1000001000, 1.000001s",
            "15000000, 15ms",
            "1500000, 1.5ms",
            "1500, 1.5µs",
            "15, 15ns",
            "0, 0s",
            "-90000000000, -1m30s",
            "-15000000, -15ms",
    })
    void should_format_like_go_when_duration_is_formatted(long nanos, String expected) {
        // given
        Duration d = Duration.ofNanos(nanos);

        // when
        String text = GoDuration.format(d);

        // then
        assertThat(text).isEqualTo(expected);
    }

    @Test
    void should_format_like_go_when_duration_is_the_smallest_go_duration() {
        // given Go's minimum Duration (math.MinInt64 nanoseconds), whose negation overflows a long
        Duration min = Duration.ofNanos(Long.MIN_VALUE);

        // when
        String text = GoDuration.format(min);

        // then Go prints it as "-2562047h47m16.854775808s"
        assertThat(text).isEqualTo("-2562047h47m16.854775808s");
    }

    @ParameterizedTest(name = "{0} ns")
    @ValueSource(longs = {0L, 1L, 999L, 1_500L, 15_000_000L, 2_500_000_000L, 90_000_000_000L, 900_000_000_000L,
            3_600_000_000_000L, 5_400_000_000_001L, 86_400_000_000_000L, -150_000_000_000L, Long.MAX_VALUE})
    void should_return_the_same_duration_when_formatted_text_is_parsed(long nanos) {
        // given
        Duration d = Duration.ofNanos(nanos);

        // when
        Duration back = GoDuration.parse(GoDuration.format(d));

        // then
        assertThat(back).isEqualTo(d);
    }
}
