package io.mirador.index;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DoubleValues;
import org.apache.lucene.search.DoubleValuesSource;
import org.apache.lucene.search.IndexSearcher;

/**
 * A query's score {@code s} brought into 0..1 as {@code s / (s + half)}: the order of lexical matches is kept, and a
 * score of {@code half} counts 0.5, so that it can be added to a nearness in meaning without a first pass for the
 * best score.
 */
final class SaturatedScore extends DoubleValuesSource {

    private final float half;

    SaturatedScore(float half) {
        this.half = half;
    }

    @Override
    public DoubleValues getValues(LeafReaderContext ctx, DoubleValues scores) {
        return new DoubleValues() {
            @Override
            public double doubleValue() throws java.io.IOException {
                double s = scores.doubleValue();
                return s / (s + half);
            }

            @Override
            public boolean advanceExact(int doc) throws java.io.IOException {
                return scores.advanceExact(doc);
            }
        };
    }

    @Override
    public boolean needsScores() {
        return true;
    }

    @Override
    public DoubleValuesSource rewrite(IndexSearcher searcher) {
        return this;
    }

    @Override
    public boolean isCacheable(LeafReaderContext ctx) {
        return true;
    }

    @Override
    public int hashCode() {
        return Float.hashCode(half);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaturatedScore other && other.half == half;
    }

    @Override
    public String toString() {
        return "saturated(score, " + half + ")";
    }
}
