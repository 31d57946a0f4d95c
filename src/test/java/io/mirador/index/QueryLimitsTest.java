package io.mirador.index;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every costly part of a search is bounded exactly at its documented limit, and a refusal names the limit (and,
 * for a control character, where it stands), so a client can correct what it sent.
 */
class QueryLimitsTest {

    @Test
    void should_collapse_runs_of_stars_when_reading_a_wildcard_pattern() {
        // when
        String pattern = QueryLimits.wildcardPattern("the name pattern", "node_***_bytes**?");

        // then
        assertThat(pattern).isEqualTo("node_*_bytes*?");
    }

    @Test
    void should_measure_the_collapsed_pattern_when_runs_of_stars_make_it_long() {
        // given 300 characters that collapse to 3
        String stars = "a" + "*".repeat(298) + "b";

        // when
        String pattern = QueryLimits.wildcardPattern("the name pattern", stars);

        // then
        assertThat(pattern).isEqualTo("a*b");
    }

    @Test
    void should_accept_256_characters_and_refuse_257_naming_the_limit() {
        // given
        String atLimit = "x".repeat(QueryLimits.MAX_PATTERN_LENGTH);

        // when / then
        assertThat(QueryLimits.wildcardPattern("the label value", atLimit)).isEqualTo(atLimit);
        assertThatThrownBy(() -> QueryLimits.wildcardPattern("the label value", atLimit + "x"))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessage("the label value is 257 characters long; at most 256 are accepted");
    }

    @Test
    void should_accept_16_wildcards_and_refuse_17_naming_the_limit() {
        // given stars and question marks, each run of stars one wildcard
        String sixteen = "a**?".repeat(8);
        String seventeen = sixteen + "b*";

        // when / then
        assertThat(QueryLimits.wildcardPattern("the name pattern", sixteen)).isEqualTo("a*?".repeat(8));
        assertThatThrownBy(() -> QueryLimits.wildcardPattern("the name pattern", seventeen))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessage("the name pattern has 17 wildcards; at most 16 are accepted");
    }

    @Test
    void should_count_utf8_bytes_when_checking_a_word() {
        // given 171 characters of three bytes each: 513 bytes
        String euros = "\u20ac".repeat(171);
        String ascii = "a".repeat(QueryLimits.MAX_WORD_BYTES);

        // when / then
        assertThatCode(() -> QueryLimits.checkWord("the query word", ascii)).doesNotThrowAnyException();
        assertThatCode(() -> QueryLimits.checkWord("the query word", "\u20ac".repeat(170))).doesNotThrowAnyException();
        assertThatThrownBy(() -> QueryLimits.checkWord("the query word", euros))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessageStartingWith("the query word '" + "\u20ac".repeat(40) + "...'")
                .hasMessageContaining("is 513 bytes long; at most 512 are accepted");
    }

    @Test
    void should_allow_tab_and_line_breaks_when_checking_text() {
        // when / then
        assertThatCode(() -> QueryLimits.checkText("the query", "cpu\tload\nfree\r\nbytes")).doesNotThrowAnyException();
    }

    @Test
    void should_refuse_a_control_character_naming_it_and_its_position() {
        // when / then
        assertThatThrownBy(() -> QueryLimits.checkText("the query", "ab\u0000cd"))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessage("the query holds the control character U+0000 at position 3");
        assertThatThrownBy(() -> QueryLimits.checkText("the label value", "x\u007f"))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessage("the label value holds the control character U+007F at position 2");
        assertThatThrownBy(() -> QueryLimits.checkText("the query", "\u0085"))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining("U+0085 at position 1");
    }

    @Test
    void should_accept_64_filter_values_and_refuse_65_naming_the_limit() {
        // when / then
        assertThatCode(() -> QueryLimits.checkCount("types", QueryLimits.MAX_FILTER_VALUES)).doesNotThrowAnyException();
        assertThatThrownBy(() -> QueryLimits.checkCount("types", 65))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessage("types has 65 values; at most 64 are accepted");
    }
}
