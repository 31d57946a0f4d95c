package io.mirador.sync;

import io.mirador.catalog.MetricDocument;
import io.mirador.config.SyncConfig;
import io.mirador.config.SyncConfigField;
import io.mirador.config.SyncSettings;
import io.mirador.config.SyncStrategy;
import io.mirador.index.MetricDocumentCodec;
import io.mirador.index.TenantIndexes;
import io.mirador.source.TimeWindow;
import io.mirador.support.Json;
import io.mirador.tenant.Tenant;
import io.mirador.testing.ApplicationDefaults;
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

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A full sync cannot empty the catalog because the source answered less than it holds: no names where the index
 * has metrics, or more removals than {@code max_removal_share}, is refused naming the counts and how to allow it,
 * up to the share is let through, an explicit allowance lets anything through, and an incremental sync, which
 * removes nothing, is never refused.
 */
class RemovalGuardTest {

    private static final Tenant TENANT = new Tenant("t", "http://127.0.0.1:1", "", Map.of(), "");
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(NOW.minus(Duration.ofHours(24)), NOW);

    @TempDir
    Path dataDir;

    private TenantIndexes indexes;
    private SyncSettings settings;
    private RemovalGuard guard;

    @BeforeEach
    void open() {
        indexes = new TenantIndexes(new Tenants(List.of(TENANT)), dataDir, new MetricDocumentCodec(Json.newMapper()));
        settings = new SyncSettings(SyncConfig.fromSettings(ApplicationDefaults.with(Map.of())));
        guard = new RemovalGuard(indexes, settings);
    }

    @AfterEach
    void close() {
        indexes.close();
    }

    private static SyncRun run(SyncStrategy strategy, boolean allowRemoval, String... names) {
        SyncRun run = new SyncRun("sync-2", TENANT, strategy, "api", NOW, WINDOW, 100, allowRemoval);
        run.names(List.of(names));
        return run;
    }

    private void commitMetrics(String... names) {
        for (String name : names) {
            indexes.of("t").write(new MetricDocument(name, name, "gauge", "", "", Map.of(), List.of(), "t", NOW, NOW, NOW,
                    NOW, 1, Map.of(), Map.of(), MetricDocument.TYPE_SOURCE_INFERRED, null, null), "sync-1");
        }
        indexes.of("t").commit(1);
    }

    @Test
    void should_refuse_a_full_sync_without_names_when_the_catalog_holds_metrics() {
        // given
        commitMetrics("a", "b");

        // when / then
        assertThatThrownBy(() -> guard.checkNames(run(SyncStrategy.FULL, false)))
                .isInstanceOf(SyncRefusedException.class)
                .hasMessageContaining("the source returned no metric names for " + WINDOW.start() + " .. " + WINDOW.end())
                .hasMessageContaining("while the catalog holds 2 metric documents; nothing was removed")
                .hasMessageContaining("POST /api/v1/metrics/sync/t?forceFull=true&allowRemoval=true");
    }

    @Test
    void should_let_a_full_sync_without_names_through_when_the_catalog_is_empty_or_names_were_listed() {
        // when / then: an empty catalog has nothing to lose
        assertThatCode(() -> guard.checkNames(run(SyncStrategy.FULL, false))).doesNotThrowAnyException();
        // and: names listed are not checked here
        commitMetrics("a", "b");
        assertThatCode(() -> guard.checkNames(run(SyncStrategy.FULL, false, "a"))).doesNotThrowAnyException();
    }

    @Test
    void should_let_a_full_sync_without_names_through_when_removal_is_allowed() {
        // given
        commitMetrics("a", "b");

        // when / then
        assertThatCode(() -> guard.checkNames(run(SyncStrategy.FULL, true))).doesNotThrowAnyException();
    }

    @Test
    void should_never_refuse_an_incremental_sync_when_it_lists_no_names() {
        // given
        commitMetrics("a", "b");

        // when / then
        assertThatCode(() -> guard.checkNames(run(SyncStrategy.INCREMENTAL, false))).doesNotThrowAnyException();
    }

    @Test
    void should_never_refuse_removals_of_an_incremental_sync() {
        // when / then: an incremental sync removes nothing, whatever it would count
        assertThatCode(() -> guard.checkRemovals(run(SyncStrategy.INCREMENTAL, false, "a"), 9, 10)).doesNotThrowAnyException();
    }

    @Test
    void should_let_removals_through_when_they_are_at_most_the_share() {
        // when / then: 5 of 10 is exactly the default share of 0.5
        assertThatCode(() -> guard.checkRemovals(run(SyncStrategy.FULL, false, "a"), 5, 10)).doesNotThrowAnyException();
        assertThatCode(() -> guard.checkRemovals(run(SyncStrategy.FULL, false, "a"), 0, 0)).doesNotThrowAnyException();
    }

    @Test
    void should_refuse_removals_naming_both_counts_when_they_exceed_the_share() {
        // when / then
        assertThatThrownBy(() -> guard.checkRemovals(run(SyncStrategy.FULL, false, "a"), 6, 10))
                .isInstanceOf(SyncRefusedException.class)
                .hasMessageContaining("would remove 6 of the 10 metric documents of the catalog (60%)")
                .hasMessageContaining("more than max_removal_share allows (50%); nothing was removed")
                .hasMessageContaining("allowRemoval=true");
    }

    @Test
    void should_let_every_removal_through_when_removal_is_allowed() {
        // when / then
        assertThatCode(() -> guard.checkRemovals(run(SyncStrategy.FULL, true, "a"), 10, 10)).doesNotThrowAnyException();
    }

    @Test
    void should_read_the_share_in_force_when_it_was_changed_at_run_time() {
        // given the share raised to 0.8 through the API
        settings.apply(settings.change(Map.of(SyncConfigField.MAX_REMOVAL_SHARE, 0.8), "admin", NOW));

        // when / then
        assertThatCode(() -> guard.checkRemovals(run(SyncStrategy.FULL, false, "a"), 8, 10)).doesNotThrowAnyException();
        assertThatThrownBy(() -> guard.checkRemovals(run(SyncStrategy.FULL, false, "a"), 9, 10))
                .isInstanceOf(SyncRefusedException.class)
                .hasMessageContaining("(80%)");
    }
}
