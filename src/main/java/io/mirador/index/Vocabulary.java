package io.mirador.index;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The words of one commit of an index (name words and help stems), sorted, for what a query needs to
 * know before it runs: whether a word exists, which words start with a prefix, which words are within
 * one or two typos. Expanding words here, once per query, keeps automata out of the search path.
 * Immutable; built once per commit.
 */
public final class Vocabulary {

    /** A word of the vocabulary and its distance from what was typed. */
    public record Near(String word, int edits) {
    }

    private final String[] nameWords;
    private final String[] helpWords;

    private Vocabulary(String[] nameWords, String[] helpWords) {
        this.nameWords = nameWords;
        this.helpWords = helpWords;
    }

    public static Vocabulary of(IndexReader reader) throws IOException {
        return new Vocabulary(terms(reader, MetricFields.NAME_WORDS), terms(reader, MetricFields.HELP));
    }

    private static String[] terms(IndexReader reader, String field) throws IOException {
        Terms terms = MultiTerms.getTerms(reader, field);
        if (terms == null) {
            return new String[0];
        }
        List<String> out = new ArrayList<>();
        TermsEnum te = terms.iterator();
        for (BytesRef t = te.next(); t != null; t = te.next()) {
            out.add(t.utf8ToString());
        }
        // byte order of UTF-8 is code point order, which String.compareTo follows for these words
        String[] sorted = out.toArray(new String[0]);
        Arrays.sort(sorted);
        return sorted;
    }

    public boolean hasNameWord(String word) {
        return Arrays.binarySearch(nameWords, word) >= 0;
    }

    public boolean hasHelpWord(String stem) {
        return Arrays.binarySearch(helpWords, stem) >= 0;
    }

    /** Name words starting with {@code prefix}, other than the prefix itself, at most {@code max}. */
    public List<String> nameWordsStartingWith(String prefix, int max) {
        List<String> out = new ArrayList<>();
        int i = Arrays.binarySearch(nameWords, prefix);
        for (i = i < 0 ? -i - 1 : i; i < nameWords.length && out.size() < max && nameWords[i].startsWith(prefix); i++) {
            if (!nameWords[i].equals(prefix)) {
                out.add(nameWords[i]);
            }
        }
        return out;
    }

    /** Name words within {@code maxEdits} edits (a transposition counts as one), nearest first, at most {@code max}. */
    public List<Near> nameWordsNear(String word, int maxEdits, int max) {
        List<Near> out = new ArrayList<>();
        for (String candidate : nameWords) {
            if (Math.abs(candidate.length() - word.length()) > maxEdits || candidate.charAt(0) != word.charAt(0)) {
                continue;
            }
            int d = editDistance(word, candidate, maxEdits);
            if (d <= maxEdits) {
                out.add(new Near(candidate, d));
            }
        }
        out.sort((a, b) -> a.edits() != b.edits() ? Integer.compare(a.edits(), b.edits()) : a.word().compareTo(b.word()));
        return out.size() > max ? out.subList(0, max) : out;
    }

    /** Optimal string alignment distance, giving up once it exceeds {@code limit}. */
    static int editDistance(String a, String b, int limit) {
        int n = a.length();
        int m = b.length();
        int[] prev2 = new int[m + 1];
        int[] prev = new int[m + 1];
        int[] cur = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, prev2[j - 2] + 1);
                }
                cur[j] = v;
                rowMin = Math.min(rowMin, v);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] t = prev2;
            prev2 = prev;
            prev = cur;
            cur = t;
        }
        return prev[m];
    }
}
