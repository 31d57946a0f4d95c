package io.mirador.index;

import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;

import java.util.ArrayList;
import java.util.List;

/** Runs searches on tenant indexes: parses, collects the page with an exact total, reads the hits' documents. */
public final class MetricSearch {

    /** Relevance first; equal scores by name, so pages are stable. */
    private static final Sort RELEVANCE = new Sort(SortField.FIELD_SCORE, new SortField(MetricFields.NAME_SORT, SortField.Type.STRING));

    private final MetricQueryParser parser = new MetricQueryParser();

    public SearchPage search(TenantIndex index, SearchQuery q) {
        Query query = parser.parse(q.text());
        return index.withSearcher(searcher -> page(index, searcher, query, q));
    }

    private static SearchPage page(TenantIndex index, IndexSearcher searcher, Query query, SearchQuery q)
            throws java.io.IOException {
        int wanted = q.offset() + q.limit();
        TopDocs top = searcher.search(query, new TopFieldCollectorManager(RELEVANCE, Math.max(1, wanted), null,
                Integer.MAX_VALUE, false));
        List<SearchHit> hits = new ArrayList<>();
        for (int i = q.offset(); i < top.scoreDocs.length && i < wanted; i++) {
            ScoreDoc sd = top.scoreDocs[i];
            float score = sd.score;
            if (Float.isNaN(score) && sd instanceof org.apache.lucene.search.FieldDoc fd && fd.fields[0] instanceof Float f) {
                score = f;
            }
            hits.add(new SearchHit(index.read(searcher, sd), score));
        }
        return new SearchPage(hits, top.totalHits.value);
    }
}
