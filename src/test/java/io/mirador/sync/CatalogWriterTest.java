package io.mirador.sync;

import io.mirador.catalog.MetricDocument;
import io.mirador.catalog.MetricMerger;
import io.mirador.catalog.MetricObservation;
import io.mirador.catalog.SeriesAccumulator;
import io.mirador.config.SyncStrategy;
import io.mirador.index.MetricDocumentCodec;
import io.mirador.index.TenantIndex;
import io.mirador.index.TenantIndexes;
import io.mirador.source.TimeWindow;
import io.mirador.support.DutyCycle;
import io.mirador.support.Json;
import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The writing half of a sync counts each observation as added, updated or unchanged against the last commit, turns
 * a histogram's buckets into a family document of its own, and, since a batch write has no caller to throw to,
 * keeps a write error in the run while still settling the batch, so the sync fails instead of hanging.
 */
class CatalogWriterTest {

    private static final Tenant TENANT = new Tenant("t", "http://127.0.0.1:1", "", Map.of(), "");
    private static final Instant T1 = Instant.parse("2025-06-01T12:00:00Z");
    private static final Instant T2 = T1.plus(Duration.ofHours(1));

    @TempDir
    Path dataDir;

    private TenantIndexes indexes;
    private TenantIndex index;
    private CatalogWriter writer;

    @BeforeEach
    void open() {
        indexes = new TenantIndexes(new Tenants(List.of(TENANT)), dataDir, new MetricDocumentCodec(Json.newMapper()));
        index = indexes.of("t");
        writer = new CatalogWriter(indexes, new MetricMerger(10), DutyCycle.never(), CatalogPublication.local(indexes));
    }

    @AfterEach
    void close() {
        indexes.close();
    }

    /** A full sync run whose window ends at {@code end}, listing {@code names}. */
    private static SyncRun run(String id, Instant end, String... names) {
        SyncRun run = new SyncRun(id, TENANT, SyncStrategy.FULL, "api", end, new TimeWindow(end.minus(Duration.ofHours(24)), end),
                100, false);
        run.names(List.of(names).stream().sorted().collect(Collectors.toList()));
        return run;
    }

    @SafeVarargs
    private static MetricObservation observe(String name, Map<String, String>... series) {
        SeriesAccumulator acc = new SeriesAccumulator(name, 10);
        for (Map<String, String> labels : series) {
            acc.addSeries(labels);
        }
        return acc.toObservation();
    }

    private static Map<String, MetricDocument> byId(List<MetricDocument> docs) {
        return docs.stream().collect(Collectors.toMap(MetricDocument::id, Function.identity()));
    }

    /** Writes and commits what a first sync made of the observations. */
    private void commitFirstSync(List<MetricObservation> observations, String... names) {
        SyncRun first = run("sync-1", T1, names);
        List<MetricDocument> docs = writer.documents(first, observations);
        first.queued(docs.size());
        writer.write(first, docs);
        index.commit(1);
    }

    @Test
    void should_count_added_updated_and_unchanged_against_the_last_commit() {
        // given a committed catalog of a and b
        commitFirstSync(List.of(observe("a", Map.of("job", "x")), observe("b", Map.of("job", "x"))), "a", "b");
        SyncRun next = run("sync-2", T2, "a", "b", "c");

        // when: a is seen as it was, b with another series, c for the first time
        List<MetricDocument> docs = writer.documents(next, List.of(
                observe("a", Map.of("job", "x")),
                observe("b", Map.of("job", "x"), Map.of("job", "y")),
                observe("c", Map.of("job", "x"))));

        // then
        assertThat(next.added.get()).isEqualTo(1);
        assertThat(next.updated.get()).isEqualTo(1);
        assertThat(next.processed()).isEqualTo(3);
        Map<String, MetricDocument> out = byId(docs);
        assertThat(docs).extracting(MetricDocument::id).containsExactly("a", "b", "c");
        // and: the unchanged one keeps its updated_at; all were seen now
        assertThat(out.get("a").updatedAt()).isEqualTo(T1);
        assertThat(out.get("b").updatedAt()).isEqualTo(T2);
        assertThat(out.get("c").createdAt()).isEqualTo(T2);
        assertThat(out.get("a").lastSeen()).isEqualTo(T2);
        assertThat(out.get("b").createdAt()).isEqualTo(T1);
        assertThat(out.get("b").seriesCount()).isEqualTo(2);
    }

    @Test
    void should_count_against_the_commit_not_against_uncommitted_writes() {
        // given: a written but not committed
        SyncRun first = run("sync-1", T1, "a");
        List<MetricDocument> docs = writer.documents(first, List.of(observe("a", Map.of("job", "x"))));
        first.queued(docs.size());
        writer.write(first, docs);

        // when
        SyncRun next = run("sync-2", T2, "a");
        writer.documents(next, List.of(observe("a", Map.of("job", "x"))));

        // then
        assertThat(next.added.get()).isEqualTo(1);
        assertThat(next.updated.get()).isZero();
    }

    @Test
    void should_fold_histogram_buckets_into_a_family_document_when_bucket_count_and_sum_exist() {
        // given the three series names of histogram h: 2 jobs x 3 buckets
        SyncRun run = run("sync-1", T1, "h_bucket", "h_count", "h_sum");
        MetricObservation buckets = observe("h_bucket",
                Map.of("job", "a", "le", "0.1"), Map.of("job", "a", "le", "1"), Map.of("job", "a", "le", "+Inf"),
                Map.of("job", "b", "le", "0.1"), Map.of("job", "b", "le", "1"), Map.of("job", "b", "le", "+Inf"));
        MetricObservation count = observe("h_count", Map.of("job", "a"), Map.of("job", "b"));

        // when
        List<MetricDocument> docs = writer.documents(run, List.of(buckets, count));

        // then: the family's own document follows its buckets, without le, one series per label set
        assertThat(docs).extracting(MetricDocument::id).containsExactly("h_bucket", "h", "h_count");
        Map<String, MetricDocument> out = byId(docs);
        MetricDocument family = out.get("h");
        assertThat(family.name()).isEqualTo("h");
        assertThat(family.type()).isEqualTo("histogram");
        assertThat(family.family()).isEqualTo("h");
        assertThat(family.parts()).containsExactly("h_bucket", "h_count", "h_sum");
        assertThat(family.isFamilyPart()).isFalse();
        assertThat(family.labelKeys()).containsExactly("job");
        assertThat(family.labelValues()).containsOnly(entry("job", List.of("a", "b")));
        assertThat(family.labelCardinality()).containsOnly(entry("job", 2L));
        assertThat(family.seriesCount()).isEqualTo(2);
        assertThat(family.labels()).doesNotContainKey("le");
        // and: the series names are parts of the family, typed as it is
        for (String part : List.of("h_bucket", "h_count")) {
            assertThat(out.get(part).family()).isEqualTo("h");
            assertThat(out.get(part).isFamilyPart()).isTrue();
            assertThat(out.get(part).type()).isEqualTo("histogram");
            assertThat(out.get(part).parts()).isNull();
        }
        assertThat(out.get("h_bucket").labelKeys()).containsExactly("job", "le");
        // and: only series names count; the derived family document does not
        assertThat(run.added.get()).isEqualTo(2);
        assertThat(run.processed()).isEqualTo(2);
    }

    @Test
    void should_keep_the_family_documents_updated_at_when_the_next_sync_sees_the_same_buckets() {
        // given a committed histogram
        MetricObservation buckets = observe("h_bucket", Map.of("job", "a", "le", "1"), Map.of("job", "a", "le", "+Inf"));
        commitFirstSync(List.of(buckets), "h_bucket", "h_count");

        // when
        SyncRun next = run("sync-2", T2, "h_bucket", "h_count");
        Map<String, MetricDocument> out = byId(writer.documents(next, List.of(buckets)));

        // then
        assertThat(out.get("h").updatedAt()).isEqualTo(T1);
        assertThat(out.get("h").createdAt()).isEqualTo(T1);
        assertThat(out.get("h").lastSeen()).isEqualTo(T2);
        assertThat(next.added.get()).isZero();
        assertThat(next.updated.get()).isZero();
    }

    @Test
    void should_write_every_document_marked_with_the_run_when_the_batch_is_written() {
        // given
        SyncRun run = run("sync-1", T1, "a", "b");
        List<MetricDocument> docs = writer.documents(run, List.of(observe("a", Map.of()), observe("b", Map.of())));
        run.queued(docs.size());

        // when
        writer.write(run, docs);

        // then: written, unmarked by nothing, settled
        assertThat(run.failure()).isNull();
        assertThat(index.countUnmarked("sync-1")).isZero();
        assertThat(index.countUnmarked("another-sync")).isEqualTo(2);
        assertThatCode(() -> run.awaitSettled(Duration.ofMillis(50))).doesNotThrowAnyException();
    }

    @Test
    void should_record_the_error_in_the_run_and_settle_the_batch_when_a_write_fails() {
        // given a batch whose second document cannot be written (it has no name)
        SyncRun run = run("sync-1", T1, "a");
        MetricDocument good = writer.documents(run, List.of(observe("a", Map.of()))).get(0);
        MetricDocument broken = new MetricDocument("broken", null, "gauge", "", "", Map.of(), List.of(), "t", T1, T1, T1,
                T1, 1, Map.of(), Map.of(), MetricDocument.TYPE_SOURCE_INFERRED, null, null);
        run.queued(2);

        // when / then: nothing is thrown to the aggregator's thread
        assertThatCode(() -> writer.write(run, List.of(good, broken))).doesNotThrowAnyException();
        assertThat(run.failure()).isNotNull();
        assertThatCode(() -> run.awaitSettled(Duration.ofMillis(50))).doesNotThrowAnyException();

        // and: a later batch of the failed run is not written, and is settled too
        MetricDocument later = writer.documents(run, List.of(observe("a2", Map.of()))).get(0);
        run.queued(1);
        Throwable first = run.failure();
        writer.write(run, List.of(later));
        assertThat(run.failure()).isSameAs(first);
        assertThatCode(() -> run.awaitSettled(Duration.ofMillis(50))).doesNotThrowAnyException();
        index.commit(1);
        assertThat(index.get("a2")).isEmpty();
    }

    @Test
    void should_time_out_waiting_when_a_queued_batch_was_never_settled() {
        // given: the contrast that makes settling observable
        SyncRun run = run("sync-1", T1, "a");
        run.queued(1);

        // when / then
        assertThatThrownBy(() -> run.awaitSettled(Duration.ofMillis(20)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("0 of 1 documents");
    }
}
