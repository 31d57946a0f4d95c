package io.mirador.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the query syntax: words, {@code "quoted phrases"}, {@code field:value} for the fields type, unit,
 * label, name and help, {@code key=value} label pairs, and a leading {@code -} to exclude. Anything else
 * with a colon is a word, since metric names contain colons ({@code job:requests:rate5m}). Refuses with
 * a {@link QuerySyntaxException} what it cannot read: unbalanced quotes, operators with nothing to apply
 * to, too many terms.
 */
public final class MetricQueryParser {

    static final int MAX_TERMS = 32;
    private static final Map<String, ParsedQuery.Field> FIELDS = Map.of(
            "type", ParsedQuery.Field.TYPE,
            "unit", ParsedQuery.Field.UNIT,
            "label", ParsedQuery.Field.LABEL,
            "name", ParsedQuery.Field.NAME,
            "help", ParsedQuery.Field.HELP);
    private static final Pattern LABEL_KEY = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public ParsedQuery parse(String text) {
        QueryLimits.checkText("the query", text == null ? "" : text);
        List<String> words = new ArrayList<>();
        List<String> phrases = new ArrayList<>();
        List<ParsedQuery.Filter> filters = new ArrayList<>();
        String s = text == null ? "" : text;
        int i = 0;
        int terms = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (++terms > MAX_TERMS) {
                throw new QuerySyntaxException("the query has more than " + MAX_TERMS + " terms");
            }
            int start = i;
            boolean negated = false;
            if (c == '-') {
                negated = true;
                i++;
                if (i >= s.length() || Character.isWhitespace(s.charAt(i))) {
                    throw new QuerySyntaxException("'-' at position " + (start + 1) + " excludes nothing; write -word or -type:gauge");
                }
            }
            if (s.charAt(i) == '"') {
                int end = closingQuote(s, i);
                String phrase = s.substring(i + 1, end).trim();
                QueryLimits.checkWord("the phrase", phrase);
                i = end + 1;
                if (phrase.isEmpty()) {
                    continue;
                }
                if (negated) {
                    filters.add(new ParsedQuery.Filter(ParsedQuery.Field.HELP, null, phrase, true));
                } else {
                    phrases.add(phrase);
                }
                continue;
            }
            int end = i;
            while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
                if (s.charAt(end) == '"') {
                    end = closingQuote(s, end) + 1;
                } else {
                    end++;
                }
            }
            String token = s.substring(i, end);
            QueryLimits.checkWord("the query word", token);
            i = end;
            ParsedQuery.Filter filter = filter(token, negated, start);
            if (filter != null) {
                filters.add(filter);
            } else if (negated) {
                filters.add(new ParsedQuery.Filter(ParsedQuery.Field.WORD, null, token, true));
            } else {
                words.add(token);
            }
        }
        return new ParsedQuery(List.copyOf(words), List.copyOf(phrases), List.copyOf(filters));
    }

    private static ParsedQuery.Filter filter(String token, boolean negated, int position) {
        if (token.equals(":") || token.equals("=") || token.startsWith("=") || token.startsWith("!=")) {
            throw new QuerySyntaxException("'" + token + "' at position " + (position + 1)
                    + " has nothing before it; write field:value or key=value");
        }
        int colon = token.indexOf(':');
        int equals = token.indexOf('=');
        if (colon > 0 && (equals < 0 || colon < equals)) {
            ParsedQuery.Field field = FIELDS.get(token.substring(0, colon).toLowerCase(Locale.ROOT));
            if (field != null) {
                String value = unquote(token.substring(colon + 1));
                if (value.isEmpty()) {
                    throw new QuerySyntaxException("'" + token + "' at position " + (position + 1) + " has no value after the colon");
                }
                return new ParsedQuery.Filter(field, null, value, negated);
            }
            return null;
        }
        if (equals > 0) {
            boolean notEqual = token.charAt(equals - 1) == '!';
            String key = token.substring(0, notEqual ? equals - 1 : equals);
            if (!LABEL_KEY.matcher(key).matches()) {
                return null;
            }
            String value = unquote(token.substring(equals + 1));
            if (value.isEmpty()) {
                throw new QuerySyntaxException("'" + token + "' at position " + (position + 1)
                        + " has no value after the equals sign");
            }
            return new ParsedQuery.Filter(ParsedQuery.Field.PAIR, key, value, negated ^ notEqual);
        }
        return null;
    }

    private static int closingQuote(String s, int open) {
        int close = s.indexOf('"', open + 1);
        if (close < 0) {
            throw new QuerySyntaxException("unbalanced quote at position " + (open + 1));
        }
        return close;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        if (value.contains("\"")) {
            throw new QuerySyntaxException("unbalanced quote in '" + value + "'");
        }
        return value;
    }
}
