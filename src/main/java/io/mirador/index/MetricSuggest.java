package io.mirador.index;

import io.mirador.catalog.MetricDocument;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Name completion for a search box: first the names that start with what was typed (any case), then
 * the names whose words start with the typed words ({@code mem avail} completes to
 * {@code node_memory_MemAvailable_bytes}), each group in name order. Thread-safe.
 */
public final class MetricSuggest {

    private static final Sort BY_NAME = new Sort(new SortField(MetricFields.NAME_SORT, SortField.Type.STRING));

    private final Analyzer nameWords = MetricAnalyzers.nameWords();

    public List<MetricDocument> suggest(TenantIndex index, String typed, int limit) {
        QueryLimits.checkText("q", typed);
        String prefix = typed.trim().toLowerCase(Locale.ROOT);
        QueryLimits.checkWord("q", prefix);
        if (prefix.isEmpty()) {
            return List.of();
        }
        Query startsWith = new PrefixQuery(new Term(MetricFields.NAME_LOWER, prefix));
        Query wordsStartWith = wordPrefixes(prefix);
        return index.withSearcher(searcher -> {
            Map<String, MetricDocument> out = new LinkedHashMap<>();
            collect(index, searcher, startsWith, limit, out);
            if (out.size() < limit && wordsStartWith != null) {
                collect(index, searcher, wordsStartWith, limit, out);
            }
            return new ArrayList<>(out.values());
        });
    }

    /** Every typed word must start a word of the name; family parts are left to the family. */
    private Query wordPrefixes(String typed) {
        List<String> words = MetricQueryBuilder.tokens(nameWords, typed);
        if (words.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (String w : words) {
            all.add(new PrefixQuery(new Term(MetricFields.NAME_WORDS, w)), Occur.FILTER);
        }
        all.add(new TermQuery(new Term(MetricFields.FOLDED, "1")), Occur.MUST_NOT);
        return all.build();
    }

    private static void collect(TenantIndex index, IndexSearcher searcher, Query query, int limit,
                                Map<String, MetricDocument> out) throws IOException {
        TopDocs top = searcher.search(query, limit + out.size(), BY_NAME);
        for (ScoreDoc sd : top.scoreDocs) {
            if (out.size() >= limit) {
                return;
            }
            MetricDocument doc = index.read(searcher, sd);
            out.putIfAbsent(doc.name(), doc);
        }
    }
}
