package io.mirador.index;

import java.util.List;

/**
 * A search query as typed, taken apart: free-text words and quoted phrases, and the filters written in
 * the query ({@code type:counter}, {@code unit:bytes}, {@code label:device}, {@code name:node_*},
 * {@code help:word}, {@code job=node}), each possibly negated with a leading {@code -}.
 */
public record ParsedQuery(List<String> words, List<String> phrases, List<Filter> filters) {

    /** The kinds of filter the query syntax has; WORD is a free-text word excluded with {@code -word}. */
    public enum Field { TYPE, UNIT, LABEL, NAME, HELP, PAIR, WORD }

    /**
     * One filter.
     *
     * @param key   the label key of a {@code PAIR}, else null
     * @param value what follows the colon or the equals sign
     */
    public record Filter(Field field, String key, String value, boolean negated) {
    }

    public boolean hasFreeText() {
        return !words.isEmpty() || !phrases.isEmpty();
    }
}
