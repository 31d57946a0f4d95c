package io.mirador.sync;

import io.mirador.catalog.MetricDocument;
import io.mirador.config.SyncConfig;
import io.mirador.config.SyncSettings;
import io.mirador.config.SyncStrategy;
import io.mirador.config.TenantSyncOverrides;
import io.mirador.index.MetricDocumentCodec;
import io.mirador.index.TenantIndex;
import io.mirador.index.TenantIndexes;
import io.mirador.source.SourceException;
import io.mirador.state.StateStoreException;
import io.mirador.state.SyncState;
import io.mirador.state.SyncStatus;
import io.mirador.state.TenantSyncRecord;
import io.mirador.support.Json;
import io.mirador.tenant.Tenant;
import io.mirador.testing.ApplicationDefaults;
import io.mirador.tenant.Tenants;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Syncs start, end and are recorded as the service promises: one at a time per tenant, never wedged by a start
 * that could not be recorded, counted and recorded when they complete or fail (a failed one keeping the last
 * commit), a sync left running by a stopped process counted as failed, and the hybrid strategy choosing a full
 * sync when the full-sync interval has passed or the index is being rebuilt.
 */
class SyncRunsTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Tenants TENANTS = new Tenants(List.of(
            new Tenant("t", "http://127.0.0.1:1", "", Map.of(), ""),
            new Tenant("u", "http://127.0.0.1:1", "", Map.of(), "")));

    @TempDir
    Path dataDir;

    private TenantIndexes indexes;
    private final MemoryStateStore store = new MemoryStateStore();
    private final List<String> finished = new ArrayList<>();

    @AfterEach
    void close() {
        if (indexes != null) {
            indexes.close();
        }
    }

    /** Settings of application.properties (hybrid, full_sync_interval 24h, full window 24h, lookback 1h), plus {@code values}. */
    private static SyncSettings settings(Map<String, String> values) {
        return new SyncSettings(SyncConfig.fromSettings(ApplicationDefaults.with(values)));
    }

    private SyncRuns runs(SyncSettings settings) {
        if (indexes == null) {
            indexes = new TenantIndexes(TENANTS, dataDir, new MetricDocumentCodec(Json.newMapper()));
        }
        return new SyncRuns(TENANTS, indexes, settings, store, CLOCK,
                List.of((run, status, inIndex) -> finished.add(run.tenant().id() + " " + status.status() + " " + inIndex)),
                TenantSyncOverrides.fromSettings(List.of("t", "u"), key -> Optional.empty()),
                new RemovalGuard(indexes, settings), CatalogPublication.local(indexes), false);
    }

    private SyncRuns runs() {
        return runs(settings(Map.of()));
    }

    private static SyncRequest full(String tenantId) {
        return new SyncRequest(tenantId, true, "api", null, null, false);
    }

    private static MetricDocument doc(String name, String family) {
        return new MetricDocument(name, name, "gauge", "", "", Map.of(), List.of(), "t", NOW, NOW, NOW, NOW, 1,
                Map.of(), Map.of(), MetricDocument.TYPE_SOURCE_INFERRED, family, null);
    }

    /** A record of tenant t whose last full sync was at {@code lastFull}. */
    private static TenantSyncRecord lastFullAt(Instant lastFull) {
        SyncState state = new SyncState("t", lastFull, lastFull, 1, 1, 0, 0, 0, false, null, null);
        return new TenantSyncRecord(1, lastFull, state, SyncStatus.idle("t"));
    }

    @Test
    void should_refuse_a_second_sync_of_a_tenant_when_one_is_running() {
        // given
        SyncRuns runs = runs();
        SyncRun first = runs.begin(full("t"));

        // when / then
        assertThatThrownBy(() -> runs.begin(SyncRequest.scheduled("t")))
                .isInstanceOfSatisfying(SyncConflictException.class, e -> {
                    assertThat(e.running().status()).isEqualTo(SyncStatus.RUNNING);
                    assertThat(e.running().tenantId()).isEqualTo("t");
                    assertThat(e.running().trigger()).isEqualTo("api");
                })
                .hasMessageContaining("tenant t is running");
        assertThat(runs.runningSyncs()).containsExactly(first);
        assertThat(runs.status("t").status()).isEqualTo(SyncStatus.RUNNING);
    }

    @Test
    void should_run_syncs_of_different_tenants_at_once_when_each_has_one() {
        // given
        SyncRuns runs = runs();

        // when
        SyncRun t = runs.begin(full("t"));
        SyncRun u = runs.begin(full("u"));

        // then
        assertThat(runs.runningSyncs()).containsExactlyInAnyOrder(t, u);
        assertThat(runs.isRunning("t")).isTrue();
        assertThat(runs.isRunning("u")).isTrue();
        assertThat(store.saved("t").state().isCurrentlySyncing()).isTrue();
        assertThat(store.saved("t").status().status()).isEqualTo(SyncStatus.RUNNING);
    }

    @Test
    void should_leave_nothing_running_when_the_start_cannot_be_recorded() {
        // given a store that fails like a full disk
        SyncRuns runs = runs();
        store.failing(true);

        // when / then
        assertThatThrownBy(() -> runs.begin(full("t"))).isInstanceOf(StateStoreException.class);
        assertThat(runs.isRunning("t")).isFalse();
        assertThat(runs.runningSyncs()).isEmpty();
        assertThat(runs.state("t").isCurrentlySyncing()).isFalse();
        assertThat(runs.status("t").status()).isEqualTo(SyncStatus.IDLE);

        // and: once the store takes writes again, the next sync starts
        store.failing(false);
        assertThat(runs.begin(full("t")).tenant().id()).isEqualTo("t");
        assertThat(runs.isRunning("t")).isTrue();
    }

    @Test
    void should_commit_count_and_record_when_a_sync_completes() {
        // given a full sync that wrote a histogram family (its document and a folded part) and one plain metric
        SyncRuns runs = runs();
        SyncRun run = runs.begin(full("t"));
        TenantIndex index = indexes.of("t");
        index.write(doc("h", "h"), run.id());
        index.write(doc("h_bucket", "h"), run.id());
        index.write(doc("up", null), run.id());
        run.countAdded();
        run.countAdded();
        run.countAdded();
        run.countProcessed(3);

        // when
        SyncRun done = runs.complete(run);

        // then: committed, counted and recorded
        assertThat(index.count()).isEqualTo(3);
        assertThat(done.outcome().status()).isEqualTo(SyncStatus.COMPLETED);
        assertThat(done.outcome().metricsAdded()).isEqualTo(3);
        assertThat(done.outcome().metricsProcessed()).isEqualTo(3);
        assertThat(done.outcome().errors()).isNull();
        assertThat(runs.isRunning("t")).isFalse();
        SyncState state = runs.state("t");
        assertThat(state.totalSyncs()).isEqualTo(1);
        assertThat(state.successfulSyncs()).isEqualTo(1);
        assertThat(state.failedSyncs()).isZero();
        assertThat(state.metricsInIndex()).isEqualTo(2);
        assertThat(state.documentsInIndex()).isEqualTo(3);
        assertThat(state.lastSyncTime()).isEqualTo(NOW);
        assertThat(state.lastFullSyncTime()).isEqualTo(NOW);
        assertThat(state.isCurrentlySyncing()).isFalse();
        assertThat(store.saved("t").state()).isEqualTo(state);
        assertThat(store.saved("t").status().status()).isEqualTo(SyncStatus.COMPLETED);
        assertThat(store.saved("t").version()).isEqualTo(2);
        assertThat(finished).containsExactly("t completed 2");
    }

    @Test
    void should_record_the_failure_and_keep_the_last_commit_when_a_sync_fails() {
        // given a committed catalog of two metrics
        SyncRuns runs = runs();
        SyncRun first = runs.begin(full("t"));
        indexes.of("t").write(doc("a", null), first.id());
        indexes.of("t").write(doc("b", null), first.id());
        runs.complete(first);
        // and: a second sync that wrote a third one
        SyncRun second = runs.begin(full("t"));
        indexes.of("t").write(doc("c", null), second.id());

        // when it fails, wrapped as Camel wraps it
        runs.fail(second, new RuntimeCamelException(new SourceException(503, "the source answered 503", null)));

        // then: the reason is the service's own exception, the index is the last commit
        assertThat(second.outcome().status()).isEqualTo(SyncStatus.FAILED);
        assertThat(second.outcome().errors()).containsExactly("the source answered 503");
        SyncState state = runs.state("t");
        assertThat(state.totalSyncs()).isEqualTo(2);
        assertThat(state.successfulSyncs()).isEqualTo(1);
        assertThat(state.failedSyncs()).isEqualTo(1);
        assertThat(state.lastError()).isEqualTo("the source answered 503");
        assertThat(state.lastErrorTime()).isEqualTo(NOW);
        assertThat(state.metricsInIndex()).isEqualTo(2);
        assertThat(indexes.of("t").count()).isEqualTo(2);
        assertThat(indexes.of("t").get("c")).isEmpty();
        assertThat(runs.isRunning("t")).isFalse();
        assertThat(store.saved("t").status().status()).isEqualTo(SyncStatus.FAILED);
        assertThat(finished).containsExactly("t completed 2", "t failed 2");

        // and: what the failed sync wrote is not committed by the next one either
        SyncRun third = runs.begin(SyncRequest.scheduled("t"));
        runs.complete(third);
        assertThat(indexes.of("t").get("c")).isEmpty();
    }

    @Test
    void should_fail_instead_of_removing_when_a_full_sync_would_remove_more_than_the_share() {
        // given a committed catalog of three metrics, and a full sync that saw one of them
        SyncRuns runs = runs();
        SyncRun first = runs.begin(full("t"));
        for (String name : List.of("a", "b", "c")) {
            indexes.of("t").write(doc(name, null), first.id());
        }
        runs.complete(first);
        SyncRun second = runs.begin(full("t"));
        indexes.of("t").write(doc("a", null), second.id());

        // when
        runs.complete(second);

        // then
        assertThat(second.outcome().status()).isEqualTo(SyncStatus.FAILED);
        assertThat(second.outcome().errors().get(0)).contains("would remove 2 of the 3 metric documents");
        assertThat(indexes.of("t").count()).isEqualTo(3);
    }

    @Test
    void should_record_a_sync_left_running_as_failed_and_interrupted_when_the_service_starts() {
        // given a record left by a process killed mid-sync
        Instant started = NOW.minus(Duration.ofMinutes(3));
        SyncState syncing = new SyncState("t", null, null, 4, 2, 2, 10, 12, true, null, null);
        SyncStatus running = new SyncStatus("t", SyncStatus.RUNNING, started, null, null, SyncStrategy.FULL, "schedule",
                5, 1, 0, 0, null);
        store.holding("t", new TenantSyncRecord(7, started, syncing, running));

        // when
        SyncRuns runs = runs();

        // then
        SyncState state = runs.state("t");
        assertThat(state.isCurrentlySyncing()).isFalse();
        assertThat(state.failedSyncs()).isEqualTo(3);
        assertThat(state.totalSyncs()).isEqualTo(5);
        assertThat(state.successfulSyncs()).isEqualTo(2);
        assertThat(state.lastError()).startsWith("interrupted");
        assertThat(state.lastErrorTime()).isEqualTo(NOW);
        SyncStatus status = runs.status("t");
        assertThat(status.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(status.startTime()).isEqualTo(started);
        assertThat(status.errors()).singleElement().asString().startsWith("interrupted");
        assertThat(store.saved("t").version()).isEqualTo(8);
        assertThat(store.saved("t").state()).isEqualTo(state);
        // and: the other tenant, never synced, is left as it was
        assertThat(runs.status("u").status()).isEqualTo(SyncStatus.IDLE);
        assertThat(runs.state("u").failedSyncs()).isZero();
    }

    @Test
    void should_plan_a_full_sync_when_hybrid_and_the_last_full_sync_is_older_than_the_interval() {
        // given a last full sync 25 hours ago, a full-sync interval of 24 hours
        store.holding("t", lastFullAt(NOW.minus(Duration.ofHours(25))));
        SyncSettings settings = settings(Map.of());
        SyncRuns runs = runs(settings);

        // when / then
        assertThat(runs.planned("t", settings.current(), NOW)).isEqualTo(SyncStrategy.FULL);
        assertThat(runs.planned("t", settings.current(), NOW.minus(Duration.ofHours(1)))).isEqualTo(SyncStrategy.FULL);
        assertThat(runs.planned("t", settings.current(), NOW.minus(Duration.ofHours(1)).minusSeconds(1)))
                .isEqualTo(SyncStrategy.INCREMENTAL);
        // and: a tenant never synced in full
        assertThat(runs.planned("u", settings.current(), NOW)).isEqualTo(SyncStrategy.FULL);
    }

    @Test
    void should_plan_an_incremental_sync_when_hybrid_and_the_last_full_sync_is_recent() {
        // given a last full sync an hour ago
        store.holding("t", lastFullAt(NOW.minus(Duration.ofHours(1))));
        SyncSettings settings = settings(Map.of());
        SyncRuns runs = runs(settings);

        // when
        SyncRun run = runs.begin(SyncRequest.scheduled("t"));

        // then: the incremental window is the lookback
        assertThat(runs.planned("t", settings.current(), NOW)).isEqualTo(SyncStrategy.INCREMENTAL);
        assertThat(run.strategy()).isEqualTo(SyncStrategy.INCREMENTAL);
        assertThat(run.window().start()).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(run.window().end()).isEqualTo(NOW);
    }

    @Test
    void should_plan_the_configured_strategy_when_it_is_not_hybrid() {
        // given an incremental config and a tenant never synced in full
        SyncSettings settings = settings(Map.of("mirador.sync.strategy", "incremental"));
        SyncRuns runs = runs(settings);

        // when / then
        assertThat(runs.planned("t", settings.current(), NOW)).isEqualTo(SyncStrategy.INCREMENTAL);
        // and: forcing a full sync reads the full window
        SyncRun forced = runs.begin(full("t"));
        assertThat(forced.strategy()).isEqualTo(SyncStrategy.FULL);
        assertThat(forced.window().start()).isEqualTo(NOW.minus(Duration.ofHours(24)));
    }

    @Test
    void should_plan_a_full_sync_when_the_index_is_being_rebuilt() throws Exception {
        // given: tenant t's index directory holds a damaged commit, moved aside when opened
        Path broken = Files.createDirectories(dataDir.resolve("indexes").resolve("t"));
        Files.write(broken.resolve("segments_1"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        store.holding("t", lastFullAt(NOW.minus(Duration.ofHours(1))));
        SyncSettings settings = settings(Map.of("mirador.sync.strategy", "incremental"));
        SyncRuns runs = runs(settings);
        assertThat(indexes.of("t").isRebuilding()).isTrue();

        // when / then
        assertThat(runs.planned("t", settings.current(), NOW)).isEqualTo(SyncStrategy.FULL);
        assertThat(runs.planned("u", settings.current(), NOW)).isEqualTo(SyncStrategy.INCREMENTAL);
    }
}
