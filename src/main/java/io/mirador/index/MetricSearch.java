package io.mirador.index;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.queries.function.FunctionScoreQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MultiCollectorManager;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs searches on tenant indexes: parses, builds the query, collects one page with an exact total
 * (and facet counts when asked), reads and highlights the hits. Thread-safe.
 */
public final class MetricSearch {

    private static final SortField BY_NAME = new SortField(MetricFields.NAME_SORT, SortField.Type.STRING);
    private static final Map<String, String> FACETS = Map.of(
            "types", MetricFields.TYPE, "units", MetricFields.UNIT, "label_keys", MetricFields.LABEL_KEY);
    private static final int FACET_VALUES = 20;

    /** A search's mode: words only, or words and meaning. */
    public static final String LEXICAL = "lexical";
    public static final String SEMANTIC = "semantic";
    public static final String HYBRID = "hybrid";

    private final MetricQueryParser parser = new MetricQueryParser();
    private final MetricQueryBuilder builder;
    private final MetricHighlighter highlighter = new MetricHighlighter();
    /** The lexical score that counts half (0.5) in a hybrid search: about one word of a name matched. */
    private static final float LEXICAL_HALF = 4f;

    private final NearMetrics near;
    private final float semanticWeight;
    private final List<String> facetLabels;

    /** Lexical search only. */
    public MetricSearch() {
        this(NearMetrics.NONE, 0f, List.of());
    }

    /**
     * Hybrid search: a metric's score is its lexical score {@code s} brought into 0..1 as {@code s / (s + 4)}, plus
     * {@code semanticWeight} times its nearness in meaning (0 at the similarity floor, 1 for the same meaning). One
     * pass: no query runs first for the best lexical score.
     *
     * @param near        the metrics near a query in meaning
     * @param facetLabels labels whose values are counted as facets ({@code label:job}) beside type, unit and label key
     */
    public MetricSearch(NearMetrics near, float semanticWeight, List<String> facetLabels) {
        this.near = near;
        this.semanticWeight = semanticWeight;
        this.facetLabels = List.copyOf(facetLabels);
        this.builder = new MetricQueryBuilder(near::alternatives);
    }

    /** @throws QuerySyntaxException when the text cannot be read as a query */
    public SearchPage search(TenantIndex index, SearchQuery q) {
        ParsedQuery parsed = parser.parse(q.text());
        Sort sort = sort(q, parsed.hasFreeText());
        return index.withSearcher(searcher -> {
            MetricQueryBuilder.Built built = builder.build(parsed, q.filters(), index.vocabulary(searcher));
            Map<String, Float> nearby = nearby(index, searcher, parsed, built, q);
            if (nearby.isEmpty()) {
                return page(index, searcher, built, built.query(), Map.of(), sort, q);
            }
            BooleanQuery.Builder meaning = new BooleanQuery.Builder();
            nearby.forEach((id, nearness) -> meaning.add(new BoostQuery(new ConstantScoreQuery(
                    new TermQuery(new Term(MetricFields.ID, id))), semanticWeight * nearness), BooleanClause.Occur.SHOULD));
            BooleanQuery.Builder text = new BooleanQuery.Builder()
                    .add(meaning.build(), BooleanClause.Occur.SHOULD)
                    .add(new FunctionScoreQuery(built.text(), new SaturatedScore(LEXICAL_HALF)), BooleanClause.Occur.SHOULD);
            return page(index, searcher, built, built.withText(text.build()), nearby, sort, q);
        });
    }

    /**
     * The metrics near the query in meaning, or none: only for free text of two words or more (or a phrase) ranked by
     * relevance, unless one metric's name has every word typed; one word, such as one metric's exact name, and the words
     * of a name are searched by their words.
     */
    private Map<String, Float> nearby(TenantIndex index, IndexSearcher searcher, ParsedQuery parsed,
                                      MetricQueryBuilder.Built built, SearchQuery q) throws IOException {
        if (near == NearMetrics.NONE || !q.semantic() || !parsed.hasFreeText() || q.sort() != SearchQuery.SortOrder.RELEVANCE) {
            return Map.of();
        }
        // one word is a keyword (a name, a word of names, a prefix, a typo): its words find it; meaning is for phrases
        // and questions
        if (parsed.words().size() + parsed.phrases().size() < 2) {
            return Map.of();
        }
        // words some metric's name has every one of ("filesystem free") name metrics: ranked by those words, the metric
        // named by them comes first, where meaning would reorder them by what the model finds near
        if (!built.typedNameWords().isEmpty() && namesHaveAll(searcher, built.typedNameWords())) {
            return Map.of();
        }
        List<String> words = new ArrayList<>(parsed.words());
        words.addAll(parsed.phrases());
        return near.near(index.tenantId(), String.join(" ", words));
    }

    private static boolean namesHaveAll(IndexSearcher searcher, List<String> words) throws IOException {
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (String w : words) {
            all.add(new TermQuery(new Term(MetricFields.NAME_WORDS, w)), BooleanClause.Occur.FILTER);
        }
        return searcher.count(all.build()) > 0;
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
    private SearchPage page(TenantIndex index, IndexSearcher searcher, MetricQueryBuilder.Built built, Query query,
                            Map<String, Float> nearby, Sort sort, SearchQuery q) throws IOException {
        int wanted = q.offset() + q.limit();
        TopFieldCollectorManager topDocs = new TopFieldCollectorManager(sort, Math.max(1, wanted), null, Integer.MAX_VALUE, false);
        TopDocs top;
        Map<String, Map<String, Long>> facets = null;
        if (q.facets()) {
            Object[] both = searcher.search(query, new MultiCollectorManager(topDocs, new FacetCounts(FACETS, facetLabels, FACET_VALUES)));
            top = (TopDocs) both[0];
            facets = (Map<String, Map<String, Long>>) both[1];
        } else {
            top = searcher.search(query, topDocs);
        }
        IndexReader reader = searcher.getIndexReader();
        List<String> names = new ArrayList<>();
        for (int i = q.offset(); i < top.scoreDocs.length && i < wanted; i++) {
            names.add(DocValuesReader.sorted(reader, MetricFields.NAME_SORT, top.scoreDocs[i].doc));
        }
        Set<String> lexical = nearby.isEmpty() ? Set.of() : lexicalMatches(searcher, built.query(), names);
        List<SearchHit> hits = new ArrayList<>();
        for (int i = q.offset(); i < top.scoreDocs.length && i < wanted; i++) {
            ScoreDoc sd = top.scoreDocs[i];
            // the document JSON goes to the answer as it is: reading it into a document costs more than the search
            String name = names.get(i - q.offset());
            byte[] helpBytes = DocValuesReader.binary(reader, MetricFields.HELP_TEXT, sd.doc);
            String help = helpBytes == null ? "" : new String(helpBytes, java.nio.charset.StandardCharsets.UTF_8);
            byte[] source = DocValuesReader.binary(reader, MetricFields.SOURCE, sd.doc);
            index.codec().checkWellFormed(source);
            float score = sd instanceof FieldDoc fd && fd.fields.length > 0 && fd.fields[0] instanceof Float f ? f : sd.score;
            Map<String, String> marks = q.highlight() ? highlighter.highlight(name, help, built.nameWords(), built.helpWords()) : null;
            String match = nearby.isEmpty() ? null
                    : nearby.containsKey(name) ? (lexical.contains(name) ? HYBRID : SEMANTIC) : LEXICAL;
            hits.add(new SearchHit(name, source, Float.isNaN(score) ? 0f : score, marks, match));
        }
        return new SearchPage(hits, top.totalHits.value, facets, nearby.isEmpty() ? LEXICAL : HYBRID);
    }

    /** Which of these metrics the query's words match (the others were found by meaning alone). */
    private static Set<String> lexicalMatches(IndexSearcher searcher, Query lexical, List<String> names) throws IOException {
        if (names.isEmpty()) {
            return Set.of();
        }
        List<BytesRef> ids = new ArrayList<>(names.size());
        names.forEach(n -> ids.add(new BytesRef(n)));
        Query onPage = new BooleanQuery.Builder()
                .add(lexical, BooleanClause.Occur.MUST)
                .add(new TermInSetQuery(MetricFields.ID, ids), BooleanClause.Occur.FILTER)
                .build();
        Set<String> out = new HashSet<>();
        for (ScoreDoc sd : searcher.search(onPage, names.size()).scoreDocs) {
            out.add(DocValuesReader.sorted(searcher.getIndexReader(), MetricFields.NAME_SORT, sd.doc));
        }
        return out;
    }
}
