package io.mirador.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Marks the words a search matched in a result's name and help, {@code <em>like this</em>}: the text is
 * analysed as it was indexed, and every word the query matched (exactly, by prefix or as a typo) is marked.
 * Thread-safe.
 */
final class MetricHighlighter {

    private final Analyzer nameWords = MetricAnalyzers.nameWords();
    private final Analyzer english = new EnglishAnalyzer();

    /** The marked name and help, only those with a match; null when nothing matched. */
    Map<String, String> highlight(String name, String help, Set<String> matchedNameWords, Set<String> matchedHelpWords) {
        Map<String, String> out = new LinkedHashMap<>();
        mark(out, "name", nameWords, name, matchedNameWords);
        mark(out, "help", english, help, matchedHelpWords);
        return out.isEmpty() ? null : out;
    }

    private static void mark(Map<String, String> out, String key, Analyzer analyzer, String text, Set<String> matched) {
        if (text == null || text.isEmpty() || matched.isEmpty()) {
            return;
        }
        List<int[]> spans = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(key, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                if (matched.contains(term.toString())) {
                    spans.add(new int[] {offset.startOffset(), offset.endOffset()});
                }
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (spans.isEmpty()) {
            return;
        }
        spans.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(b[1], a[1]));
        StringBuilder sb = new StringBuilder(text.length() + spans.size() * 9);
        int at = 0;
        for (int[] span : spans) {
            if (span[0] < at) {
                continue;
            }
            sb.append(text, at, span[0]).append("<em>").append(text, span[0], span[1]).append("</em>");
            at = span[1];
        }
        out.put(key, sb.append(text.substring(at)).toString());
    }
}
