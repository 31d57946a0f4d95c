package io.mirador.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.core.KeywordAnalyzer;

import java.util.Map;

/** The analyzers of the metric fields: metric-name words, stemmed English help, keywords elsewhere. */
public final class MetricAnalyzers {

    private MetricAnalyzers() {
    }

    /** Lower-cased words of a metric name. */
    public static Analyzer nameWords() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                MetricNameTokenizer tokenizer = new MetricNameTokenizer();
                TokenStream stream = new LowerCaseFilter(tokenizer);
                return new TokenStreamComponents(tokenizer, stream);
            }
        };
    }

    /** The analyzer an index writer uses: one per text field, keyword for the rest. */
    public static Analyzer perField() {
        Analyzer words = nameWords();
        return new PerFieldAnalyzerWrapper(new KeywordAnalyzer(), Map.of(
                MetricFields.NAME_WORDS, words,
                MetricFields.LABEL_VALUE, words,
                MetricFields.HELP, new EnglishAnalyzer()));
    }
}
