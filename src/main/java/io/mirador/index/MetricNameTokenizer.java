package io.mirador.index;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a metric name into its words: at every character that is not a letter or digit ({@code _},
 * {@code :}, {@code .}, ...), at camelCase boundaries and between letters and digits; such a run is also
 * kept whole, at the position of its first part, so {@code MemAvailable} is found as "memavailable",
 * "mem" and "available", and {@code load15} as "load15", "load" and "15".
 */
public final class MetricNameTokenizer extends Tokenizer {

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private final PositionIncrementAttribute position = addAttribute(PositionIncrementAttribute.class);
    private final List<int[]> tokens = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private int next;

    @Override
    public boolean incrementToken() throws IOException {
        clearAttributes();
        if (next >= tokens.size()) {
            return false;
        }
        int[] t = tokens.get(next++);
        term.copyBuffer(toChars(t[0], t[1]), 0, t[1] - t[0]);
        offset.setOffset(correctOffset(t[0]), correctOffset(t[1]));
        position.setPositionIncrement(t[2]);
        return true;
    }

    private char[] toChars(int from, int to) {
        char[] chars = new char[to - from];
        text.getChars(from, to, chars, 0);
        return chars;
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        text.setLength(0);
        tokens.clear();
        next = 0;
        char[] buf = new char[256];
        int n;
        while ((n = input.read(buf)) > 0) {
            text.append(buf, 0, n);
        }
        split();
    }

    @Override
    public void end() throws IOException {
        super.end();
        int end = correctOffset(text.length());
        offset.setOffset(end, end);
    }

    private void split() {
        int i = 0;
        int len = text.length();
        while (i < len) {
            while (i < len && !Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < len && Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                splitCamel(start, i);
            }
        }
    }

    /**
     * Emits the run [start, end), then its camelCase parts when it has more than one, the first part at the
     * run's position (offsets never go backwards, as Lucene requires).
     */
    private void splitCamel(int start, int end) {
        List<int[]> parts = new ArrayList<>();
        int partStart = start;
        for (int j = start + 1; j < end; j++) {
            char prev = text.charAt(j - 1);
            char c = text.charAt(j);
            boolean lowerToUpper = Character.isLowerCase(prev) && Character.isUpperCase(c);
            boolean acronymEnd = Character.isUpperCase(prev) && Character.isUpperCase(c)
                    && j + 1 < end && Character.isLowerCase(text.charAt(j + 1));
            boolean letterDigit = Character.isLetter(prev) != Character.isLetter(c);
            if (lowerToUpper || acronymEnd || letterDigit) {
                parts.add(new int[] {partStart, j, 1});
                partStart = j;
            }
        }
        parts.add(new int[] {partStart, end, 1});
        tokens.add(new int[] {start, end, 1});
        if (parts.size() > 1) {
            parts.get(0)[2] = 0;
            tokens.addAll(parts);
        }
    }
}
