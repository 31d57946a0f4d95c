package io.mirador.semantic;

import io.mirador.support.Sha256;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The observability vocabulary (Solr synonym format, a file teams can extend without a rebuild): what exporters write
 * in names ("pswpin", "nic", "fds") and what people call it. Applied with Lucene's synonym graph filter, it adds to a
 * text the words its vocabulary lines give for the words it has: a metric's text before it is embedded, a question
 * before it is searched. Thread-safe.
 */
public final class Synonyms {

    private final SynonymMap map;
    private final byte[] fingerprint;
    private final Analyzer expanding;

    private Synonyms(SynonymMap map, byte[] fingerprint) {
        this.map = map;
        this.fingerprint = fingerprint;
        this.expanding = new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer words = words();
                return new TokenStreamComponents(words, new SynonymGraphFilter(new LowerCaseFilter(words), Synonyms.this.map, true));
            }
        };
    }

    /**
     * Reads a vocabulary.
     *
     * @param origin names the vocabulary in an error (the setting and the file)
     * @throws IllegalArgumentException naming {@code origin} and the line when it cannot be read
     */
    public static Synonyms parse(String text, String origin) {
        Analyzer plain = new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String field) {
                Tokenizer words = words();
                return new TokenStreamComponents(words, new LowerCaseFilter(words));
            }
        };
        SolrSynonymParser parser = new SolrSynonymParser(true, true, plain);
        try (Reader in = new StringReader(text)) {
            parser.parse(in);
            return new Synonyms(parser.build(), Sha256.of(text));
        } catch (ParseException e) {
            throw new IllegalArgumentException(origin + ": line " + e.getErrorOffset() + " cannot be read: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(origin + " cannot be read", e);
        }
    }

    /** {@code text}, followed by the words the vocabulary adds to it (none: {@code text} as it is). */
    public String expand(String text) {
        if (map.fst == null) {
            return text; // a vocabulary without a line (the synonym filter refuses an empty map)
        }
        Set<String> added = new LinkedHashSet<>();
        try (TokenStream tokens = expanding.tokenStream("", text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            TypeAttribute type = tokens.addAttribute(TypeAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                if (SynonymGraphFilter.TYPE_SYNONYM.equals(type.type())) {
                    added.add(term.toString());
                }
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return added.isEmpty() ? text : text + " (" + String.join(" ", added) + ")";
    }

    /** The words the vocabulary gives for one word ("ram": memory, mem), lower case; none when it has no line for it. */
    public List<String> alternatives(String word) {
        String expanded = expand(word);
        if (expanded.equals(word)) {
            return List.of();
        }
        String added = expanded.substring(word.length() + 2, expanded.length() - 1);
        return List.of(added.split(" "));
    }

    /** Changes when the vocabulary does: what was embedded with another vocabulary is embedded again. */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** Words: letters and digits; everything else separates them ({@code node_load1} is node, load1). */
    private static Tokenizer words() {
        return CharTokenizer.fromSeparatorCharPredicate(c -> !Character.isLetterOrDigit(c));
    }
}
