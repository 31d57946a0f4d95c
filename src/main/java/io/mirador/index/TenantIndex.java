package io.mirador.index;

import java.util.List;
import io.mirador.catalog.MetricDocument;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Lucene index of one tenant, in its own directory.
 *
 * <p>Opened once at start and closed at stop. One writer, used by the tenant's sync only (one sync
 * at a time per tenant); any number of searching threads. Searchers read the last <em>commit</em>, not
 * the writer, so a search during a sync sees the previous sync's catalog or the new one, never a half:
 * a sync commits once at its end, or rolls back. Opening a directory left by a killed process reads its
 * last commit.
 */
public final class TenantIndex implements AutoCloseable {

    private final String tenantId;
    private final Directory directory;
    private final MetricDocumentCodec codec;
    private final SearcherManager searchers;
    private volatile IndexWriter writer;
    /** The vocabulary of the commit searchers see now, with the reader it was read from. */
    private volatile VocabularyOf vocabulary;

    private record VocabularyOf(Object readerKey, Vocabulary words) {
    }

    private TenantIndex(String tenantId, Directory directory, MetricDocumentCodec codec) throws IOException {
        this.tenantId = tenantId;
        this.directory = directory;
        this.codec = codec;
        this.writer = newWriter();
        if (!DirectoryReader.indexExists(directory)) {
            writer.commit();
        }
        this.searchers = new SearcherManager(directory, null);
    }

    public static TenantIndex open(String tenantId, Path dir, MetricDocumentCodec codec) {
        try {
            return new TenantIndex(tenantId, FSDirectory.open(dir), codec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the index of tenant " + tenantId + " at " + dir, e);
        }
    }

    private IndexWriter newWriter() throws IOException {
        Analyzer analyzer = MetricAnalyzers.perField();
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                // a stop must never commit the half of a sync in flight
                .setCommitOnClose(false)
                .setRAMBufferSizeMB(32);
        return new IndexWriter(directory, config);
    }

    public String tenantId() {
        return tenantId;
    }

    /** Runs {@code work} on a searcher of the last commit; the searcher is released afterwards. */
    public <T> T withSearcher(SearcherWork<T> work) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return work.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("search in the index of tenant " + tenantId + " failed", e);
        }
    }

    /** The vocabulary of the commit {@code searcher} reads, built once per commit. */
    public Vocabulary vocabulary(IndexSearcher searcher) throws IOException {
        Object key = searcher.getIndexReader().getReaderCacheHelper().getKey();
        VocabularyOf current = vocabulary;
        if (current != null && current.readerKey() == key) {
            return current.words();
        }
        synchronized (this) {
            current = vocabulary;
            if (current == null || current.readerKey() != key) {
                current = new VocabularyOf(key, Vocabulary.of(searcher.getIndexReader()));
                vocabulary = current;
            }
            return current.words();
        }
    }

    /** Work done with a searcher. */
    @FunctionalInterface
    public interface SearcherWork<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    /**
     * The committed documents with these ids; ids not in the index are absent from the map. Looks each id
     * up in the terms of each segment directly: a sync asks this for every metric it reads.
     */
    public Map<String, MetricDocument> committed(Collection<String> ids) {
        return withSearcher(searcher -> {
            Map<String, MetricDocument> out = new HashMap<>();
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                Terms terms = leaf.reader().terms(MetricFields.ID);
                if (terms == null) {
                    continue;
                }
                TermsEnum te = terms.iterator();
                Bits live = leaf.reader().getLiveDocs();
                PostingsEnum postings = null;
                for (String id : ids) {
                    if (out.containsKey(id) || !te.seekExact(new BytesRef(id))) {
                        continue;
                    }
                    postings = te.postings(postings, PostingsEnum.NONE);
                    for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                        if (live == null || live.get(doc)) {
                            out.put(id, codec.decode(DocValuesReader.binary(searcher.getIndexReader(), MetricFields.SOURCE,
                                    leaf.docBase + doc)));
                            break;
                        }
                    }
                }
            }
            return out;
        });
    }

    public Optional<MetricDocument> get(String id) {
        return Optional.ofNullable(committed(List.of(id)).get(id));
    }

    public MetricDocument read(IndexSearcher searcher, ScoreDoc hit) throws IOException {
        return codec.decode(DocValuesReader.binary(searcher.getIndexReader(), MetricFields.SOURCE, hit.doc));
    }

    /** Writes (adds or replaces) a document, marked with the sync that wrote it; visible after {@link #commit()}. */
    public void write(MetricDocument doc, String syncMark) {
        try {
            writer.updateDocument(new Term(MetricFields.ID, doc.id()), codec.toLucene(doc, syncMark));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metric " + doc.id() + " to the index of tenant " + tenantId, e);
        }
    }

    /** Deletes every document not marked {@code syncMark}, counting them first; visible after {@link #commit()}. */
    public int deleteUnmarked(String syncMark) {
        Query unmarked = new BooleanQuery.Builder()
                .add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST)
                .add(new TermQuery(new Term(MetricFields.SYNC_MARK, syncMark)), BooleanClause.Occur.MUST_NOT)
                .build();
        try (DirectoryReader pending = DirectoryReader.open(writer)) {
            int count = new IndexSearcher(pending).count(unmarked);
            if (count > 0) {
                writer.deleteDocuments(unmarked);
            }
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove unseen metrics from the index of tenant " + tenantId, e);
        }
    }

    /** Makes everything written since the last commit durable and visible to searches. */
    public void commit() {
        try {
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit the index of tenant " + tenantId, e);
        }
    }

    /** Drops everything written since the last commit. */
    public void rollback() {
        try {
            writer.rollback();
            writer = newWriter();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot roll back the index of tenant " + tenantId, e);
        }
    }

    /** Number of metrics in the last commit. */
    public int count() {
        return withSearcher(searcher -> searcher.getIndexReader().numDocs());
    }

    /** Drops uncommitted writes and releases the directory; the last commit stays on disk. */
    @Override
    public void close() {
        try {
            searchers.close();
            writer.rollback();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the index of tenant " + tenantId, e);
        }
    }
}
