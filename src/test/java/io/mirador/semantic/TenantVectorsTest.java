package io.mirador.semantic;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A tenant's vectors: nearest first above the floor, equals by id, and an index of another layout started afresh. */
class TenantVectorsTest {

    @TempDir
    Path dir;

    @Test
    void should_answer_the_nearest_above_the_floor_in_order_when_asked() {
        try (TenantVectors vectors = TenantVectors.open(dir.resolve("v"))) {
            // given
            vectors.put("b_same", new byte[] {1}, new float[] {1, 0, 0});
            vectors.put("a_same", new byte[] {2}, new float[] {2, 0, 0});
            vectors.put("near", new byte[] {3}, new float[] {1, 1, 0});
            vectors.put("far", new byte[] {4}, new float[] {-1, 0, 0});
            vectors.commit();

            // when
            var nearest = vectors.nearest(new float[] {1, 0, 0}, 3, 0.5f);

            // then: equals ordered by id; the opposite vector is under the floor
            assertThat(nearest).extracting(TenantVectors.Neighbor::id).containsExactly("a_same", "b_same", "near");
            assertThat(nearest.get(2).similarity()).isBetween(0.70f, 0.72f);
            assertThat(vectors.hashes()).containsKeys("a_same", "b_same", "near", "far");
        }
    }

    @Test
    void should_start_afresh_when_the_index_on_disk_has_another_layout() throws IOException {
        // given: an index whose "id" field has sorted doc values, as an earlier layout had
        try (IndexWriter old = new IndexWriter(FSDirectory.open(dir.resolve("v")), new IndexWriterConfig())) {
            Document doc = new Document();
            doc.add(new SortedDocValuesField("id", new BytesRef("node_load1")));
            old.addDocument(doc);
            old.commit();
        }

        // when
        try (TenantVectors vectors = TenantVectors.open(dir.resolve("v"))) {
            vectors.put("node_load1", new byte[] {1}, new float[] {1, 0, 0});
            vectors.commit();

            // then
            assertThat(vectors.hashes()).containsOnlyKeys("node_load1");
        }
        try (TenantVectors again = TenantVectors.open(dir.resolve("v"))) {
            assertThat(again.count()).isEqualTo(1);
        }
    }
}
