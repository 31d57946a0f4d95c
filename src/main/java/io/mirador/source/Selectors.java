package io.mirador.source;

import java.util.Collection;
import java.util.stream.Collectors;

/** Builds PromQL series selectors from literal names and values, escaped for the source's RE2 regexps. */
public final class Selectors {

    private Selectors() {
    }

    /** Selects every series of these metric names. */
    public static String names(Collection<String> names) {
        if (names.size() == 1) {
            return "{__name__=" + quote(names.iterator().next()) + "}";
        }
        return "{__name__=~" + quote(alternation(names)) + "}";
    }

    /** Selects the series of metric names starting with {@code prefix}. */
    public static String namePrefix(String prefix) {
        return "{__name__=~" + quote(escapeRegex(prefix) + ".*") + "}";
    }

    /** Adds a matcher to a selector of the form {@code {...}}: label equal to one of the values ("" for absent). */
    public static String withLabelIn(String selector, String label, Collection<String> values) {
        String matcher = values.size() == 1
                ? label + "=" + quote(values.iterator().next())
                : label + "=~" + quote(alternation(values));
        return selector.substring(0, selector.length() - 1) + "," + matcher + "}";
    }

    static String alternation(Collection<String> literals) {
        return literals.stream().map(Selectors::escapeRegex).collect(Collectors.joining("|"));
    }

    static String escapeRegex(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** A PromQL double-quoted string literal. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
