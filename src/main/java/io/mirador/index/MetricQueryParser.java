package io.mirador.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns what a user types into a Lucene query over the metric fields. Every word must match a word of
 * the name, exactly or as its prefix; the exact name ranks first.
 */
public final class MetricQueryParser {

    private final Analyzer nameWords = MetricAnalyzers.nameWords();

    public Query parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        List<String> words = words(trimmed);
        if (words.isEmpty()) {
            return new MatchAllDocsQuery();
        }
        BooleanQuery.Builder allWords = new BooleanQuery.Builder();
        for (String word : words) {
            allWords.add(new BooleanQuery.Builder()
                    .add(new BoostQuery(new TermQuery(new Term(MetricFields.NAME_WORDS, word)), 2f), BooleanClause.Occur.SHOULD)
                    .add(new PrefixQuery(new Term(MetricFields.NAME_WORDS, word)), BooleanClause.Occur.SHOULD)
                    .build(), BooleanClause.Occur.MUST);
        }
        return new BooleanQuery.Builder()
                .add(new BoostQuery(new TermQuery(new Term(MetricFields.ID, trimmed)), 20f), BooleanClause.Occur.SHOULD)
                .add(allWords.build(), BooleanClause.Occur.SHOULD)
                .setMinimumNumberShouldMatch(1)
                .build();
    }

    /** The distinct lower-cased name words of {@code text}. */
    List<String> words(String text) {
        Set<String> out = new LinkedHashSet<>();
        try (TokenStream ts = nameWords.tokenStream(MetricFields.NAME_WORDS, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(out);
    }
}
