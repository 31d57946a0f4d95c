package io.mirador.source;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class SelectorsTest {

    @Test
    void should_match_the_name_exactly_when_one_name_is_given() {
        // given
        List<String> names = List.of("a");

        // when
        String selector = Selectors.names(names);

        // then
        assertThat(selector).isEqualTo("{__name__=\"a\"}");
    }

    @Test
    void should_not_escape_regex_characters_when_one_name_is_matched_exactly() {
        // given a name with a regex metacharacter, matched with = rather than =~
        List<String> names = List.of("rec:rate.5m");

        // when
        String selector = Selectors.names(names);

        // then
        assertThat(selector).isEqualTo("{__name__=\"rec:rate.5m\"}");
    }

    @Test
    void should_build_an_escaped_alternation_when_several_names_are_given() {
        // given
        List<String> names = List.of("up", "rec:rate.5m", "node_load1");

        // when
        String selector = Selectors.names(names);

        // then the regex is up|rec:rate\.5m|node_load1, and its backslash doubled inside the PromQL string
        assertThat(selector).isEqualTo("{__name__=~\"up|rec:rate\\\\.5m|node_load1\"}");
    }

    @Test
    void should_escape_every_re2_metacharacter_when_text_is_a_literal() {
        // given
        String literal = "a\\b.c+d*e?f(g)h|i[j]k{l}m^n$o";

        // when
        String escaped = Selectors.escapeRegex(literal);

        // then
        assertThat(escaped).isEqualTo("a\\\\b\\.c\\+d\\*e\\?f\\(g\\)h\\|i\\[j\\]k\\{l\\}m\\^n\\$o");
        assertThat(Pattern.compile(escaped).matcher(literal).matches()).isTrue();
    }

    @Test
    void should_leave_plain_characters_when_text_has_no_metacharacters() {
        // given
        String literal = "node_cpu_seconds_total:rate5m-x";

        // when
        String escaped = Selectors.escapeRegex(literal);

        // then
        assertThat(escaped).isEqualTo(literal);
    }

    @Test
    void should_escape_quotes_backslashes_and_newlines_when_quoting() {
        // given
        String value = "say \"hi\"\\now\nend";

        // when
        String quoted = Selectors.quote(value);

        // then
        assertThat(quoted).isEqualTo("\"say \\\"hi\\\"\\\\now\\nend\"");
    }

    @Test
    void should_join_escaped_literals_with_pipes_when_building_an_alternation() {
        // given
        List<String> literals = List.of("a.b", "c|d", "e");

        // when
        String regex = Selectors.alternation(literals);

        // then
        assertThat(regex).isEqualTo("a\\.b|c\\|d|e");
        assertThat(Pattern.compile(regex).matcher("c|d").matches()).isTrue();
        assertThat(Pattern.compile(regex).matcher("aXb").matches()).isFalse();
    }

    @Test
    void should_escape_a_quote_in_a_name_when_several_names_are_given() {
        // given
        List<String> names = List.of("we\"ird", "back\\slash");

        // when
        String selector = Selectors.names(names);

        // then regex we"ird|back\\slash, quoted as a PromQL string
        assertThat(selector).isEqualTo("{__name__=~\"we\\\"ird|back\\\\\\\\slash\"}");
    }

    @Test
    void should_add_an_equality_matcher_when_one_label_value_is_given() {
        // given
        String selector = "{__name__=\"up\"}";

        // when
        String narrowed = Selectors.withLabelIn(selector, "job", List.of("v"));

        // then
        assertThat(narrowed).isEqualTo("{__name__=\"up\",job=\"v\"}");
    }

    @Test
    void should_add_a_regex_matcher_when_several_label_values_are_given() {
        // given
        String selector = "{__name__=\"up\"}";

        // when
        String narrowed = Selectors.withLabelIn(selector, "job", List.of("a", "b"));

        // then
        assertThat(narrowed).isEqualTo("{__name__=\"up\",job=~\"a|b\"}");
    }

    @Test
    void should_escape_label_values_when_they_hold_metacharacters() {
        // given
        String selector = Selectors.names(List.of("up"));

        // when
        String narrowed = Selectors.withLabelIn(selector, "instance", List.of("10.0.0.1:9100", "x\"y"));

        // then
        assertThat(narrowed).isEqualTo("{__name__=\"up\",instance=~\"10\\\\.0\\\\.0\\\\.1:9100|x\\\"y\"}");
    }

    @Test
    void should_match_absent_label_when_the_value_is_empty() {
        // given
        String selector = Selectors.names(List.of("up"));

        // when
        String narrowed = Selectors.withLabelIn(selector, "job", List.of(""));

        // then
        assertThat(narrowed).isEqualTo("{__name__=\"up\",job=\"\"}");
    }

    @Test
    void should_escape_prefix_and_append_wildcard_when_selecting_by_prefix() {
        // given
        String prefix = "rec:http.requests";

        // when
        String selector = Selectors.namePrefix(prefix);

        // then
        assertThat(selector).isEqualTo("{__name__=~\"rec:http\\\\.requests.*\"}");
    }

    @Test
    void should_select_by_plain_prefix_when_prefix_has_no_metacharacters() {
        // given
        String prefix = "node_";

        // when
        String selector = Selectors.namePrefix(prefix);

        // then
        assertThat(selector).isEqualTo("{__name__=~\"node_.*\"}");
    }
}
