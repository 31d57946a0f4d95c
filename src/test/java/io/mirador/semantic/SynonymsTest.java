package io.mirador.semantic;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped observability vocabulary reads, expands exporters' abbreviations and people's words, and a bad line is named. */
class SynonymsTest {

    static Synonyms shipped() throws IOException {
        try (InputStream in = SynonymsTest.class.getResourceAsStream("/vocabulary.txt")) {
            return Synonyms.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "vocabulary.txt");
        }
    }

    @Test
    void should_add_the_words_the_vocabulary_gives_when_a_text_has_an_abbreviation_or_a_synonym() throws IOException {
        // given
        Synonyms synonyms = shipped();

        // then
        assertThat(synonyms.expand("node vmstat pswpin")).startsWith("node vmstat pswpin (").contains("swapped");
        assertThat(synonyms.expand("how much ram is left")).contains("memory");
        assertThat(synonyms.expand("packets dropped by the network card")).contains("nic");
        assertThat(synonyms.expand("nothing to add here")).isEqualTo("nothing to add here");
        assertThat(synonyms.alternatives("ram")).contains("memory");
        assertThat(synonyms.alternatives("zzz")).isEmpty();
    }

    @Test
    void should_change_the_fingerprint_when_the_vocabulary_changes() {
        assertThat(Synonyms.parse("a, b", "x").fingerprint()).isNotEqualTo(Synonyms.parse("a, c", "x").fingerprint());
    }

    @Test
    void should_name_the_origin_when_a_line_cannot_be_read() {
        assertThatThrownBy(() -> Synonyms.parse("a => \n", "mirador.search.semantic.vocabulary (my.txt)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("my.txt");
    }

    @Test
    void should_expand_nothing_with_a_vocabulary_of_comments_only() {
        Synonyms none = Synonyms.parse("# nothing yet\n", "mirador.search.semantic.vocabulary (empty.txt)");

        assertThat(none.expand("is the disk almost full")).isEqualTo("is the disk almost full");
        assertThat(none.alternatives("ram")).isEmpty();
    }
}
