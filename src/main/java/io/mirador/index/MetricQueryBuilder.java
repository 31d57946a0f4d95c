package io.mirador.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the Lucene query of a search. Ranking: the exact name first, then
 * names starting with what was typed, then names containing every word, then help texts. Each word
 * matches the best of its readings: a word of the name (exactly, as a prefix, or within one or two
 * typos), a stemmed word of the help, a unit, a type, a label key or a label value.
 */
public final class MetricQueryBuilder {

    /** Most states a wildcard may determinize to; more is a pattern built to be slow, refused. */
    private static final int MAX_WILDCARD_STATES = 2_000;
    /** Most name words a prefix is expanded to. */
    private static final int MAX_EXPANSIONS = 64;
    /** Most name words a typo is read as. */
    private static final int MAX_TYPO_READINGS = 20;

    /** Boost of a word's reading through the vocabulary, below its own readings. */
    private static final float ALTERNATIVE = 1.2f;

    private final Analyzer nameWords = MetricAnalyzers.nameWords();
    private final Analyzer english = new EnglishAnalyzer();
    private final Function<String, List<String>> alternatives;

    /** Words read as they are. */
    public MetricQueryBuilder() {
        this(word -> List.of());
    }

    /** @param alternatives other words for a word (the observability vocabulary), read as its readings too */
    public MetricQueryBuilder(Function<String, List<String>> alternatives) {
        this.alternatives = alternatives;
    }

    /**
     * A query ready to run, with the words it matches in names and help texts (for highlighting), and the words typed
     * when every one is a word of some metric's name ("filesystem free"), else none.
     */
    public record Built(BooleanQuery query, Set<String> nameWords, Set<String> helpWords, List<String> typedNameWords) {

        /** The same query with {@code text} as its scored part (its first clause), the filters kept. */
        public Query withText(Query text) {
            BooleanQuery.Builder top = new BooleanQuery.Builder().add(text, Occur.MUST);
            for (BooleanClause c : query.clauses().subList(1, query.clauses().size())) {
                top.add(c);
            }
            return top.build();
        }

        /** The scored part: the free text, or every document. */
        public Query text() {
            return query.clauses().get(0).getQuery();
        }
    }

    /**
     * @param vocabulary the words of the commit the query will run on: prefixes and typos are expanded
     *                   against it here, so no automaton is built per search
     */
    public Built build(ParsedQuery parsed, SearchFilters filters, Vocabulary vocabulary) {
        Set<String> nameTerms = new java.util.HashSet<>();
        Set<String> helpTerms = new java.util.HashSet<>();
        List<String> typedNameWords = new ArrayList<>();
        boolean onlyNameWords = parsed.phrases().isEmpty();
        for (String word : parsed.words()) {
            for (String token : tokens(nameWords, word)) {
                if (!isStopWord(token)) {
                    onlyNameWords &= vocabulary.hasNameWord(token);
                    typedNameWords.add(token);
                }
            }
        }
        BooleanQuery.Builder top = new BooleanQuery.Builder();
        Query text = freeText(parsed, vocabulary, nameTerms, helpTerms);
        top.add(text == null ? new MatchAllDocsQuery() : text, Occur.MUST);
        for (ParsedQuery.Filter f : parsed.filters()) {
            top.add(filter(f), f.negated() ? Occur.MUST_NOT : Occur.FILTER);
        }
        foldFamilyParts(top, parsed);
        QueryLimits.checkCount("types", filters.types().size());
        QueryLimits.checkCount("units", filters.units().size());
        QueryLimits.checkCount("labels", filters.labels().size());
        anyOf(top, MetricFields.TYPE, filters.types());
        anyOf(top, MetricFields.UNIT, filters.units());
        for (Map.Entry<String, String> label : filters.labels().entrySet()) {
            top.add(pair(label.getKey(), label.getValue()), Occur.FILTER);
        }
        return new Built(top.build(), nameTerms, helpTerms, onlyNameWords ? typedNameWords : List.of());
    }

    /**
     * Hides the parts of histogram and summary families behind the family's own document, unless the
     * query names the part exactly or filters by name pattern.
     */
    private static void foldFamilyParts(BooleanQuery.Builder top, ParsedQuery parsed) {
        for (ParsedQuery.Filter f : parsed.filters()) {
            if (f.field() == ParsedQuery.Field.NAME && !f.negated()) {
                return;
            }
        }
        BooleanQuery.Builder shown = new BooleanQuery.Builder()
                .add(new BooleanQuery.Builder()
                        .add(new MatchAllDocsQuery(), Occur.MUST)
                        .add(new TermQuery(new Term(MetricFields.FOLDED, "1")), Occur.MUST_NOT)
                        .build(), Occur.SHOULD);
        if (parsed.words().size() == 1) {
            shown.add(new TermQuery(new Term(MetricFields.ID, parsed.words().get(0))), Occur.SHOULD);
        }
        top.add(shown.build(), Occur.FILTER);
    }

    /** The scored part: words and phrases; null when there is none. */
    private Query freeText(ParsedQuery parsed, Vocabulary vocabulary, Set<String> nameTerms, Set<String> helpTerms) {
        if (!parsed.hasFreeText()) {
            return null;
        }
        // each typed word must match as a whole (all its name tokens); of three or more typed words one
        // may miss, since people type words a metric does not have
        List<Query> typedWords = new ArrayList<>();
        boolean onlyOneWord = parsed.words().size() == 1;
        for (String word : parsed.words()) {
            BooleanQuery.Builder all = new BooleanQuery.Builder();
            int clauses = 0;
            for (String token : tokens(nameWords, word)) {
                if (onlyOneWord || !isStopWord(token)) {
                    all.add(tokenQuery(token, vocabulary, nameTerms, helpTerms, onlyOneWord), Occur.MUST);
                    clauses++;
                }
            }
            if (clauses > 0) {
                typedWords.add(all.build());
            }
        }
        BooleanQuery.Builder words = new BooleanQuery.Builder();
        for (Query q : typedWords) {
            words.add(q, Occur.SHOULD);
        }
        words.setMinimumNumberShouldMatch(typedWords.size() <= 2 ? typedWords.size() : typedWords.size() - 1);
        for (String phrase : parsed.phrases()) {
            words.add(phraseQuery(phrase), Occur.MUST);
        }
        BooleanQuery.Builder text = new BooleanQuery.Builder().add(words.build(), Occur.SHOULD);
        if (parsed.words().size() == 1 && parsed.phrases().isEmpty()) {
            String typed = parsed.words().get(0);
            text.add(new BoostQuery(new TermQuery(new Term(MetricFields.ID, typed)), 30f), Occur.SHOULD);
            if (typed.length() >= 3) {
                text.add(new BoostQuery(new PrefixQuery(new Term(MetricFields.ID, typed)), 8f), Occur.SHOULD);
            }
        }
        return text.setMinimumNumberShouldMatch(1).build();
    }

    /**
     * The readings of one word; the best one counts, the others a little. A word no name or help text
     * has is taken as a typo: the name words within one edit (two for words of seven letters or more)
     * are read instead.
     */
    private Query tokenQuery(String token, Vocabulary vocabulary, Set<String> nameTerms, Set<String> helpTerms,
                             boolean withAlternatives) {
        List<Query> readings = new ArrayList<>();
        boolean known = false;
        if (vocabulary.hasNameWord(token)) {
            readings.add(new BoostQuery(new TermQuery(new Term(MetricFields.NAME_WORDS, token)), 4f));
            nameTerms.add(token);
            known = true;
        }
        if (token.length() >= 2) {
            List<String> longer = vocabulary.nameWordsStartingWith(token, MAX_EXPANSIONS);
            if (!longer.isEmpty()) {
                readings.add(new BoostQuery(new ConstantScoreQuery(termSet(MetricFields.NAME_WORDS, longer)), 2.5f));
                nameTerms.addAll(longer);
                known = true;
            }
        }
        for (String stem : tokens(english, token)) {
            if (vocabulary.hasHelpWord(stem)) {
                readings.add(new BoostQuery(new TermQuery(new Term(MetricFields.HELP, stem)), 1.5f));
                helpTerms.add(stem);
                known = true;
            }
        }
        int edits = token.length() >= 7 ? 2 : token.length() >= 4 ? 1 : 0;
        if (!known && edits > 0) {
            for (Vocabulary.Near near : vocabulary.nameWordsNear(token, edits, MAX_TYPO_READINGS)) {
                readings.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term(MetricFields.NAME_WORDS, near.word()))),
                        near.edits() == 1 ? 2.5f : 1.8f));
                nameTerms.add(near.word());
            }
        }
        // one word typed: no search by meaning runs, so the vocabulary's words for it are read here (with more words,
        // meaning does it, and alternatives to every word would only add matches)
        for (String other : withAlternatives ? alternatives.apply(token) : List.<String>of()) {
            if (vocabulary.hasNameWord(other)) {
                readings.add(new BoostQuery(new TermQuery(new Term(MetricFields.NAME_WORDS, other)), ALTERNATIVE));
                nameTerms.add(other);
            }
            for (String stem : tokens(english, other)) {
                if (vocabulary.hasHelpWord(stem)) {
                    readings.add(new BoostQuery(new TermQuery(new Term(MetricFields.HELP, stem)), ALTERNATIVE / 2));
                    helpTerms.add(stem);
                }
            }
        }
        readings.add(new BoostQuery(new TermQuery(new Term(MetricFields.UNIT, token)), 1.5f));
        readings.add(new TermQuery(new Term(MetricFields.TYPE, token)));
        readings.add(new TermQuery(new Term(MetricFields.LABEL_KEY, token)));
        readings.add(new TermQuery(new Term(MetricFields.LABEL_VALUE, token)));
        return new DisjunctionMaxQuery(readings, 0.1f);
    }

    private static Query termSet(String field, List<String> words) {
        List<BytesRef> terms = new ArrayList<>(words.size());
        for (String w : words) {
            terms.add(new BytesRef(w));
        }
        return new TermInSetQuery(field, terms);
    }

    private Query phraseQuery(String phrase) {
        BooleanQuery.Builder either = new BooleanQuery.Builder();
        either.add(phrase(MetricFields.HELP, tokens(english, phrase)), Occur.SHOULD);
        either.add(new BoostQuery(phrase(MetricFields.NAME_WORDS, tokens(nameWords, phrase)), 2f), Occur.SHOULD);
        return either.build();
    }

    private static Query phrase(String field, List<String> tokens) {
        if (tokens.isEmpty()) {
            return new MatchAllDocsQuery();
        }
        PhraseQuery.Builder b = new PhraseQuery.Builder().setSlop(1);
        for (String t : tokens) {
            b.add(new Term(field, t));
        }
        return b.build();
    }

    private Query filter(ParsedQuery.Filter f) {
        String v = f.value();
        return switch (f.field()) {
            case TYPE -> new TermQuery(new Term(MetricFields.TYPE, v.toLowerCase(Locale.ROOT)));
            case UNIT -> new TermQuery(new Term(MetricFields.UNIT, v.toLowerCase(Locale.ROOT)));
            case LABEL -> new TermQuery(new Term(MetricFields.LABEL_KEY, v));
            case NAME -> hasWildcard(v) ? wildcard(MetricFields.ID, v) : new PrefixQuery(new Term(MetricFields.ID, v));
            case HELP -> phrase(MetricFields.HELP, tokens(english, v));
            case PAIR -> pair(f.key(), v);
            case WORD -> allTokens(MetricFields.NAME_WORDS, tokens(nameWords, v));
        };
    }

    private Query pair(String key, String value) {
        if (key == null || key.isEmpty() || value == null || value.isEmpty()) {
            throw new QuerySyntaxException("a label filter needs a key and a value (\"*\" for any value)");
        }
        QueryLimits.checkWord("the label key", key);
        if (value.length() > QueryLimits.MAX_PATTERN_LENGTH) {
            throw new QuerySyntaxException("the value of label " + QueryLimits.abbreviate(key) + " is " + value.length()
                    + " characters long; at most " + QueryLimits.MAX_PATTERN_LENGTH + " are accepted");
        }
        if (value.equals("*")) {
            return new TermQuery(new Term(MetricFields.LABEL_KEY, key));
        }
        String pair = key + "=" + value;
        return hasWildcard(value) ? wildcard(MetricFields.LABEL_PAIR, pair) : new TermQuery(new Term(MetricFields.LABEL_PAIR, pair));
    }

    private static void anyOf(BooleanQuery.Builder top, String field, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (String v : values) {
            any.add(new TermQuery(new Term(field, v.toLowerCase(Locale.ROOT))), Occur.SHOULD);
        }
        top.add(any.build(), Occur.FILTER);
    }

    private static Query allTokens(String field, List<String> tokens) {
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (String t : tokens) {
            all.add(new TermQuery(new Term(field, t)), Occur.MUST);
        }
        return tokens.isEmpty() ? new MatchAllDocsQuery() : all.build();
    }

    private static boolean hasWildcard(String v) {
        return v.indexOf('*') >= 0 || v.indexOf('?') >= 0;
    }

    /**
     * A wildcard query, refused when its pattern is long or has many wildcards (checked before any automaton is
     * built: building one for thousands of stars is the slow part), or when its automaton would be large
     * enough to slow every search down.
     */
    private static Query wildcard(String field, String pattern) {
        String bounded = QueryLimits.wildcardPattern("the pattern '" + QueryLimits.abbreviate(pattern) + "'", pattern);
        try {
            Operations.determinize(WildcardQuery.toAutomaton(new Term(field, bounded)), MAX_WILDCARD_STATES);
        } catch (TooComplexToDeterminizeException e) {
            throw new QuerySyntaxException("the pattern '" + QueryLimits.abbreviate(pattern) + "' is too complex; use fewer wildcards");
        }
        return new WildcardQuery(new Term(field, bounded), MAX_WILDCARD_STATES);
    }

    private static boolean isStopWord(String token) {
        return EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.contains(token);
    }

    static List<String> tokens(Analyzer analyzer, String text) {
        Set<String> out = new LinkedHashSet<>();
        try (TokenStream ts = analyzer.tokenStream("f", text)) {
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
