package io.mirador.index;

import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the matching documents per value of keyword fields with sorted-set doc values (type, unit,
 * label key). Counts per segment ordinal, then merges by value.
 */
final class FacetCounts implements CollectorManager<FacetCounts.Counter, Map<String, Map<String, Long>>> {

    private final Map<String, String> fieldsByFacet;
    private final int top;

    /** @param fieldsByFacet facet name to field; @param top values kept per facet, largest counts first */
    FacetCounts(Map<String, String> fieldsByFacet, int top) {
        this.fieldsByFacet = fieldsByFacet;
        this.top = top;
    }

    @Override
    public Counter newCollector() {
        return new Counter();
    }

    @Override
    public Map<String, Map<String, Long>> reduce(Collection<Counter> counters) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (String facet : fieldsByFacet.keySet()) {
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
            return new LeafCollector() {
                @Override
                public void setScorer(Scorable scorer) {
                }

                @Override
                public void collect(int doc) throws IOException {
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
                }
            };
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }
    }
}
