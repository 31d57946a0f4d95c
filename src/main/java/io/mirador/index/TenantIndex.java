package io.mirador.index;

import io.mirador.catalog.MetricDocument;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The Lucene index of one tenant, in its own directory.
 *
 * <p>Opened once at start and closed at stop. One writer, used by the tenant's sync only (one sync
 * at a time per tenant); any number of searching threads. Searchers read the last <em>commit</em>, not
 * the writer, so a search during a sync sees the previous sync's catalog or the new one, never a half:
 * a sync commits once at its end, or rolls back. Opening a directory left by a killed process reads its
 * last commit.
 *
 * <p>A corrupt index never takes the service down: found at open (every file's checksum is verified) or
 * while searching (a checksum, a truncated file, a stored document that is not JSON), the directory is
 * moved aside to {@code <tenant>.corrupt-<time>}, an empty index takes its place, and the index reports
 * itself {@linkplain #rebuilding() rebuilding} until a full sync has filled it again.
 */
public final class TenantIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TenantIndex.class);
    private static final DateTimeFormatter ASIDE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** The commit's user data key holding its catalog generation. */
    private static final String GENERATION = "mirador.catalog-generation";

    private final String tenantId;
    private final Path path;
    private final Semaphore writers = new Semaphore(1);
    private final MetricDocumentCodec codec;
    /** The directory with its writer and searchers, replaced together when the index is found corrupt. */
    private volatile Opened opened;
    /** Why the index is being rebuilt, or null. */
    private volatile Rebuild rebuild;
    /** The vocabulary of the commit searchers see now, with the reader it was read from. */
    private volatile VocabularyOf vocabulary;

    private record VocabularyOf(Object readerKey, Vocabulary words) {
    }

    /** Why and since when an index is being rebuilt from the source. */
    public record Rebuild(String reason, Instant since, Path movedTo) {
    }

    /** A directory with its writer and searchers. */
    private static final class Opened {
        final Directory directory;
        final SearcherManager searchers;
        private IndexWriter writer;

        Opened(Directory directory) throws IOException {
            this.directory = directory;
            this.writer = newWriter(directory);
            if (!DirectoryReader.indexExists(directory)) {
                writer.commit();
            }
            this.searchers = new SearcherManager(directory, null);
        }

        /** The writer, opened again if a failure (a full disk) or a rollback closed it. */
        synchronized IndexWriter writer() throws IOException {
            if (!writer.isOpen()) {
                writer = newWriter(directory);
            }
            return writer;
        }

        synchronized void rollback() throws IOException {
            writer.rollback();
            writer = newWriter(directory);
        }

        void close() throws IOException {
            try {
                searchers.close();
                synchronized (this) {
                    writer.rollback();
                }
            } finally {
                directory.close();
            }
        }
    }

    private TenantIndex(String tenantId, Path path, MetricDocumentCodec codec) {
        this.tenantId = tenantId;
        this.path = path;
        this.codec = codec;
    }

    /**
     * Opens the index of a tenant, verifying every file's checksum; a corrupt one is moved aside and replaced by
     * an empty index that reports itself rebuilding.
     *
     * @throws UncheckedIOException when the directory cannot be opened for another reason (another process holds
     *                              it, no permission): that is not corruption, and nothing is moved
     */
    public static TenantIndex open(String tenantId, Path dir, MetricDocumentCodec codec) {
        TenantIndex index = new TenantIndex(tenantId, dir, codec);
        try {
            index.opened = index.openVerified();
        } catch (IOException | RuntimeException e) {
            if (!isCorruption(e)) {
                throw new UncheckedIOException("cannot open the index of tenant " + tenantId + " at " + dir,
                        e instanceof IOException io ? io : new IOException(e));
            }
            index.quarantine(null, e);
        }
        return index;
    }

    private Opened openVerified() throws IOException {
        Opened o = new Opened(FSDirectory.open(path));
        try {
            IndexSearcher searcher = o.searchers.acquire();
            try {
                for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                    leaf.reader().checkIntegrity();
                }
            } finally {
                o.searchers.release(searcher);
            }
            return o;
        } catch (IOException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /** Whether a failure means the files are damaged (rather than locked, not permitted, or a full disk). */
    static boolean isCorruption(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CorruptIndexException || t instanceof IndexFormatTooOldException
                    || t instanceof IndexFormatTooNewException || t instanceof EOFException
                    || t instanceof NoSuchFileException || t instanceof FileNotFoundException
                    || t instanceof IndexNotFoundException || t instanceof IndexCorruptedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Moves the damaged directory aside and opens an empty index in its place, to be rebuilt.
     *
     * @param damaged the opened index found corrupt (null at open); if it was already replaced, nothing is done
     */
    private synchronized void quarantine(Opened damaged, Throwable cause) {
        if (damaged != opened) {
            return;
        }
        Path aside = path.resolveSibling(path.getFileName() + ".corrupt-" + ASIDE.format(Instant.now()));
        try {
            if (damaged != null) {
                try {
                    damaged.close();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("closing the corrupt index of tenant {} failed", tenantId, e);
                }
            }
            if (Files.exists(path)) {
                Files.move(path, aside);
            }
            opened = new Opened(FSDirectory.open(path));
        } catch (IOException e) {
            throw new UncheckedIOException("the index of tenant " + tenantId + " at " + path + " is corrupt and cannot be"
                    + " moved aside to " + aside + "; move or remove it by hand", e);
        }
        String reason = describe(cause);
        rebuild = new Rebuild(reason, Instant.now(), aside);
        vocabulary = null;
        LOG.error("the index of tenant {} is corrupt ({}); moved aside to {}, rebuilding it from the source with a full sync",
                tenantId, reason, aside);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 300 ? m.substring(0, 300) + "..." : m));
    }

    /** Why the index is being rebuilt, if it is: set when found corrupt, cleared by {@link #rebuilt()}. */
    public Optional<Rebuild> rebuilding() {
        return Optional.ofNullable(rebuild);
    }

    public boolean isRebuilding() {
        return rebuild != null;
    }

    /** A full sync has filled the index again since it was found corrupt. */
    public void rebuilt() {
        Rebuild r = rebuild;
        if (r != null) {
            LOG.info("the index of tenant {} is rebuilt (found corrupt at {})", tenantId, r.since());
            rebuild = null;
        }
    }

    private static IndexWriter newWriter(Directory directory) throws IOException {
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

    /** How documents are written to and read from this index. */
    MetricDocumentCodec codec() {
        return codec;
    }

    /**
     * Runs {@code work} on a searcher of the last commit; the searcher is released afterwards. Corruption found
     * on the way moves the index aside to be rebuilt, and is an {@link IndexUnavailableException}.
     */
    public <T> T withSearcher(SearcherWork<T> work) {
        Opened o = opened;
        SearcherManager searchers = o.searchers;
        IndexSearcher searcher;
        try {
            searcher = searchers.acquire();
        } catch (AlreadyClosedException e) {
            // replaced after corruption between reading the field and acquiring: ask the new one
            o = opened;
            searchers = o.searchers;
            searcher = acquire(searchers);
        } catch (IOException e) {
            throw new UncheckedIOException("search in the index of tenant " + tenantId + " failed", e);
        }
        try {
            return work.apply(searcher);
        } catch (IOException | RuntimeException e) {
            if (isCorruption(e)) {
                quarantine(o, e);
                throw new IndexUnavailableException("the index of tenant " + tenantId + " was found corrupt (" + describe(e)
                        + "); it was moved aside and is being rebuilt from the source", e);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("search in the index of tenant " + tenantId + " failed", io);
            }
            throw (RuntimeException) e;
        } finally {
            release(searchers, searcher);
        }
    }

    private IndexSearcher acquire(SearcherManager searchers) {
        try {
            return searchers.acquire();
        } catch (IOException e) {
            throw new UncheckedIOException("search in the index of tenant " + tenantId + " failed", e);
        }
    }

    private static void release(SearcherManager searchers, IndexSearcher searcher) {
        try {
            searchers.release(searcher);
        } catch (IOException | AlreadyClosedException e) {
            // the reader is closed with its manager
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
            findLive(searcher, ids, out::containsKey, (id, doc) -> out.put(id,
                    codec.decode(DocValuesReader.binary(searcher.getIndexReader(), MetricFields.SOURCE, doc))));
            return out;
        });
    }

    /**
     * Metric id to the hash of its text ({@link MetricFields#TEXT_HASH}), for every committed document; an empty hash
     * for a document written before hashes were kept.
     */
    public Map<String, BytesRef> textHashes() {
        return withSearcher(searcher -> {
            Map<String, BytesRef> out = new HashMap<>();
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                SortedDocValues names = leaf.reader().getSortedDocValues(MetricFields.NAME_SORT);
                BinaryDocValues hashes = leaf.reader().getBinaryDocValues(MetricFields.TEXT_HASH);
                Bits live = leaf.reader().getLiveDocs();
                if (names == null) {
                    continue;
                }
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if ((live == null || live.get(doc)) && names.advanceExact(doc)) {
                        BytesRef hash = hashes != null && hashes.advanceExact(doc)
                                ? BytesRef.deepCopyOf(hashes.binaryValue()) : new BytesRef();
                        out.put(names.lookupOrd(names.ordValue()).utf8ToString(), hash);
                    }
                }
            }
            return out;
        });
    }

    /** The version of the last commit searches see: it changes with every commit that changed the index. */
    public long version() {
        return withSearcher(searcher -> searcher.getIndexReader() instanceof DirectoryReader r ? r.getVersion() : 0L);
    }

    /** The ids, of these, that no committed document has (in their order). */
    public List<String> missing(Collection<String> ids) {
        Set<String> found = withSearcher(searcher -> {
            Set<String> out = new HashSet<>();
            findLive(searcher, ids, out::contains, (id, doc) -> out.add(id));
            return out;
        });
        return ids.stream().filter(id -> !found.contains(id)).toList();
    }

    @FunctionalInterface
    private interface LiveHit {
        void found(String id, int doc) throws IOException;
    }

    /** Tells {@code hit} of the live document (its index-wide number) of each id not yet {@code done}. */
    private static void findLive(IndexSearcher searcher, Collection<String> ids, Predicate<String> done, LiveHit hit)
            throws IOException {
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Terms terms = leaf.reader().terms(MetricFields.ID);
            if (terms == null) {
                continue;
            }
            TermsEnum te = terms.iterator();
            Bits live = leaf.reader().getLiveDocs();
            PostingsEnum postings = null;
            for (String id : ids) {
                if (done.test(id) || !te.seekExact(new BytesRef(id))) {
                    continue;
                }
                postings = te.postings(postings, PostingsEnum.NONE);
                for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        hit.found(id, leaf.docBase + doc);
                        break;
                    }
                }
            }
        }
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
            opened.writer().updateDocument(new Term(MetricFields.ID, doc.id()), codec.toLucene(doc, syncMark));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metric " + doc.id() + " to the index of tenant " + tenantId, e);
        }
    }

    /**
     * Writes (adds or replaces) a document read as its stored JSON from a replica's copy of the catalog; visible after
     * {@link #commit(long)}.
     *
     * @param replacing false right after {@link #deleteAll()}: the document is added without looking for an old one
     */
    public void writeStored(MetricDocument doc, byte[] source, String syncMark, boolean replacing) {
        try {
            Document lucene = codec.toLucene(doc, syncMark, source);
            if (replacing) {
                opened.writer().updateDocument(new Term(MetricFields.ID, doc.id()), lucene);
            } else {
                opened.writer().addDocument(lucene);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metric " + doc.id() + " to the index of tenant " + tenantId, e);
        }
    }

    /** The documents not marked {@code syncMark}, written or committed: what {@link #deleteUnmarked} would remove. */
    public int countUnmarked(String syncMark) {
        try (DirectoryReader pending = DirectoryReader.open(opened.writer())) {
            return new IndexSearcher(pending).count(unmarked(syncMark));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot count unseen metrics in the index of tenant " + tenantId, e);
        }
    }

    /** Deletes every document not marked {@code syncMark}, counting them first; visible after {@link #commit()}. */
    public int deleteUnmarked(String syncMark) {
        Query unmarked = unmarked(syncMark);
        try {
            IndexWriter writer = opened.writer();
            try (DirectoryReader pending = DirectoryReader.open(writer)) {
                int count = new IndexSearcher(pending).count(unmarked);
                if (count > 0) {
                    writer.deleteDocuments(unmarked);
                }
                return count;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove unseen metrics from the index of tenant " + tenantId, e);
        }
    }

    private static Query unmarked(String syncMark) {
        return new BooleanQuery.Builder()
                .add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST)
                .add(new TermQuery(new Term(MetricFields.SYNC_MARK, syncMark)), BooleanClause.Occur.MUST_NOT)
                .build();
    }

    /**
     * Makes everything written since the last commit durable and visible to searches, as catalog generation
     * {@code generation} (kept in the commit, read back by {@link #generation()}).
     */
    public void commit(long generation) {
        Opened o = opened;
        try {
            IndexWriter writer = o.writer();
            writer.setLiveCommitData(Map.of(GENERATION, Long.toString(generation)).entrySet());
            writer.commit();
            o.searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit the index of tenant " + tenantId, e);
        }
    }

    /** The catalog generation of the last commit: 0 for an index never committed by a sync or a replica. */
    public long generation() {
        return withSearcher(searcher -> {
            if (searcher.getIndexReader() instanceof DirectoryReader reader) {
                String g = reader.getIndexCommit().getUserData().get(GENERATION);
                return g == null ? 0L : Long.parseLong(g);
            }
            return 0L;
        });
    }

    /**
     * Takes the right to write this index, waiting at most {@code wait}: one writer at a time (a sync, or a replica
     * bringing its copy up to date), from its first write to its commit or rollback, on whatever threads.
     *
     * @return false when another writer held it all that time
     */
    public boolean claimWriter(Duration wait) {
        try {
            return writers.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Gives back the right taken by {@link #claimWriter}. */
    public void releaseWriter() {
        writers.release();
    }

    /** Removes a document by id; visible after {@link #commit(long)}. */
    public void delete(String id) {
        try {
            opened.writer().deleteDocuments(new Term(MetricFields.ID, id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove metric " + id + " from the index of tenant " + tenantId, e);
        }
    }

    /** Removes every document; visible after {@link #commit(long)}, so searches see the old catalog until then. */
    public void deleteAll() {
        try {
            opened.writer().deleteAll();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty the index of tenant " + tenantId, e);
        }
    }

    /**
     * Hands every document of the last commit, as its stored JSON, to {@code sink} in lists of at most {@code batch},
     * reading one segment at a time: never the whole index in memory.
     */
    public void forEachStored(int batch, Consumer<List<String>> sink) {
        withSearcher(searcher -> {
            List<String> out = new ArrayList<>(batch);
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                Bits live = leaf.reader().getLiveDocs();
                BinaryDocValues sources = DocValues.getBinary(leaf.reader(), MetricFields.SOURCE);
                for (int doc = sources.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = sources.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        out.add(sources.binaryValue().utf8ToString());
                        if (out.size() == batch) {
                            sink.accept(List.copyOf(out));
                            out.clear();
                        }
                    }
                }
            }
            if (!out.isEmpty()) {
                sink.accept(out);
            }
            return null;
        });
    }

    /** The ids of the documents, written or committed, not marked {@code syncMark}: those {@link #deleteUnmarked} removes. */
    public List<String> unmarkedIds(String syncMark) {
        try (DirectoryReader pending = DirectoryReader.open(opened.writer())) {
            IndexSearcher searcher = new IndexSearcher(pending);
            List<String> ids = new ArrayList<>();
            for (ScoreDoc hit : searcher.search(unmarked(syncMark), Math.max(1, pending.numDocs())).scoreDocs) {
                ids.add(codec.decode(DocValuesReader.binary(pending, MetricFields.SOURCE, hit.doc)).id());
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list unseen metrics in the index of tenant " + tenantId, e);
        }
    }

    /** Drops everything written since the last commit. */
    public void rollback() {
        try {
            opened.rollback();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot roll back the index of tenant " + tenantId, e);
        }
    }

    /** Number of documents in the last commit: every metric, histogram and summary parts included. */
    public int count() {
        return withSearcher(searcher -> searcher.getIndexReader().numDocs());
    }

    /**
     * What the last commit holds, counted two ways.
     *
     * @param metrics   what a search lists: a histogram or summary family counts once
     * @param documents every document, the parts of families included
     */
    public record Counts(int metrics, int documents) {
    }

    public Counts counts() {
        return withSearcher(searcher -> {
            int documents = searcher.getIndexReader().numDocs();
            int parts = searcher.count(new TermQuery(new Term(MetricFields.FOLDED, "1")));
            return new Counts(documents - parts, documents);
        });
    }

    /** Drops uncommitted writes and releases the directory; the last commit stays on disk. */
    @Override
    public void close() {
        try {
            opened.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the index of tenant " + tenantId, e);
        }
    }
}
