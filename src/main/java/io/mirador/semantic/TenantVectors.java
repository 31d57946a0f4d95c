package io.mirador.semantic;

import io.mirador.index.TenantIndex;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One tenant's metric vectors, in a Lucene index of their own beside the tenant's catalog index: per metric, its id,
 * the hash of the text it was embedded from, and its vector (HNSW, cosine). Kept apart so that a sync, which rewrites
 * catalog documents, never rebuilds vectors: they change only when a metric's text does.
 */
public final class TenantVectors implements AutoCloseable {

    private static final String ID = "id";
    /** Kept in every commit: the layout of the documents below, so that an index of another layout is started afresh. */
    private static final String LAYOUT = "mirador.vectors-layout";
    private static final String LAYOUT_VERSION = "2";
    /** The id again as binary doc values: read per neighbour of every query, uncompressed. */
    private static final String ID_VALUE = "id_value";
    private static final String HASH = "hash";
    private static final String VECTOR = "vector";
    /** Up to this many vectors a query compares them all (under a millisecond), exactly and alike on every replica. */
    static final int EXACT_UP_TO = 2_000;

    /** A metric near a query, with its cosine similarity. */
    public record Neighbor(String id, float similarity) {
    }

    private final IndexWriter writer;
    private final SearcherManager searchers;

    private TenantVectors(IndexWriter writer) throws IOException {
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
    }

    /**
     * Opens the tenant's vector index; one written in another layout, or unreadable, is started afresh: its vectors are
     * made again from the catalog (they are a cache of the embedding model's answers).
     */
    public static TenantVectors open(Path dir) {
        try {
            FSDirectory directory = FSDirectory.open(dir);
            IndexWriterConfig.OpenMode mode = IndexWriterConfig.OpenMode.CREATE_OR_APPEND;
            boolean existed = DirectoryReader.indexExists(directory);
            if (existed && !LAYOUT_VERSION.equals(layout(directory))) {
                LoggerFactory.getLogger(TenantVectors.class).warn("the vector index {} has another layout or cannot be"
                        + " read: started afresh, its metrics are embedded again", dir);
                mode = IndexWriterConfig.OpenMode.CREATE;
            }
            IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig().setOpenMode(mode));
            writer.setLiveCommitData(Map.of(LAYOUT, LAYOUT_VERSION).entrySet());
            if (!existed || mode == IndexWriterConfig.OpenMode.CREATE) {
                writer.commit();
            }
            return new TenantVectors(writer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the vector index " + dir, e);
        }
    }

    private static String layout(FSDirectory directory) {
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            return reader.getIndexCommit().getUserData().get(LAYOUT);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Metric id to the hash of the text its vector was made from, as committed. */
    public Map<String, BytesRef> hashes() {
        return withSearcher(searcher -> {
            Map<String, BytesRef> out = new HashMap<>();
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                BinaryDocValues ids = leaf.reader().getBinaryDocValues(ID_VALUE);
                BinaryDocValues hashes = leaf.reader().getBinaryDocValues(HASH);
                Bits live = leaf.reader().getLiveDocs();
                if (ids == null || hashes == null) {
                    continue;
                }
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if ((live == null || live.get(doc)) && ids.advanceExact(doc) && hashes.advanceExact(doc)) {
                        out.put(ids.binaryValue().utf8ToString(), BytesRef.deepCopyOf(hashes.binaryValue()));
                    }
                }
            }
            return out;
        });
    }

    public void put(String id, byte[] hash, float[] vector) {
        Document doc = new Document();
        doc.add(new StringField(ID, id, Field.Store.NO));
        doc.add(new BinaryDocValuesField(ID_VALUE, new BytesRef(id)));
        doc.add(new BinaryDocValuesField(HASH, new BytesRef(hash)));
        doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.COSINE));
        try {
            writer.updateDocument(new Term(ID, id), doc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a vector", e);
        }
    }

    public void delete(Collection<String> ids) {
        try {
            for (String id : ids) {
                writer.deleteDocuments(new Term(ID, id));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete vectors", e);
        }
    }

    /** Makes what was put and deleted durable and visible to {@link #nearest}. */
    public void commit() {
        try {
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit the vector index", e);
        }
    }

    /**
     * The {@code k} metrics nearest {@code query}, with a cosine similarity of at least {@code floor}, nearest first
     * (equals by id). Up to {@link #EXACT_UP_TO} vectors every one is compared, so every replica answers the same;
     * beyond, the HNSW graph answers approximately.
     */
    public List<Neighbor> nearest(float[] query, int k, float floor) {
        return withSearcher(searcher -> {
            List<Neighbor> out = new ArrayList<>();
            if (searcher.getIndexReader().numDocs() <= EXACT_UP_TO) {
                for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                    FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
                    BinaryDocValues ids = leaf.reader().getBinaryDocValues(ID_VALUE);
                    Bits live = leaf.reader().getLiveDocs();
                    if (values == null || ids == null) {
                        continue;
                    }
                    for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                        float cosine = 2 * VectorSimilarityFunction.COSINE.compare(query, values.vectorValue()) - 1;
                        if (cosine >= floor && (live == null || live.get(doc)) && ids.advanceExact(doc)) {
                            out.add(new Neighbor(ids.binaryValue().utf8ToString(), cosine));
                        }
                    }
                }
            } else {
                TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query, k), k);
                for (ScoreDoc sd : top.scoreDocs) {
                    // Lucene scores cosine as (1 + cos) / 2
                    float cosine = 2 * sd.score - 1;
                    if (cosine >= floor) {
                        out.add(new Neighbor(id(searcher, sd.doc), cosine));
                    }
                }
            }
            out.sort(Comparator.comparing(Neighbor::similarity).reversed().thenComparing(Neighbor::id));
            return out.size() > k ? List.copyOf(out.subList(0, k)) : out;
        });
    }

    /**
     * Merges the index into one segment when it has several: a nearest-neighbour search walks one graph per segment,
     * and the many small commits of a catch-up leave many. Called once the vectors have caught up.
     */
    public void compact() {
        try {
            // up to EXACT_UP_TO vectors every one is compared and no graph is walked: nothing to gain from a merge
            int[] docsAndSegments = withSearcher(searcher -> new int[] {searcher.getIndexReader().numDocs(),
                    searcher.getIndexReader().leaves().size()});
            if (docsAndSegments[0] > EXACT_UP_TO && docsAndSegments[1] > 1) {
                writer.forceMerge(1);
                writer.commit();
                searchers.maybeRefreshBlocking();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot merge the vector index", e);
        }
    }

    public int count() {
        return withSearcher(searcher -> searcher.getIndexReader().numDocs());
    }

    private static String id(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
        BinaryDocValues ids = leaf.reader().getBinaryDocValues(ID_VALUE);
        if (ids == null || !ids.advanceExact(doc - leaf.docBase)) {
            throw new IllegalStateException("a vector without its metric id");
        }
        return ids.binaryValue().utf8ToString();
    }

    private <T> T withSearcher(TenantIndex.SearcherWork<T> work) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return work.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vector index", e);
        }
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the vector index", e);
        }
    }
}
