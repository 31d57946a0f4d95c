package io.mirador.semantic;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import io.mirador.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Semantic search end to end on a real VictoriaMetrics: metrics are embedded after the sync, a question in plain words
 * finds its metric by meaning (the answer says so), words only when asked, one exact name stays lexical and first, and a
 * restart embeds nothing again.
 */
class SemanticSearchIT {

    @TempDir
    Path dir;

    @Test
    void should_find_a_metric_by_meaning_and_keep_its_vectors_across_a_restart_when_asked_in_plain_words()
            throws IOException {
        Path data = dir.resolve("mirador");
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir)) {
            vm.importPrometheus(new Series()
                    .add("node_filesystem_avail_bytes", "mountpoint=\"/\"")
                    .add("node_network_receive_drop_total", "device=\"eth0\"")
                    .add("node_boot_time_seconds", "")
                    .add("node_memory_MemAvailable_bytes", "")
                    .add("node_cpu_seconds_total", "cpu=\"0\",mode=\"idle\"")
                    .add("http_requests_total", "code=\"200\"")
                    .add("go_goroutines", "")
                    .add("process_open_fds", "")
                    .names("filler_metric_", 30), "job=node");
            Set<String> filesBefore;
            try (Mirador mirador = Mirador.start(Mirador.settings(vm.url(), data))) {
                mirador.syncNow(true);
                awaitEmbedded(mirador);

                // when
                JsonNode hybrid = mirador.search("{\"query\":\"how much room is left on the disk\",\"limit\":3}");
                JsonNode wordsOnly = mirador.search("{\"query\":\"how much room is left on the disk\",\"semantic\":false}");
                JsonNode exact = mirador.search("{\"query\":\"node_cpu_seconds_total\",\"limit\":3}");
                JsonNode synonym = mirador.search("{\"query\":\"ram\"}");

                // then
                assertThat(hybrid.get("mode").asText()).isEqualTo("hybrid");
                assertThat(names(hybrid)).contains("node_filesystem_avail_bytes");
                JsonNode found = hybrid.get("results").get(names(hybrid).indexOf("node_filesystem_avail_bytes"));
                assertThat(found.get("match").asText()).isIn("semantic", "hybrid");
                assertThat(wordsOnly.get("mode").asText()).isEqualTo("lexical");
                assertThat(names(wordsOnly)).doesNotContain("node_filesystem_avail_bytes");
                assertThat(exact.get("mode").asText()).isEqualTo("lexical");
                assertThat(names(exact).get(0)).isEqualTo("node_cpu_seconds_total");
                // one word is searched by its words, and by the vocabulary's words for it
                assertThat(synonym.get("mode").asText()).isEqualTo("lexical");
                assertThat(names(synonym)).contains("node_memory_MemAvailable_bytes");
                JsonNode health = mirador.get("/api/v1/metrics/health").json();
                assertThat(health.toString()).contains("\"embeddings_waiting\":0");
                filesBefore = files(data.resolve("vectors"));
            }

            // when: a restart and a full sync of the same metrics
            try (Mirador mirador = Mirador.start(Mirador.settings(vm.url(), data))) {
                mirador.syncNow(true);
                awaitEmbedded(mirador);

                // then: nothing embedded again, the vector index as it was
                assertThat(files(data.resolve("vectors"))).isEqualTo(filesBefore);
                assertThat(names(mirador.search("{\"query\":\"how much room is left on the disk\",\"limit\":3}")))
                        .contains("node_filesystem_avail_bytes");
            }
        }
    }

    private static void awaitEmbedded(Mirador mirador) {
        Waits.until(Duration.ofSeconds(60), "every metric to be embedded", () -> {
            JsonNode waiting = mirador.state().get("embeddings_waiting");
            return waiting != null && waiting.asInt() == 0;
        });
    }

    private static List<String> names(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.get("results").forEach(r -> out.add(r.get("name").asText()));
        return out;
    }

    private static Set<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("write.lock"))
                    .map(p -> root.relativize(p).toString()).collect(TreeSet::new, Set::add, Set::addAll);
        }
    }
}
