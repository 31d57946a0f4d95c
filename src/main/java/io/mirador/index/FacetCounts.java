package io.mirador.index;

import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the matching documents per value of keyword fields with sorted-set doc values (type, unit,
 * label key), counted per segment ordinal, then merged by value; and per value of the labels an operator names
 * ({@code job}), counted from the {@code key=value} terms of those labels against the segment's matches.
 */
final class FacetCounts implements CollectorManager<FacetCounts.Counter, Map<String, Map<String, Long>>> {

    /** The name of a label's facet: {@code label:job}. */
    static final String LABEL_FACET = "label:";
    /** Most values of one label counted per segment: a label with more is not a facet anyone reads. */
    private static final int MAX_LABEL_VALUES = 1_000;

    private final Map<String, String> fieldsByFacet;
    private final List<String> labels;
    private final int top;

    /**
     * @param fieldsByFacet facet name to field
     * @param labels        labels whose values are counted too, each as the facet {@code label:<key>}
     * @param top           values kept per facet, largest counts first
     */
    FacetCounts(Map<String, String> fieldsByFacet, List<String> labels, int top) {
        this.fieldsByFacet = fieldsByFacet;
        this.labels = labels;
        this.top = top;
    }

    private List<String> facetNames() {
        List<String> names = new ArrayList<>(fieldsByFacet.keySet());
        labels.forEach(l -> names.add(LABEL_FACET + l));
        return names;
    }

    @Override
    public Counter newCollector() {
        return new Counter();
    }

    @Override
    public Map<String, Map<String, Long>> reduce(Collection<Counter> counters) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (String facet : facetNames()) {
            Map<String, Long> merged = new HashMap<>();
            for (Counter c : counters) {
                c.counts.getOrDefault(facet, Map.of()).forEach((k, v) -> merged.merge(k, v, Long::sum));
            }
            List<Map.Entry<String, Long>> sorted = new ArrayList<>(merged.entrySet());
            sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            Map<String, Long> kept = new LinkedHashMap<>();
            for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(top, sorted.size()))) {
                kept.put(e.getKey(), e.getValue());
            }
            out.put(facet, kept);
        }
        return out;
    }

    /** Counts of one searching thread. */
    final class Counter implements Collector {
        private final Map<String, Map<String, Long>> counts = new HashMap<>();

        @Override
        public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
            Map<String, SortedSetDocValues> values = new LinkedHashMap<>();
            Map<String, long[]> perOrd = new LinkedHashMap<>();
            for (Map.Entry<String, String> f : fieldsByFacet.entrySet()) {
                SortedSetDocValues dv = DocValues.getSortedSet(context.reader(), f.getValue());
                values.put(f.getKey(), dv);
                perOrd.put(f.getKey(), new long[(int) Math.max(0, dv.getValueCount())]);
            }
            FixedBitSet matched = labels.isEmpty() ? null : new FixedBitSet(context.reader().maxDoc());
            return new LeafCollector() {
                @Override
                public void setScorer(Scorable scorer) {
                }

                @Override
                public void collect(int doc) throws IOException {
                    if (matched != null) {
                        matched.set(doc);
                    }
                    for (Map.Entry<String, SortedSetDocValues> e : values.entrySet()) {
                        SortedSetDocValues dv = e.getValue();
                        if (dv.advanceExact(doc)) {
                            long[] c = perOrd.get(e.getKey());
                            for (int i = 0; i < dv.docValueCount(); i++) {
                                c[(int) dv.nextOrd()]++;
                            }
                        }
                    }
                }

                @Override
                public void finish() throws IOException {
                    for (Map.Entry<String, long[]> e : perOrd.entrySet()) {
                        SortedSetDocValues dv = DocValues.getSortedSet(context.reader(), fieldsByFacet.get(e.getKey()));
                        Map<String, Long> into = counts.computeIfAbsent(e.getKey(), k -> new HashMap<>());
                        long[] c = e.getValue();
                        for (int ord = 0; ord < c.length; ord++) {
                            if (c[ord] > 0) {
                                into.merge(dv.lookupOrd(ord).utf8ToString(), c[ord], Long::sum);
                            }
                        }
                    }
                    if (matched != null) {
                        countLabelValues(context, matched);
                    }
                }
            };
        }

        /** Per named label, how many matches of the segment have each of its values. */
        private void countLabelValues(LeafReaderContext context, FixedBitSet matched) throws IOException {
            Terms terms = context.reader().terms(MetricFields.LABEL_PAIR);
            if (terms == null) {
                return;
            }
            PostingsEnum postings = null;
            for (String label : labels) {
                Map<String, Long> into = counts.computeIfAbsent(LABEL_FACET + label, k -> new HashMap<>());
                BytesRef prefix = new BytesRef(label + "=");
                TermsEnum values = terms.iterator();
                if (values.seekCeil(prefix) == TermsEnum.SeekStatus.END) {
                    continue;
                }
                int seen = 0;
                for (BytesRef term = values.term(); term != null && startsWith(term, prefix) && seen++ < MAX_LABEL_VALUES;
                     term = values.next()) {
                    postings = values.postings(postings, PostingsEnum.NONE);
                    long count = 0;
                    for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                        if (matched.get(doc)) {
                            count++;
                        }
                    }
                    if (count > 0) {
                        String pair = term.utf8ToString();
                        into.merge(pair.substring(label.length() + 1), count, Long::sum);
                    }
                }
            }
        }

        private static boolean startsWith(BytesRef term, BytesRef prefix) {
            return term.length >= prefix.length && java.util.Arrays.equals(term.bytes, term.offset, term.offset + prefix.length,
                    prefix.bytes, prefix.offset, prefix.offset + prefix.length);
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }
}
