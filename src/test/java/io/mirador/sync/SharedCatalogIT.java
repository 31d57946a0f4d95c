package io.mirador.sync;

import io.mirador.catalog.MetricDocument;
import io.mirador.config.SyncStrategy;
import io.mirador.index.MetricDocumentCodec;
import io.mirador.index.TenantIndex;
import io.mirador.index.TenantIndexes;
import io.mirador.replica.SharedCatalog;
import io.mirador.source.TimeWindow;
import io.mirador.support.Json;
import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;
import io.mirador.testing.Valkey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared catalog's publication and following against a real redis-server, with two replicas' indexes in one
 * process: generations are made one at a time (a second publication on the same base is refused), replicas follow
 * by changes or by the whole catalog when the changes are gone, and a Valkey that lost the catalog is written back.
 */
class SharedCatalogIT {

    static final Tenant TENANT = new Tenant("t", "http://127.0.0.1:9", "", Map.of(), "");
    static final Tenants TENANTS = new Tenants(List.of(TENANT));
    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    @TempDir
    Path dir;

    private Valkey valkey;
    private RedissonClient redis;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() {
        valkey = Valkey.start(dir);
        Config config = new Config();
        config.useSingleServer().setAddress(valkey.url()).setTimeout(3000).setRetryAttempts(0);
        redis = Redisson.create(config);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        redis.shutdown();
        valkey.close();
    }

    /** One replica: its index and its view of the shared catalog. */
    private record Replica(TenantIndex index, SharedCatalog catalog) {
    }

    private Replica replica(String name, int deltasKept) {
        TenantIndexes indexes = new TenantIndexes(TENANTS, dir.resolve(name), new MetricDocumentCodec(Json.newMapper()));
        SharedCatalog catalog = new SharedCatalog(redis, "mirador:", TENANTS, indexes,
                new MetricDocumentCodec(Json.newMapper()), Json.newMapper(), name, deltasKept, Clock.systemUTC());
        open.add(catalog);
        open.add(indexes);
        return new Replica(indexes.of("t"), catalog);
    }

    /** A sync on {@code r} that writes {@code docs} and removes {@code removed}, published and committed. */
    private static long sync(Replica r, List<MetricDocument> docs, List<String> removed) {
        SyncRun run = begin(r);
        write(r, run, docs, removed);
        long g = r.catalog().publish(run);
        r.index().commit(g);
        r.index().releaseWriter();
        r.catalog().published(run, g);
        return g;
    }

    /** Takes the index's writer as a sync does (the announcement of a generation would otherwise update it meanwhile). */
    private static SyncRun begin(Replica r) {
        assertThat(r.index().claimWriter(Duration.ofSeconds(5))).isTrue();
        SyncRun run = new SyncRun(UUID.randomUUID().toString(), TENANT, SyncStrategy.FULL, "test", NOW,
                new TimeWindow(NOW.minus(Duration.ofDays(1)), NOW), 100, false);
        run.baseGeneration(r.catalog().prepare(run));
        return run;
    }

    private static void write(Replica r, SyncRun run, List<MetricDocument> docs, List<String> removed) {
        for (MetricDocument d : docs) {
            r.index().write(d, run.id());
        }
        for (String id : removed) {
            r.index().delete(id);
        }
        r.catalog().stage(run, docs);
        if (!removed.isEmpty()) {
            r.catalog().stageRemovals(run, removed);
        }
    }

    private static List<MetricDocument> docs(String prefix, int count, String help) {
        List<MetricDocument> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + i;
            out.add(new MetricDocument(name, name, "gauge", help, "", Map.of(), List.of(), "t", NOW, NOW, NOW, NOW, 1,
                    Map.of(), Map.of(), MetricDocument.TYPE_SOURCE_INFERRED, null, null));
        }
        return out;
    }

    private static Set<String> contents(TenantIndex index) {
        Set<String> out = new TreeSet<>();
        index.forEachStored(100, out::addAll);
        return out;
    }

    @Test
    void should_refuse_a_second_publication_on_the_same_generation_and_keep_the_first() {
        Replica a = replica("a", 3);
        Replica b = replica("b", 3);
        SyncRun first = begin(a);
        SyncRun second = begin(b);
        assertThat(first.baseGeneration()).isZero();
        assertThat(second.baseGeneration()).isZero();
        write(a, first, docs("from_a_", 3, ""), List.of());
        write(b, second, docs("from_b_", 3, ""), List.of());

        assertThat(a.catalog().publish(first)).isEqualTo(1);
        assertThatThrownBy(() -> b.catalog().publish(second))
                .hasMessageContaining("moved from generation 0 to 1");
        b.catalog().discard(second);
        b.index().rollback();
        b.index().releaseWriter();

        // then: b follows a's generation, and holds nothing of its own refused sync
        a.index().commit(1);
        a.index().releaseWriter();
        b.catalog().followAll();
        assertThat(b.index().generation()).isEqualTo(1);
        assertThat(contents(b.index())).isEqualTo(contents(a.index())).hasSize(3)
                .allMatch(json -> json.contains("from_a_"));
        assertThat(redis.getKeys().getKeysStream().filter(k -> k.contains("staging")).count()).isZero();
    }

    @Test
    void should_follow_by_changes_and_by_the_whole_catalog_when_the_changes_are_gone() {
        Replica holder = replica("holder", 1);
        Replica follower = replica("follower", 1);
        sync(holder, docs("m_", 5, "first"), List.of());
        follower.catalog().followAll();
        assertThat(follower.index().generation()).isEqualTo(1);

        // by changes: one updated, one removed
        long g = sync(holder, docs("m_", 1, "second"), List.of("m_4"));
        follower.catalog().followAll();
        assertThat(follower.index().generation()).isEqualTo(g);
        assertThat(contents(follower.index())).isEqualTo(contents(holder.index())).hasSize(4);

        // when: it falls three generations behind, more than the one kept as changes
        for (int i = 0; i < 3; i++) {
            g = sync(holder, docs("n" + i + "_", 2, "later"), List.of("m_" + i));
        }
        assertThat(valkey.get("mirador:{catalog:t}:delta:" + (g - 2))).isNull();

        // then: it reads the whole catalog, and serves what the holder serves
        follower.catalog().followAll();
        assertThat(follower.index().generation()).isEqualTo(g);
        assertThat(contents(follower.index())).isEqualTo(contents(holder.index())).hasSize(7);
        assertThat(follower.catalog().generations("t").isCurrent()).isTrue();
    }

    @Test
    void should_write_the_catalog_back_when_valkey_lost_it() {
        Replica holder = replica("holder", 3);
        Replica follower = replica("follower", 3);
        long g = sync(holder, docs("kept_", 4, ""), List.of());
        follower.catalog().followAll();

        // when: Valkey comes back empty
        valkey.flushAll();
        holder.catalog().followAll();

        // then: the replica wrote its copy back, at its generation, and a new replica reads it
        assertThat(redis.getMap("mirador:{catalog:t}:meta", StringCodec.INSTANCE).get("generation")).isEqualTo(Long.toString(g));
        assertThat(redis.getMap("mirador:{catalog:t}:docs", StringCodec.INSTANCE).size()).isEqualTo(4);
        follower.catalog().followAll();
        assertThat(follower.index().generation()).isEqualTo(g);
        Replica late = replica("late", 3);
        late.catalog().followAll();
        assertThat(contents(late.index())).isEqualTo(contents(holder.index())).hasSize(4);
    }
}
