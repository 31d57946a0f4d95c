package io.mirador.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.testing.FaultySource;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.SharedVictoriaMetrics;
import io.mirador.testing.VictoriaMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's index damaged on disk (bytes overwritten, a file cut short) never takes the service down: the
 * service starts, the other tenant is served as before, and the damaged index is moved aside and rebuilt from
 * the source by a full sync that starts by itself, scheduled syncs disabled or not. Meanwhile its searches
 * answer valid JSON (200, or 503 in the error shape) and health says it is being rebuilt.
 */
class IndexCorruptionIT {

    static final int NAMES = 300;
    static final String QUERY = "{\"query\":\"\",\"limit\":1,\"tenant_id\":\"%s\"}";
    /** Makes tenant a's rebuild last long enough to watch: its one metadata call per sync waits this long. */
    static final Duration SLOW_METADATA = Duration.ofSeconds(2);

    @RegisterExtension
    static final SharedVictoriaMetrics vm = SharedVictoriaMetrics.withNames("corruption_metric_", NAMES);

    @TempDir
    Path dir;


    /** Bytes overwritten in the middle of a segment file are found at start, and the index is rebuilt. */
    @Test
    void should_rebuild_a_tenants_index_whose_segment_file_has_overwritten_bytes() throws Exception {
        Path data = dir.resolve("data");
        try (FaultySource sourceA = FaultySource.start(vm.url())) {
            // given: both tenants synced, the service stopped
            syncBoth(data, sourceA);

            // when: four bytes in the middle of tenant a's largest index file are overwritten
            Path largest = largestFile(data.resolve("indexes").resolve("a"));
            long size = Files.size(largest);
            overwrite(largest, size / 2, 4);

            // then
            startAndWatchTheRebuild(data, sourceA);
        }
    }

    /** A segments_N file cut in half no longer stops the start: the index is moved aside and rebuilt. */
    @Test
    void should_start_and_rebuild_a_tenants_index_whose_segments_file_is_truncated() throws Exception {
        Path data = dir.resolve("data");
        try (FaultySource sourceA = FaultySource.start(vm.url())) {
            // given
            syncBoth(data, sourceA);

            // when: tenant a's commit point is cut in half
            Path segments = only(data.resolve("indexes").resolve("a"), "segments_");
            truncateToHalf(segments);

            // then
            startAndWatchTheRebuild(data, sourceA);
        }
    }

    /** A compound segment file (.cfs) cut in half is found at start, and the index is rebuilt. */
    @Test
    void should_start_and_rebuild_a_tenants_index_whose_compound_file_is_truncated() throws Exception {
        Path data = dir.resolve("data");
        try (FaultySource sourceA = FaultySource.start(vm.url())) {
            // given
            syncBoth(data, sourceA);

            // when: tenant a's (largest) compound segment file is cut in half
            Path cfs;
            try (Stream<Path> files = Files.list(data.resolve("indexes").resolve("a"))) {
                cfs = files.filter(p -> p.getFileName().toString().endsWith(".cfs"))
                        .max(Comparator.comparingLong(IndexCorruptionIT::size)).orElseThrow(() ->
                                new AssertionError("no .cfs file in " + data.resolve("indexes").resolve("a")));
            }
            truncateToHalf(cfs);

            // then
            startAndWatchTheRebuild(data, sourceA);
        }
    }

    /** Starts, fully syncs both tenants (a through its proxy, b directly) and stops the service. */
    private void syncBoth(Path data, FaultySource sourceA) {
        try (Mirador mirador = Mirador.start(settings(data, sourceA))) {
            mirador.post("/api/v1/metrics/sync/a?forceFull=true", null).ok();
            mirador.post("/api/v1/metrics/sync/b?forceFull=true", null).ok();
            assertThat(total(mirador, "a")).isEqualTo(NAMES);
            assertThat(total(mirador, "b")).isEqualTo(NAMES);
        }
    }

    /**
     * Starts the service on the damaged data with tenant a's source slowed down, and checks, until tenant a's search
     * lists every metric again: every answer for tenant a is 200 JSON or 503 JSON, tenant b answers every metric,
     * health says a is being rebuilt; then that a full sync rebuilt a, its old directory is aside, b was not touched.
     */
    private void startAndWatchTheRebuild(Path data, FaultySource sourceA) throws Exception {
        sourceA.always("/api/v1/metadata", FaultySource.Fault.slow(SLOW_METADATA));
        Path indexes = data.resolve("indexes");
        try (Mirador mirador = Mirador.start(settings(data, sourceA))) {
            List<String> badAnswers = new ArrayList<>();
            boolean sawIncomplete = false;
            boolean sawRebuildingInHealth = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            int totalA = -1;
            while (totalA != NAMES) {
                assertThat(System.nanoTime()).as("tenant a to be rebuilt within 40 s; bad answers so far: %s", badAnswers)
                        .isLessThan(deadline);
                Mirador.Response a = mirador.post("/api/v1/metrics/search", QUERY.formatted("a"));
                totalA = -1;
                JsonNode body = parse(a, badAnswers);
                if (body != null && a.status() == 200 && body.has("total")) {
                    totalA = body.get("total").asInt();
                } else if (body != null && !(a.status() == 503 && "error".equals(body.path("status").asText())
                        && "unavailable".equals(body.path("errorType").asText()))) {
                    badAnswers.add(a.status() + " " + a.body());
                }
                if (totalA != NAMES) {
                    sawIncomplete = true;
                }
                assertThat(total(mirador, "b")).as("tenant b while a is rebuilt").isEqualTo(NAMES);
                sawRebuildingInHealth |= rebuildingProblem(mirador).isPresent();
                Thread.sleep(50);
            }

            // then: every answer for a was valid JSON, a was seen incomplete, health told of the rebuild
            assertThat(badAnswers).isEmpty();
            assertThat(sawIncomplete).as("a search of tenant a during its rebuild").isTrue();
            assertThat(sawRebuildingInHealth).as("health naming tenant a's rebuild before it ended").isTrue();

            // and: a full sync nobody asked for rebuilt it, and health no longer reports the rebuild
            JsonNode status = mirador.get("/api/v1/metrics/sync/a/status").ok();
            assertThat(status.get("status").asText()).isEqualTo("completed");
            assertThat(status.get("strategy").asText()).isEqualTo("full");
            assertThat(status.get("trigger").asText()).isEqualTo("schedule");
            assertThat(rebuildingProblem(mirador)).isEmpty();
            assertThat(sourceA.faulted("/api/v1/metadata")).as("the rebuild read tenant a's source").isPositive();

            // and: the damaged directory is aside; tenant b's index is where it was, untouched
            try (Stream<Path> dirs = Files.list(indexes)) {
                List<String> names = dirs.map(p -> p.getFileName().toString()).sorted().toList();
                assertThat(names).anyMatch(n -> n.startsWith("a.corrupt-"));
                assertThat(names).noneMatch(n -> n.startsWith("b.corrupt-"));
                assertThat(names).contains("a", "b");
            }
            assertThat(mirador.get("/api/v1/metrics/sync/b/state").ok().get("total_syncs").asInt()).isEqualTo(1);
        }
    }

    /** Tenant a's problem in health that says its index is being rebuilt, if health reports one. */
    private static Optional<String> rebuildingProblem(Mirador mirador) {
        JsonNode health = mirador.get("/api/v1/metrics/health").json();
        for (JsonNode t : health.path("tenants")) {
            if ("a".equals(t.path("tenant_id").asText())) {
                for (JsonNode p : t.path("problems")) {
                    if (p.asText().contains("being rebuilt")) {
                        return Optional.of(p.asText());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The body as JSON, or null after noting the answer as bad. */
    private static JsonNode parse(Mirador.Response r, List<String> badAnswers) {
        try {
            return r.json();
        } catch (AssertionError e) {
            badAnswers.add(r.status() + " (not JSON) " + r.body());
            return null;
        }
    }

    private static int total(Mirador mirador, String tenant) {
        return mirador.search(QUERY.formatted(tenant)).get("total").asInt();
    }

    private Map<String, String> settings(Path data, FaultySource sourceA) {
        Map<String, String> s = Mirador.settings(vm.url(), data);
        s.put("mirador.tenants", "a,b");
        s.put("mirador.tenant.a.source-url", sourceA.url());
        s.put("mirador.tenant.b.source-url", vm.url());
        s.put("mirador.default-tenant", "a");
        return s;
    }

    private static Path largestFile(Path indexDir) throws IOException {
        try (Stream<Path> files = Files.list(indexDir)) {
            return files.filter(p -> !p.getFileName().toString().equals("write.lock"))
                    .max(Comparator.comparingLong(IndexCorruptionIT::size)).orElseThrow();
        }
    }

    private static Path only(Path indexDir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(indexDir)) {
            List<Path> matching = files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
            assertThat(matching).as("files %s* in %s", prefix, indexDir).hasSize(1);
            return matching.get(0);
        }
    }

    /** Inverts {@code count} bytes at {@code offset}, so they differ from what was there whatever it was. */
    private static void overwrite(Path file, long offset, int count) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] bytes = new byte[count];
            f.seek(offset);
            f.readFully(bytes);
            for (int i = 0; i < count; i++) {
                bytes[i] = (byte) ~bytes[i];
            }
            f.seek(offset);
            f.write(bytes);
            f.getFD().sync();
        }
    }

    private static void truncateToHalf(Path file) throws IOException {
        long size = Files.size(file);
        assertThat(size).as("size of %s", file).isGreaterThan(1);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size / 2);
            ch.force(true);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
