package io.mirador.index;

import io.mirador.index.ParsedQuery.Field;
import io.mirador.index.ParsedQuery.Filter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The query syntax is read as documented (words, phrases, field filters, label pairs, negation), and what cannot
 * be read, or would cost too much, is refused with a {@link QuerySyntaxException} saying what and where.
 */
class MetricQueryParserTest {

    private final MetricQueryParser parser = new MetricQueryParser();

    @Test
    void should_read_words_when_the_query_is_plain_text() {
        // given
        String query = "  node\tmemory\nfree  ";

        // when
        ParsedQuery parsed = parser.parse(query);

        // then
        assertThat(parsed.words()).containsExactly("node", "memory", "free");
        assertThat(parsed.phrases()).isEmpty();
        assertThat(parsed.filters()).isEmpty();
        assertThat(parsed.hasFreeText()).isTrue();
    }

    @Test
    void should_read_nothing_when_the_query_is_empty_or_null() {
        // when
        ParsedQuery empty = parser.parse("   ");
        ParsedQuery none = parser.parse(null);

        // then
        assertThat(empty.hasFreeText()).isFalse();
        assertThat(empty.filters()).isEmpty();
        assertThat(none.hasFreeText()).isFalse();
        assertThat(none.filters()).isEmpty();
    }

    @Test
    void should_read_a_phrase_trimmed_when_words_are_quoted() {
        // given
        String query = "disk \" free  bytes \" \"\"";

        // when
        ParsedQuery parsed = parser.parse(query);

        // then: the empty phrase adds nothing
        assertThat(parsed.words()).containsExactly("disk");
        assertThat(parsed.phrases()).containsExactly("free  bytes");
        assertThat(parsed.filters()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "type:counter, TYPE, counter",
            "unit:bytes, UNIT, bytes",
            "label:device, LABEL, device",
            "name:node_*, NAME, node_*",
            "help:memory, HELP, memory",
            "TYPE:Gauge, TYPE, Gauge",
    })
    void should_read_a_field_filter_when_a_known_field_is_followed_by_a_colon(String query, Field field, String value) {
        // when
        ParsedQuery parsed = parser.parse(query);

        // then
        assertThat(parsed.filters()).containsExactly(new Filter(field, null, value, false));
        assertThat(parsed.words()).isEmpty();
    }

    @Test
    void should_read_a_quoted_field_value_whole_when_it_holds_spaces() {
        // when
        ParsedQuery parsed = parser.parse("help:\"free memory\" cpu");

        // then
        assertThat(parsed.filters()).containsExactly(new Filter(Field.HELP, null, "free memory", false));
        assertThat(parsed.words()).containsExactly("cpu");
    }

    @Test
    void should_read_a_word_when_the_text_before_the_colon_is_not_a_field() {
        // when: a recording rule name
        ParsedQuery parsed = parser.parse("job:requests:rate5m");

        // then
        assertThat(parsed.words()).containsExactly("job:requests:rate5m");
        assertThat(parsed.filters()).isEmpty();
    }

    @Test
    void should_read_label_pairs_when_key_equals_value_or_key_not_equals_value() {
        // when
        ParsedQuery parsed = parser.parse("job=node instance!=a:9100 mode=\"idle time\"");

        // then
        assertThat(parsed.filters()).containsExactly(
                new Filter(Field.PAIR, "job", "node", false),
                new Filter(Field.PAIR, "instance", "a:9100", true),
                new Filter(Field.PAIR, "mode", "idle time", false));
        assertThat(parsed.words()).isEmpty();
    }

    @Test
    void should_read_a_word_when_the_text_before_the_equals_sign_is_not_a_label_key() {
        // when
        ParsedQuery parsed = parser.parse("1abc=x a-b=c");

        // then
        assertThat(parsed.words()).containsExactly("1abc=x", "a-b=c");
        assertThat(parsed.filters()).isEmpty();
    }

    @Test
    void should_negate_what_follows_when_it_starts_with_a_minus() {
        // when
        ParsedQuery parsed = parser.parse("cpu -idle -type:gauge -job=node -job!=vm -\"per second\"");

        // then: a negated not-equal is an equal, a negated phrase excludes help texts
        assertThat(parsed.words()).containsExactly("cpu");
        assertThat(parsed.phrases()).isEmpty();
        assertThat(parsed.filters()).containsExactly(
                new Filter(Field.WORD, null, "idle", true),
                new Filter(Field.TYPE, null, "gauge", true),
                new Filter(Field.PAIR, "job", "node", true),
                new Filter(Field.PAIR, "job", "vm", false),
                new Filter(Field.HELP, null, "per second", true));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {
            "-|1",
            "cpu - idle|5",
            "cpu -|5",
    })
    void should_refuse_a_minus_with_its_position_when_it_excludes_nothing(String query, int position) {
        // when / then
        assertThatThrownBy(() -> parser.parse(query))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining("'-' at position " + position + " excludes nothing");
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {
            "\"free bytes|unbalanced quote at position 1",
            "disk \"free|unbalanced quote at position 6",
            "help:\"free memory|unbalanced quote at position 6",
            "-\"free|unbalanced quote at position 2",
    })
    void should_refuse_an_unbalanced_quote_with_its_position(String query, String message) {
        // when / then
        assertThatThrownBy(() -> parser.parse(query))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            ":|':' at position 1 has nothing before it",
            "cpu =node|'=node' at position 5 has nothing before it",
            "cpu !=node|'!=node' at position 5 has nothing before it",
            "=|'=' at position 1 has nothing before it",
            "cpu type:|'type:' at position 5 has no value after the colon",
            "job=|'job=' at position 1 has no value after the equals sign",
            "job!=\"\"|'job!=\"\"' at position 1 has no value after the equals sign",
    })
    void should_refuse_an_operator_with_its_position_when_it_has_nothing_to_apply_to(String query, String message) {
        // when / then
        assertThatThrownBy(() -> parser.parse(query))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining(message);
    }

    @Test
    void should_accept_32_terms_and_refuse_33() {
        // given
        String thirtyTwo = "w ".repeat(MetricQueryParser.MAX_TERMS);
        String thirtyThree = thirtyTwo + "-x";

        // when
        ParsedQuery parsed = parser.parse(thirtyTwo);

        // then
        assertThat(parsed.words()).hasSize(32);
        assertThatThrownBy(() -> parser.parse(thirtyThree))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining("more than 32 terms");
    }

    @Test
    void should_accept_a_word_of_the_byte_limit_and_refuse_one_byte_more() {
        // given
        String atLimit = "a".repeat(QueryLimits.MAX_WORD_BYTES);
        String over = atLimit + "b";

        // when
        ParsedQuery parsed = parser.parse(atLimit);

        // then
        assertThat(parsed.words()).containsExactly(atLimit);
        assertThatThrownBy(() -> parser.parse(over))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining("the query word")
                .hasMessageContaining("513 bytes long")
                .hasMessageContaining("at most 512");
    }

    @Test
    void should_count_utf8_bytes_when_a_word_or_phrase_has_multibyte_characters() {
        // given 257 characters of two bytes each
        String word = "\u00e9".repeat(257);

        // when / then
        assertThatThrownBy(() -> parser.parse(word))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining("514 bytes long");
        assertThatThrownBy(() -> parser.parse("\"" + word + "\""))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining("the phrase");
    }

    @Test
    void should_refuse_a_control_character_with_its_position() {
        // given
        String query = "cpu\u0000 load";

        // when / then
        assertThatThrownBy(() -> parser.parse(query))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining("U+0000")
                .hasMessageContaining("at position 4");
        assertThatThrownBy(() -> parser.parse("a\u001bb"))
                .isInstanceOf(QuerySyntaxException.class)
                .hasMessageContaining("U+001B at position 2");
    }

    @Test
    void should_keep_filters_in_the_order_written_when_there_are_several() {
        // when
        ParsedQuery parsed = parser.parse("unit:bytes node type:gauge");

        // then
        assertThat(parsed.filters()).extracting(Filter::field).containsExactly(Field.UNIT, Field.TYPE);
        assertThat(parsed.words()).isEqualTo(List.of("node"));
    }
}
