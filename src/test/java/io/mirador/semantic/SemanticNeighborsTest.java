package io.mirador.semantic;

import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics near a question, and none (the search goes on by words) when the tenant's vectors cannot be read. */
class SemanticNeighborsTest {

    @TempDir
    Path dir;

    @Test
    void should_find_the_near_metric_and_answer_none_when_the_vector_index_cannot_be_read() throws Exception {
        // given
        Tenants tenants = new Tenants(List.of(new Tenant("t", "http://127.0.0.1:8428", "", Map.of(), "")));
        try (LoadingEmbedder model = LoadingEmbedder.start(dir, Embedder.Choice.of("all-minilm-l6-v2-q"));
             MetricVectors vectors = new MetricVectors(tenants, dir)) {
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (model.ready().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            Embedder embedder = model.ready().orElseThrow();
            TenantVectors t = vectors.of("t");
            t.put("node_filesystem_avail_bytes", new byte[16], embedder.embed("node filesystem avail bytes: free disk space"));
            t.put("node_network_receive_drop_total", new byte[16], embedder.embed("node network receive drop total"));
            t.commit();
            SemanticNeighbors near = new SemanticNeighbors(model, Synonyms.parse("", "test"), vectors, 10, 0.1f);
            assertThat(near.near("t", "free space on the disk")).containsKey("node_filesystem_avail_bytes");

            // when: the vector index is gone from under the search
            t.close();

            // then: no neighbours, no failure
            assertThat(near.near("t", "free space on the disk")).isEmpty();
        }
    }
}
