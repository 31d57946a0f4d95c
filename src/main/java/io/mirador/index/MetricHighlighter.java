package io.mirador.index;

import io.mirador.catalog.MetricDocument;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Marks what a query matched in a result's name and help, analysing the text again (nothing extra is stored). Thread-safe. */
final class MetricHighlighter {

    private final UnifiedHighlighter highlighter = UnifiedHighlighter.builderWithoutSearcher(MetricAnalyzers.perField())
            .withFormatter(new DefaultPassageFormatter("<em>", "</em>", " ... ", false))
            .withMaxNoHighlightPassages(0)
            .withHandleMultiTermQuery(true)
            .build();

    Map<String, String> highlight(Query query, MetricDocument doc) {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "name", MetricFields.NAME_WORDS, query, doc.name());
        put(out, "help", MetricFields.HELP, query, doc.help());
        return out.isEmpty() ? null : out;
    }

    private void put(Map<String, String> out, String key, String field, Query query, String content) {
        if (content == null || content.isEmpty()) {
            return;
        }
        try {
            Object marked = highlighter.highlightWithoutSearcher(field, query, content, 1);
            if (marked != null && marked.toString().contains("<em>")) {
                out.put(key, marked.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
