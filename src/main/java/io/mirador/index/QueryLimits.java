package io.mirador.index;

import java.nio.charset.StandardCharsets;

/**
 * The bounds of every costly part of a search, each refused with a {@link QuerySyntaxException} that names
 * the limit: a query built to be slow (thousands of wildcards, huge words, thousands of clauses) must not
 * take the CPU from everyone else's searches.
 */
public final class QueryLimits {

    /** UTF-8 bytes of one word or name prefix; Lucene's automata refuse much longer ones anyway. */
    public static final int MAX_WORD_BYTES = 512;
    /** Characters of a label value or wildcard pattern. */
    public static final int MAX_PATTERN_LENGTH = 256;
    /** Wildcards ({@code *}, {@code ?}) in one pattern, after runs of {@code *} are read as one. */
    public static final int MAX_WILDCARDS = 16;
    /** Label filters, types, units of one request. */
    public static final int MAX_FILTER_VALUES = 64;

    private QueryLimits() {
    }

    /** Refuses a word longer than {@link #MAX_WORD_BYTES}; {@code what} says where it was ("query word"). */
    public static void checkWord(String what, String word) {
        int bytes = word.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_WORD_BYTES) {
            throw new QuerySyntaxException(what + " '" + abbreviate(word) + "' is " + bytes + " bytes long; at most "
                    + MAX_WORD_BYTES + " are accepted");
        }
    }

    /** Refuses control characters (other than tab and line breaks between words), which no metric name holds. */
    public static void checkText(String what, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                throw new QuerySyntaxException(what + " holds the control character U+"
                        + String.format("%04X", (int) c) + " at position " + (i + 1));
            }
        }
    }

    /**
     * A wildcard pattern with runs of {@code *} read as one, refused when longer than
     * {@link #MAX_PATTERN_LENGTH} or with more than {@link #MAX_WILDCARDS} wildcards.
     */
    public static String wildcardPattern(String what, String pattern) {
        String collapsed = pattern.replaceAll("\\*{2,}", "*");
        if (collapsed.length() > MAX_PATTERN_LENGTH) {
            throw new QuerySyntaxException(what + " is " + collapsed.length() + " characters long; at most "
                    + MAX_PATTERN_LENGTH + " are accepted");
        }
        long wildcards = collapsed.chars().filter(c -> c == '*' || c == '?').count();
        if (wildcards > MAX_WILDCARDS) {
            throw new QuerySyntaxException(what + " has " + wildcards + " wildcards; at most " + MAX_WILDCARDS
                    + " are accepted");
        }
        return collapsed;
    }

    /** Refuses more than {@link #MAX_FILTER_VALUES} values of one filter. */
    public static void checkCount(String what, int count) {
        if (count > MAX_FILTER_VALUES) {
            throw new QuerySyntaxException(what + " has " + count + " values; at most " + MAX_FILTER_VALUES
                    + " are accepted");
        }
    }

    /** At most 40 characters of {@code s}, for an error message. */
    public static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
