package io.mirador.semantic;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The real model, in process: unit vectors of 384 dimensions, meaning closer than words, natives under the data dir. */
class EmbedderTest {

    @TempDir
    static Path dir;
    static Embedder embedder;

    @BeforeAll
    static void load() {
        embedder = Embedder.load(dir);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void should_place_a_question_nearer_the_metric_that_answers_it_than_other_metrics() {
        // given
        float[] question = embedder.embed("how hot is the processor");
        List<float[]> metrics = embedder.embedAll(List.of(
                "node hwmon temp celsius: Hardware monitor for temperature (input)",
                "node network receive bytes total: Network device statistic receive_bytes.",
                "node filesystem avail bytes: Filesystem space available to non-root users in bytes."));

        // then
        assertThat(question).hasSize(Embedder.DIMENSIONS);
        assertThat(norm(question)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(dot(question, metrics.get(0))).isGreaterThan(dot(question, metrics.get(1)))
                .isGreaterThan(dot(question, metrics.get(2)) - 1);
        assertThat(dot(question, metrics.get(0))).isGreaterThan(dot(question, metrics.get(2)));
    }

    @Test
    void should_embed_a_text_with_a_lone_surrogate_when_it_is_asked_to() {
        assertThat(embedder.embed("cpu \ud800 load")).hasSize(Embedder.DIMENSIONS);
        assertThat(embedder.embedAll(List.of("\uDE00\uD83D", ""))).hasSize(2);
    }

    @Test
    void should_leave_no_directory_of_its_own_in_the_temporary_directory_when_loaded() throws Exception {
        java.lang.reflect.Field field = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("tempDirectory");
        field.setAccessible(true);
        Object created = field.get(null);
        assertThat(created).isInstanceOf(Path.class);
        assertThat((Path) created).doesNotExist();
    }

    @Test
    void should_unpack_the_native_libraries_under_the_data_directory() {
        assertThat(dir.resolve("native/onnxruntime-1.20.0/libonnxruntime.so")).satisfies(p -> assertThat(Files.size(p)).isPositive());
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
