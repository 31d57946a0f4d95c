package io.mirador.index;

import io.mirador.catalog.MetricDocument;
import io.mirador.support.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vocabulary of a committed index answers what a query needs before it runs: which name words exist, which
 * start with a prefix (without the prefix itself, at most as many as asked), and which are within one or two
 * typos (a transposition counting as one, the first letter kept, nearest first).
 */
class VocabularyTest {

    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private TenantIndex index;
    private Vocabulary vocabulary;

    private static MetricDocument doc(String name, String help) {
        return new MetricDocument(name, name, "gauge", help, "", Map.of("job", "node"), List.of("job"), "t", AT, AT, AT,
                AT, 1, Map.of("job", List.of("node")), Map.of("job", 1L), MetricDocument.TYPE_SOURCE_METADATA, null, null);
    }

    @BeforeEach
    void indexSomeMetrics() {
        index = TenantIndex.open("t", dir.resolve("t"), new MetricDocumentCodec(Json.newMapper()));
        for (MetricDocument d : List.of(
                doc("node_memory_MemAvailable_bytes", "Bytes of free memory."),
                doc("http_requests_total", "Requests served."),
                doc("http_request_duration_seconds", ""),
                doc("disk_reads", ""),
                doc("disk_read_bytes", ""),
                doc("network_receive_bytes", ""))) {
            index.write(d, "sync-1");
        }
        index.commit(1);
        vocabulary = index.withSearcher(searcher -> index.vocabulary(searcher));
    }

    @AfterEach
    void close() {
        index.close();
    }

    @Test
    void should_know_a_name_word_when_a_committed_name_holds_it() {
        // when / then: words of names, lower-cased, camelCase runs whole and split
        assertThat(vocabulary.hasNameWord("memory")).isTrue();
        assertThat(vocabulary.hasNameWord("memavailable")).isTrue();
        assertThat(vocabulary.hasNameWord("available")).isTrue();
        assertThat(vocabulary.hasNameWord("requests")).isTrue();
        assertThat(vocabulary.hasNameWord("memor")).isFalse();
        assertThat(vocabulary.hasNameWord("MemAvailable")).isFalse();
        // and: a help word is not a name word
        assertThat(vocabulary.hasNameWord("free")).isFalse();
        assertThat(vocabulary.hasHelpWord("free")).isTrue();
    }

    @Test
    void should_not_know_words_written_after_the_commit_when_the_searcher_reads_the_commit() {
        // given
        index.write(doc("zookeeper_sessions", ""), "sync-2");

        // when
        Vocabulary same = index.withSearcher(searcher -> index.vocabulary(searcher));

        // then
        assertThat(same.hasNameWord("zookeeper")).isFalse();
        assertThat(same).isSameAs(vocabulary);
    }

    @Test
    void should_list_longer_words_without_the_prefix_itself_when_asked_for_a_prefix() {
        // when: "mem" is itself a word (of MemAvailable)
        List<String> longer = vocabulary.nameWordsStartingWith("mem", 10);

        // then
        assertThat(vocabulary.hasNameWord("mem")).isTrue();
        assertThat(longer).containsExactly("memavailable", "memory");
    }

    @Test
    void should_list_at_most_the_limit_in_order_when_many_words_start_with_the_prefix() {
        // when
        List<String> two = vocabulary.nameWordsStartingWith("re", 2);
        List<String> all = vocabulary.nameWordsStartingWith("re", 10);

        // then
        assertThat(two).containsExactly("read", "reads");
        assertThat(all).containsExactly("read", "reads", "receive", "request", "requests");
        assertThat(vocabulary.nameWordsStartingWith("zz", 10)).isEmpty();
    }

    @Test
    void should_find_a_word_one_edit_away_when_letters_are_swapped_missing_or_extra() {
        // when / then
        assertThat(vocabulary.nameWordsNear("memroy", 1, 10)).containsExactly(new Vocabulary.Near("memory", 1));
        assertThat(vocabulary.nameWordsNear("netwrk", 1, 10)).containsExactly(new Vocabulary.Near("network", 1));
        assertThat(vocabulary.nameWordsNear("networks", 1, 10)).containsExactly(new Vocabulary.Near("network", 1));
    }

    @Test
    void should_find_a_word_two_edits_away_only_when_two_edits_are_allowed() {
        // when
        List<Vocabulary.Near> one = vocabulary.nameWordsNear("avlable", 1, 10);
        List<Vocabulary.Near> two = vocabulary.nameWordsNear("avlable", 2, 10);

        // then
        assertThat(one).isEmpty();
        assertThat(two).containsExactly(new Vocabulary.Near("available", 2));
    }

    @Test
    void should_order_nearest_first_and_stop_at_the_limit_when_several_words_are_near() {
        // when
        List<Vocabulary.Near> near = vocabulary.nameWordsNear("requsts", 2, 10);
        List<Vocabulary.Near> first = vocabulary.nameWordsNear("requsts", 2, 1);

        // then
        assertThat(near).containsExactly(new Vocabulary.Near("requests", 1), new Vocabulary.Near("request", 2));
        assertThat(first).containsExactly(new Vocabulary.Near("requests", 1));
    }

    @Test
    void should_skip_a_word_one_edit_away_when_its_first_letter_differs() {
        // when: "bisk" is one substitution from "disk"
        List<Vocabulary.Near> near = vocabulary.nameWordsNear("bisk", 1, 10);

        // then
        assertThat(Vocabulary.editDistance("bisk", "disk", 1)).isEqualTo(1);
        assertThat(near).isEmpty();
        assertThat(vocabulary.nameWordsNear("dizk", 1, 10)).containsExactly(new Vocabulary.Near("disk", 1));
    }

    @Test
    void should_measure_optimal_string_alignment_distance_when_computing_edit_distance() {
        // when / then
        assertThat(Vocabulary.editDistance("memory", "memory", 2)).isZero();
        assertThat(Vocabulary.editDistance("memory", "memorx", 2)).isEqualTo(1);
        assertThat(Vocabulary.editDistance("memory", "memroy", 2)).isEqualTo(1);
        assertThat(Vocabulary.editDistance("ab", "ba", 2)).isEqualTo(1);
        assertThat(Vocabulary.editDistance("mem", "memory", 5)).isEqualTo(3);
        assertThat(Vocabulary.editDistance("", "abc", 5)).isEqualTo(3);
        assertThat(Vocabulary.editDistance("kitten", "sitting", 5)).isEqualTo(3);
        // a transposition is not edited again: optimal string alignment, not unrestricted Damerau-Levenshtein
        assertThat(Vocabulary.editDistance("ca", "abc", 5)).isEqualTo(3);
    }

    @Test
    void should_give_up_with_limit_plus_one_when_the_distance_exceeds_the_limit() {
        // when / then
        assertThat(Vocabulary.editDistance("abcdef", "uvwxyz", 2)).isEqualTo(3);
        assertThat(Vocabulary.editDistance("kitten", "sitting", 2)).isEqualTo(3);
        assertThat(Vocabulary.editDistance("kitten", "sitting", 3)).isEqualTo(3);
    }
}
