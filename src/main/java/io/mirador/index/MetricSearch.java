package io.mirador.index;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MultiCollectorManager;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs searches on tenant indexes: parses, builds the query, collects one page with an exact total
 * (and facet counts when asked), reads and highlights the hits. Thread-safe.
 */
public final class MetricSearch {

    private static final SortField BY_NAME = new SortField(MetricFields.NAME_SORT, SortField.Type.STRING);
    private static final Map<String, String> FACETS = Map.of(
            "types", MetricFields.TYPE, "units", MetricFields.UNIT, "label_keys", MetricFields.LABEL_KEY);
    private static final int FACET_VALUES = 20;

    private final MetricQueryParser parser = new MetricQueryParser();
    private final MetricQueryBuilder builder = new MetricQueryBuilder();
    private final MetricHighlighter highlighter = new MetricHighlighter();

    /** @throws QuerySyntaxException when the text cannot be read as a query */
    public SearchPage search(TenantIndex index, SearchQuery q) {
        ParsedQuery parsed = parser.parse(q.text());
        Sort sort = sort(q, parsed.hasFreeText());
        return index.withSearcher(searcher -> {
            MetricQueryBuilder.Built built = builder.build(parsed, q.filters(), index.vocabulary(searcher));
            return page(index, searcher, built, sort, q);
        });
    }

    private static Sort sort(SearchQuery q, boolean scored) {
        return switch (q.sort()) {
            // without free text every match scores the same: list by name
            case RELEVANCE -> scored ? new Sort(SortField.FIELD_SCORE, BY_NAME) : new Sort(BY_NAME);
            case NAME -> new Sort(new SortField(MetricFields.NAME_SORT, SortField.Type.STRING, !q.ascending()));
            case SERIES_COUNT -> new Sort(new SortField(MetricFields.SERIES_COUNT, SortField.Type.LONG, !q.ascending()), BY_NAME);
            case LAST_SEEN -> new Sort(new SortField(MetricFields.LAST_SEEN, SortField.Type.LONG, !q.ascending()), BY_NAME);
        };
    }

    @SuppressWarnings("unchecked")
    private SearchPage page(TenantIndex index, IndexSearcher searcher, MetricQueryBuilder.Built built, Sort sort,
                            SearchQuery q) throws IOException {
        Query query = built.query();
        int wanted = q.offset() + q.limit();
        TopFieldCollectorManager topDocs = new TopFieldCollectorManager(sort, Math.max(1, wanted), null, Integer.MAX_VALUE, false);
        TopDocs top;
        Map<String, Map<String, Long>> facets = null;
        if (q.facets()) {
            Object[] both = searcher.search(query, new MultiCollectorManager(topDocs, new FacetCounts(FACETS, FACET_VALUES)));
            top = (TopDocs) both[0];
            facets = (Map<String, Map<String, Long>>) both[1];
        } else {
            top = searcher.search(query, topDocs);
        }
        List<SearchHit> hits = new ArrayList<>();
        IndexReader reader = searcher.getIndexReader();
        for (int i = q.offset(); i < top.scoreDocs.length && i < wanted; i++) {
            ScoreDoc sd = top.scoreDocs[i];
            // the document JSON goes to the answer as it is: reading it into a document costs more than the search
            String name = DocValuesReader.sorted(reader, MetricFields.NAME_SORT, sd.doc);
            byte[] helpBytes = DocValuesReader.binary(reader, MetricFields.HELP_TEXT, sd.doc);
            String help = helpBytes == null ? "" : new String(helpBytes, java.nio.charset.StandardCharsets.UTF_8);
            byte[] source = DocValuesReader.binary(reader, MetricFields.SOURCE, sd.doc);
            index.codec().checkWellFormed(source);
            float score = sd instanceof FieldDoc fd && fd.fields.length > 0 && fd.fields[0] instanceof Float f ? f : sd.score;
            Map<String, String> marks = q.highlight() ? highlighter.highlight(name, help, built.nameWords(), built.helpWords()) : null;
            hits.add(new SearchHit(name, source, Float.isNaN(score) ? 0f : score, marks));
        }
        return new SearchPage(hits, top.totalHits.value, facets);
    }
}
