package io.mirador.index;

import io.mirador.support.Json;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A stored document that is not its JSON (whatever put it there: a bug, a tool, a disk) is never answered as
 * JSON: the search that meets it moves the index aside and reports the tenant rebuilding.
 */
class TenantIndexCorruptionTest {

    @TempDir
    Path dir;

    private final MetricDocumentCodec codec = new MetricDocumentCodec(Json.newMapper());

    @Test
    void should_move_the_index_aside_when_a_search_meets_a_document_that_is_not_json() throws IOException {
        // given: an index whose checksums are sound but whose one document holds bytes that are not JSON
        Path indexDir = dir.resolve("indexes").resolve("t");
        try (IndexWriter w = new IndexWriter(FSDirectory.open(indexDir), new IndexWriterConfig(new StandardAnalyzer()))) {
            Document doc = new Document();
            doc.add(new StringField(MetricFields.ID, "broken_metric", Field.Store.NO));
            doc.add(new SortedDocValuesField(MetricFields.NAME_SORT, new BytesRef("broken_metric")));
            doc.add(new TextField(MetricFields.NAME_WORDS, "broken metric", Field.Store.NO));
            doc.add(new BinaryDocValuesField(MetricFields.SOURCE, new BytesRef("{\"name\":\"broken_met\u0000".getBytes(StandardCharsets.UTF_8))));
            w.addDocument(doc);
            w.commit();
        }
        TenantIndex index = TenantIndex.open("t", indexDir, codec);
        assertThat(index.isRebuilding()).isFalse();

        // when / then: the search refuses to answer, and the index is moved aside and empty
        assertThatThrownBy(() -> new MetricSearch().search(index, SearchQuery.text("broken", 10)))
                .isInstanceOf(IndexUnavailableException.class)
                .hasMessageContaining("rebuilt from the source");
        assertThat(index.isRebuilding()).isTrue();
        assertThat(index.rebuilding().orElseThrow().reason()).contains("not its JSON");
        assertThat(index.count()).isZero();
        try (Stream<Path> siblings = Files.list(indexDir.getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("t.corrupt-"));
        }

        // and: a search now answers from the empty index until a full sync has rebuilt it
        assertThat(new MetricSearch().search(index, SearchQuery.text("broken", 10)).total()).isZero();
        index.rebuilt();
        assertThat(index.isRebuilding()).isFalse();
        index.close();
    }

    @Test
    void should_refuse_a_document_read_by_name_when_it_is_not_json() throws IOException {
        // given
        Path indexDir = dir.resolve("indexes").resolve("u");
        try (IndexWriter w = new IndexWriter(FSDirectory.open(indexDir), new IndexWriterConfig(new StandardAnalyzer()))) {
            Document doc = new Document();
            doc.add(new StringField(MetricFields.ID, "garbled", Field.Store.NO));
            doc.add(new BinaryDocValuesField(MetricFields.SOURCE, new BytesRef(new byte[] {'[', 1, 2})));
            w.addDocument(doc);
            w.commit();
        }
        TenantIndex index = TenantIndex.open("u", indexDir, codec);

        // when / then
        assertThatThrownBy(() -> index.get("garbled")).isInstanceOf(IndexUnavailableException.class);
        assertThat(index.isRebuilding()).isTrue();
        index.close();
    }
}
