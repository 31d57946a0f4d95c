package io.mirador.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class MetricNameTokenizerTest {

    private static final List<String> NAMES = List.of(
            "node_cpu_seconds_total",
            "node_memory_MemAvailable_bytes",
            "rec:rule:sum",
            "a.b.c",
            "HTTPRequestsTotal",
            "MemAvailable",
            "go_gc_duration_seconds");

    /** One token as the analyzer emitted it. */
    private record Token(String term, int position, int start, int end) {
    }

    private static List<Token> analyze(String text) throws IOException {
        List<Token> out = new ArrayList<>();
        try (Analyzer analyzer = MetricAnalyzers.nameWords();
             TokenStream ts = analyzer.tokenStream(MetricFields.NAME_WORDS, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
            PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
            ts.reset();
            int position = -1;
            while (ts.incrementToken()) {
                position += inc.getPositionIncrement();
                out.add(new Token(term.toString(), position, offset.startOffset(), offset.endOffset()));
            }
            ts.end();
        }
        return out;
    }

    private static List<String> terms(String text) throws IOException {
        return analyze(text).stream().map(Token::term).toList();
    }

    @Test
    void should_split_on_underscores_when_name_is_snake_case() throws IOException {
        // given
        String name = "node_cpu_seconds_total";

        // when
        List<String> terms = terms(name);

        // then
        assertThat(terms).containsExactly("node", "cpu", "seconds", "total");
    }

    @Test
    void should_emit_run_then_its_parts_when_name_has_a_camel_case_run() throws IOException {
        // given
        String name = "node_memory_MemAvailable_bytes";

        // when
        List<String> terms = terms(name);

        // then
        assertThat(terms).containsExactly("node", "memory", "memavailable", "mem", "available", "bytes");
    }

    @Test
    void should_put_first_part_at_the_runs_position_when_run_is_camel_case() throws IOException {
        // given
        String name = "node_memory_MemAvailable_bytes";

        // when
        List<Token> tokens = analyze(name);

        // then "memavailable" and "mem" share a position; the words after it follow on
        assertThat(tokens).extracting(Token::term, Token::position).containsExactly(
                tuple("node", 0),
                tuple("memory", 1),
                tuple("memavailable", 2),
                tuple("mem", 2),
                tuple("available", 3),
                tuple("bytes", 4));
    }

    @Test
    void should_split_on_colons_when_name_is_a_recording_rule() throws IOException {
        // given
        String name = "rec:rule:sum";

        // when
        List<String> terms = terms(name);

        // then
        assertThat(terms).containsExactly("rec", "rule", "sum");
    }

    @Test
    void should_split_on_dots_when_name_is_dotted() throws IOException {
        // given
        String name = "a.b.c";

        // when
        List<String> terms = terms(name);

        // then
        assertThat(terms).containsExactly("a", "b", "c");
    }

    @Test
    void should_end_acronym_before_next_word_when_name_starts_with_an_acronym() throws IOException {
        // given
        String name = "HTTPRequestsTotal";

        // when
        List<String> terms = terms(name);

        // then
        assertThat(terms).containsExactly("httprequeststotal", "http", "requests", "total");
    }

    @Test
    void should_emit_nothing_when_name_has_no_letters_or_digits() throws IOException {
        // given
        String name = "_:._";

        // when
        List<String> terms = terms(name);

        // then
        assertThat(terms).isEmpty();
    }

    @Test
    void should_give_offsets_of_the_original_text_when_name_is_split() throws IOException {
        // given
        String name = "node_memory_MemAvailable_bytes";

        // when
        List<Token> tokens = analyze(name);

        // then every token's offsets cut its own word (any case) out of the name
        for (Token t : tokens) {
            assertThat(name.substring(t.start(), t.end()).toLowerCase()).isEqualTo(t.term());
        }
    }

    @Test
    void should_never_move_offsets_backwards_when_names_are_analyzed() throws IOException {
        for (String name : NAMES) {
            // given / when
            List<Token> tokens = analyze(name);

            // then
            int lastStart = 0;
            for (Token t : tokens) {
                assertThat(t.start()).as("%s: start of %s", name, t.term()).isGreaterThanOrEqualTo(lastStart);
                assertThat(t.end()).as("%s: end of %s", name, t.term()).isGreaterThanOrEqualTo(t.start());
                lastStart = t.start();
            }
        }
    }

    @Test
    void should_index_and_find_words_when_names_go_through_the_per_field_analyzer() throws IOException {
        // given
        try (Directory dir = new ByteBuffersDirectory()) {
            try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig(MetricAnalyzers.perField()))) {
                for (String name : NAMES) {
                    Document doc = new Document();
                    doc.add(new StringField(MetricFields.ID, name, Field.Store.YES));
                    doc.add(new TextField(MetricFields.NAME_WORDS, name, Field.Store.NO));

                    // when (IndexWriter refuses offsets that go backwards with IllegalArgumentException)
                    writer.addDocument(doc);
                }
            }

            // then
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                assertThat(reader.numDocs()).isEqualTo(NAMES.size());
                assertThat(searcher.count(new TermQuery(new Term(MetricFields.NAME_WORDS, "available")))).isEqualTo(2);
                assertThat(searcher.count(new TermQuery(new Term(MetricFields.NAME_WORDS, "memavailable")))).isEqualTo(2);
                assertThat(searcher.count(new TermQuery(new Term(MetricFields.NAME_WORDS, "requests")))).isEqualTo(1);
                assertThat(searcher.count(new TermQuery(new Term(MetricFields.NAME_WORDS, "rule")))).isEqualTo(1);
                assertThat(searcher.count(new PhraseQuery(MetricFields.NAME_WORDS, "memory", "mem", "available")))
                        .isEqualTo(1);
            }
        }
    }
}
