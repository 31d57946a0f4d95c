package io.mirador.routes;

import io.mirador.catalog.MetricDocument;
import io.mirador.catalog.MetricMerger;
import io.mirador.catalog.MetricObservation;
import io.mirador.config.SyncSettings;
import io.mirador.config.SyncStrategy;
import io.mirador.config.TenantSyncOverrides;
import io.mirador.index.MetricDocumentCodec;
import io.mirador.index.TenantIndexes;
import io.mirador.replica.CatalogFollower;
import io.mirador.replica.SoleReplicaClusterService;
import io.mirador.replica.SyncForwarding;
import io.mirador.source.MetricNameReader;
import io.mirador.source.PrometheusApi;
import io.mirador.source.SeriesCensus;
import io.mirador.source.SeriesReader;
import io.mirador.source.SourceCalls;
import io.mirador.source.SourceException;
import io.mirador.source.SourceReadException;
import io.mirador.source.SourceRequest;
import io.mirador.source.TimeWindow;
import io.mirador.state.FileSyncStateStore;
import io.mirador.state.SyncStatus;
import io.mirador.support.DutyCycle;
import io.mirador.support.Json;
import io.mirador.sync.CatalogPublication;
import io.mirador.sync.CatalogWriter;
import io.mirador.sync.CaughtFailure;
import io.mirador.sync.DocumentBatches;
import io.mirador.sync.RemovalGuard;
import io.mirador.sync.SourceChanges;
import io.mirador.sync.SourceScan;
import io.mirador.sync.SyncRequest;
import io.mirador.sync.SyncRun;
import io.mirador.sync.SyncRuns;
import io.mirador.sync.SyncSchedule;
import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;
import io.mirador.testing.ApplicationDefaults;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of the sync pipeline as {@code routes/sync.camel.yaml} and {@code routes/source.camel.yaml} declare it,
 * with the YAML files loaded as they are into a plain Camel context. The three source routes' bean steps are replaced
 * by mock endpoints that play the source; every other bean is the real class, wired over a temporary directory
 * (a real Lucene index, a real state file), so what is committed is read back from the index.
 */
class SyncRoutesTest extends CamelTestSupport {

    /** Documents per index batch ({@code mirador.index.batch-size}) in these tests. */
    static final int INDEX_BATCH = 10;
    /** Names per read batch ({@code batch_size} of the sync config) in these tests. */
    static final int READ_BATCH = 5;
    /** Retries of a failed source step ({@code max_retries}) in these tests. */
    static final int MAX_RETRIES = 2;
    static final String TENANT = "default";

    @TempDir
    Path dir;

    private TenantIndexes indexes;
    private FileSyncStateStore store;

    /** The names the fake source lists in the next sync. */
    private volatile List<String> listed = List.of();
    /** Series per name in the source's census of the day; null: the source does not answer a census. */
    private volatile Map<String, Long> counted;
    private SourceChanges changes;

    @Override
    public void configureTest(TestExecutionConfiguration config) {
        super.configureTest(config);
        // the routes are loaded and advised by each test before the context starts
        config.withUseAdviceWith(true);
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        ApplicationDefaults.load().forEach((key, value) -> {
            if (key.startsWith("mirador.")) {
                p.setProperty(key, value);
            }
        });
        p.setProperty("mirador.index.batch-size", Integer.toString(INDEX_BATCH));
        // longer than any sync here: a partial batch completed by it would show as "timeout", and late
        p.setProperty("mirador.index.batch-timeout", "20000");
        // the schedule never fires during a test: each test sends its syncs itself
        p.setProperty("mirador.sync.tick", "3600000");
        p.setProperty("mirador.sync.first-tick", "3600000");
        p.setProperty("mirador.sync.read-threads", "2");
        return p;
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        Tenants tenants = new Tenants(List.of(new Tenant(TENANT, "http://127.0.0.1:9", "", Map.of(), "")));
        SyncSettings settings = SyncSettings.fromSettings(ApplicationDefaults.with(Map.of(
                "mirador.sync.enabled", "false",
                "mirador.sync.batch-size", Integer.toString(READ_BATCH),
                "mirador.sync.max-retries", Integer.toString(MAX_RETRIES),
                "mirador.sync.retry-delay", "5ms")), env -> false, property -> false);
        indexes = new TenantIndexes(tenants, dir, new MetricDocumentCodec(Json.newMapper()));
        store = new FileSyncStateStore(dir, Json.newMapper());
        TenantSyncOverrides overrides = TenantSyncOverrides.fromSettings(List.of(TENANT), key -> Optional.empty());
        RemovalGuard guard = new RemovalGuard(indexes, settings);
        changes = new SourceChanges(indexes);
        SyncRuns runs = new SyncRuns(tenants, indexes, settings, store, Clock.systemUTC(), List.of(changes), overrides, guard,
                CatalogPublication.local(indexes), false);
        SoleReplicaClusterService cluster = new SoleReplicaClusterService("test");
        context.addService(cluster);
        registry.bind("catalogFollower", CatalogFollower.alone(indexes));
        registry.bind("syncForwarding", new SyncForwarding(context, cluster, null, "", Json.newMapper(),
                Duration.ofSeconds(1), Duration.ofSeconds(1)));
        // the source's HTTP is never reached: the source routes' bean steps are replaced in every test
        PrometheusApi api = new PrometheusApi(new SourceCalls() {
            @Override
            public <T> T call(SourceRequest<T> request) {
                throw new AssertionError("no source call expected in a route test");
            }
        }, 100, DutyCycle.never());
        registry.bind("syncSettings", settings);
        registry.bind("syncRuns", runs);
        registry.bind("syncSchedule", new SyncSchedule(tenants, runs, settings, Clock.systemUTC(), overrides, indexes));
        registry.bind("removalGuard", guard);
        registry.bind("sourceChanges", changes);
        registry.bind("sourceScan", new SourceScan(api, new MetricNameReader(api, 100_000),
                new SeriesReader(api, 30_000, 100, 100_000)));
        registry.bind("catalogWriter", new CatalogWriter(indexes, new MetricMerger(100), DutyCycle.never(),
                CatalogPublication.local(indexes)));
        registry.bind("documentBatches", new DocumentBatches());
        registry.bind("caughtFailure", new CaughtFailure());
    }

    @AfterEach
    void closeIndexes() {
        if (indexes != null) {
            indexes.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /**
     * One sync of 23 names in read batches of 5 reads the metadata once, lists the names once, reads 5 batches of
     * series (the names in order, 5 at a time), hands every document and one end signal to index-batch, writes
     * batches of at most mirador.index.batch-size documents and commits all 23.
     */
    @Test
    void should_read_each_step_once_and_every_batch_once_and_index_every_document_when_a_sync_runs() throws Exception {
        // given
        startPipeline();
        listed = names("pipeline_metric_", 23);
        MockEndpoint metadata = getMockEndpoint("mock:source-read-metadata");
        MockEndpoint names = getMockEndpoint("mock:source-list-names");
        MockEndpoint series = getMockEndpoint("mock:source-read-series");
        MockEndpoint indexBatch = getMockEndpoint("mock:index-batch");
        MockEndpoint written = getMockEndpoint("mock:index-batch-written");
        metadata.expectedMessageCount(1);
        names.expectedMessageCount(1);
        series.expectedMessageCount(5);
        indexBatch.expectedMessageCount(23 + 1);

        // when
        SyncRun run = sync();

        // then
        MockEndpoint.assertIsSatisfied(context);
        assertThat(run.outcome().status()).isEqualTo(SyncStatus.COMPLETED);
        List<List<String>> readBatches = new ArrayList<>();
        for (Exchange e : series.getReceivedExchanges()) {
            readBatches.add(List.copyOf(e.getMessage().getBody(List.class)));
        }
        assertThat(readBatches).as("read batches, in any order").containsExactlyInAnyOrder(
                listed.subList(0, 5), listed.subList(5, 10), listed.subList(10, 15), listed.subList(15, 20),
                listed.subList(20, 23));
        List<Exchange> ends = indexBatch.getReceivedExchanges().stream()
                .filter(e -> Boolean.TRUE.equals(e.getMessage().getHeader("MiradorSyncEnd", Boolean.class))).toList();
        assertThat(ends).as("end signals").hasSize(1);
        assertThat(indexBatch.getReceivedExchanges().get(indexBatch.getReceivedCounter() - 1))
                .as("the end signal comes last").isSameAs(ends.get(0));
        assertThat(indexBatch.getReceivedExchanges().stream().map(e -> e.getMessage().getBody())
                .filter(b -> b instanceof MetricDocument).map(b -> ((MetricDocument) b).name()))
                .as("documents handed to index-batch").containsExactlyInAnyOrderElementsOf(listed);
        List<Integer> sizes = batchSizes(written);
        assertThat(sizes).as("index batch sizes").allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(INDEX_BATCH));
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(23);
        assertThat(indexes.of(TENANT).count()).as("documents committed").isEqualTo(23);
    }

    /** An incremental sync whose window reaches into the day before reads every name: the census counts only the last day. */
    @Test
    void should_read_every_name_when_the_window_starts_the_day_before() throws Exception {
        // given
        startPipeline();
        listed = names("pipeline_metric_", 23);
        Map<String, Long> counts = new TreeMap<>();
        listed.forEach(name -> counts.put(name, 1L));
        counted = Map.copyOf(counts);
        MockEndpoint series = getMockEndpoint("mock:source-read-series");
        assertThat(sync(true).outcome().status()).isEqualTo(SyncStatus.COMPLETED);
        int readByFull = series.getReceivedCounter();

        // when: nothing moved, but the window starts before midnight
        Instant now = Instant.now();
        Instant today = now.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        SyncRun across = template.requestBody("direct:sync-run", new SyncRequest(TENANT, false, "test",
                new TimeWindow(today.minusSeconds(60), now), null, false), SyncRun.class);

        // then: every name read again
        assertThat(across.outcome().status()).isEqualTo(SyncStatus.COMPLETED);
        assertThat(series.getReceivedCounter()).as("series reads").isGreaterThan(readByFull);
    }

    /**
     * After a full sync, an incremental sync whose census of the day equals the full sync's reads no series: every
     * listed name is confirmed (processed, nothing added or updated). When one name's series count moves, only that
     * name is read.
     */
    @Test
    void should_read_only_the_names_whose_series_counts_moved_when_an_incremental_sync_follows() throws Exception {
        // given
        startPipeline();
        listed = names("pipeline_metric_", 23);
        Map<String, Long> counts = new TreeMap<>();
        listed.forEach(name -> counts.put(name, 1L));
        counted = Map.copyOf(counts);
        MockEndpoint series = getMockEndpoint("mock:source-read-series");
        assertThat(sync(true).outcome().status()).isEqualTo(SyncStatus.COMPLETED);
        int readByFull = series.getReceivedCounter();

        // when: nothing moved
        SyncRun unchanged = sync(false);

        // then
        assertThat(unchanged.strategy()).isEqualTo(SyncStrategy.INCREMENTAL);
        assertThat(series.getReceivedCounter()).as("series reads").isEqualTo(readByFull);
        assertThat(unchanged.outcome().metricsProcessed()).isEqualTo(23);
        assertThat(unchanged.outcome().metricsAdded() + unchanged.outcome().metricsUpdated()).isZero();

        // when: one name's series count moved
        String grown = listed.get(7);
        counts.put(grown, 2L);
        counted = Map.copyOf(counts);
        SyncRun moved = sync(false);

        // then
        assertThat(series.getReceivedCounter()).as("series reads").isEqualTo(readByFull + 1);
        assertThat(series.getReceivedExchanges().get(readByFull).getMessage().getBody(List.class))
                .containsExactly(grown);
        assertThat(moved.outcome().metricsProcessed()).isEqualTo(23);
        assertThat(indexes.of(TENANT).count()).isEqualTo(23);
    }

    /**
     * With 23 documents and index batches of 10, two batches complete by size and the last 3 documents are written
     * when the sync's end signal arrives (completed by the predicate, not by mirador.index.batch-timeout, which is
     * 20 seconds here).
     */
    @Test
    void should_write_the_last_partial_batch_when_the_end_signal_arrives() throws Exception {
        // given
        startPipeline();
        listed = names("partial_metric_", 23);
        MockEndpoint written = getMockEndpoint("mock:index-batch-written");
        written.expectedMessageCount(3);

        // when
        long started = System.nanoTime();
        SyncRun run = sync();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // then
        written.assertIsSatisfied();
        assertThat(run.outcome().status()).isEqualTo(SyncStatus.COMPLETED);
        List<String> completedBy = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (Exchange e : written.getReceivedExchanges()) {
            completedBy.add(e.getProperty(Exchange.AGGREGATED_COMPLETED_BY, String.class));
            sizes.add(e.getMessage().getBody(List.class).size());
        }
        assertThat(sizes).containsExactly(10, 10, 3);
        assertThat(completedBy).containsExactly("size", "size", "predicate");
        assertThat(took).as("no wait for the batch timeout").isLessThan(Duration.ofSeconds(10));
        assertThat(indexes.of(TENANT).count()).isEqualTo(23);
    }

    /**
     * A name listing that keeps failing with a 5xx is tried 1 + max_retries times; sync-run then ends in
     * syncRuns.fail: the sync is recorded failed with the source's reason, no series is read and the catalog keeps
     * its last commit.
     */
    @Test
    void should_fail_the_sync_and_keep_the_last_commit_when_the_name_listing_keeps_failing() throws Exception {
        // given: a first sync committed 12 metrics
        startPipeline();
        listed = names("kept_metric_", 12);
        assertThat(sync().outcome().status()).isEqualTo(SyncStatus.COMPLETED);
        MockEndpoint names = getMockEndpoint("mock:source-list-names");
        MockEndpoint series = getMockEndpoint("mock:source-read-series");
        names.reset();
        series.reset();
        names.whenAnyExchangeReceived(e -> {
            throw new SourceException(503, "injected 503 of the name listing", null);
        });
        names.expectedMessageCount(1 + MAX_RETRIES);
        series.expectedMessageCount(0);

        // when
        SyncRun run = sync();

        // then
        MockEndpoint.assertIsSatisfied(context);
        SyncStatus outcome = run.outcome();
        assertThat(outcome.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(outcome.errors().get(0)).contains("injected 503 of the name listing");
        assertThat(indexes.of(TENANT).count()).as("the last commit").isEqualTo(12);
        assertThat(store.loadAll().get(TENANT).status().status()).as("recorded").isEqualTo(SyncStatus.FAILED);
    }

    /**
     * A read batch that keeps failing after other batches were written makes sync-run fail and roll back: none of
     * the documents written by this sync are committed, neither the new metrics nor the updated ones.
     */
    @Test
    void should_commit_nothing_of_the_sync_when_one_read_batch_keeps_failing() throws Exception {
        // given: 12 metrics committed; the next listing adds 13 more, whose last read batch keeps failing
        startPipeline();
        listed = names("kept_metric_", 12);
        assertThat(sync().outcome().status()).isEqualTo(SyncStatus.COMPLETED);
        List<String> grown = new ArrayList<>(listed);
        grown.addAll(names("new_metric_", 13));
        listed = grown;
        String poisoned = grown.get(grown.size() - 1);
        MockEndpoint series = getMockEndpoint("mock:source-read-series");
        series.reset();
        series.whenAnyExchangeReceived(e -> {
            List<?> batch = e.getMessage().getBody(List.class);
            if (batch.contains(poisoned)) {
                throw new SourceException(502, "injected 502 of a read batch", null);
            }
            e.getMessage().setBody(observations(batch));
        });

        // when
        SyncRun run = sync();

        // then
        assertThat(run.outcome().status()).isEqualTo(SyncStatus.FAILED);
        assertThat(run.outcome().errors().get(0)).contains("injected 502 of a read batch");
        assertThat(series.getReceivedExchanges().stream()
                .filter(e -> e.getMessage().getBody(List.class).contains(poisoned)).count())
                .as("the failing batch, retried").isEqualTo(1 + MAX_RETRIES);
        assertThat(indexes.of(TENANT).count()).as("the last commit").isEqualTo(12);
        assertThat(indexes.of(TENANT).get("new_metric_00000")).as("a new metric of an earlier batch").isEmpty();
    }

    /**
     * The source-retries policy: a read batch that fails with a 503, then with a read error (an IOException in the
     * cause chain, as SourceReadException carries it), then reads is tried three times and the sync completes; one
     * answered 400 is tried once and the sync fails.
     */
    @Test
    void should_retry_a_5xx_and_a_read_error_and_not_a_4xx_when_a_read_batch_fails() throws Exception {
        // given: 4 names, one read batch; a 503, a connection reset, then the source answers
        startPipeline();
        listed = names("retried_metric_", 4);
        MockEndpoint series = getMockEndpoint("mock:source-read-series");
        series.whenExchangeReceived(1, e -> {
            throw new SourceException(503, "injected 503", null);
        });
        series.whenExchangeReceived(2, e -> {
            throw new SourceReadException("injected read error", new SocketException("Connection reset"));
        });

        // when
        SyncRun retried = sync();

        // then
        assertThat(retried.outcome().status()).isEqualTo(SyncStatus.COMPLETED);
        assertThat(series.getReceivedCounter()).isEqualTo(3);
        assertThat(indexes.of(TENANT).count()).isEqualTo(4);

        // given: a 400 is not the source being unwell
        series.reset();
        series.whenAnyExchangeReceived(e -> {
            throw new SourceException(400, "injected 400", null);
        });

        // when
        SyncRun refused = sync();

        // then
        assertThat(refused.outcome().status()).isEqualTo(SyncStatus.FAILED);
        assertThat(refused.outcome().errors().get(0)).contains("injected 400");
        assertThat(series.getReceivedCounter()).isEqualTo(1);
    }

    /** Loads the YAML routes as they are, replaces the source routes' bean steps by mocks, adds taps, starts. */
    private void startPipeline() throws Exception {
        // the thread pool application.properties declares for the routes (camel.threadpool.config[sync-read].*)
        int readThreads = Integer.parseInt(context.resolvePropertyPlaceholders("{{mirador.sync.read-threads}}"));
        ThreadPoolProfile syncRead = new ThreadPoolProfileBuilder("sync-read").poolSize(readThreads)
                .maxPoolSize(readThreads).maxQueueSize(100_000).build();
        context.getExecutorServiceManager().registerThreadPoolProfile(syncRead);
        RoutesLoader loader = context.getCamelContextExtension().getContextPlugin(RoutesLoader.class);
        List<Resource> files = List.of(ResourceHelper.resolveResource(context, "file:routes/source.camel.yaml"),
                ResourceHelper.resolveResource(context, "file:routes/sync.camel.yaml"));
        loader.loadRoutes(files);
        for (String route : List.of("source-read-metadata", "source-take-census", "source-list-names",
                "source-read-series")) {
            AdviceWith.adviceWith(context, route, a -> a.weaveByType(BeanDefinition.class).replace().to("mock:" + route));
        }
        AdviceWith.adviceWith(context, "index-batch", a -> {
            a.weaveAddFirst().to("mock:index-batch");
            a.weaveByType(BeanDefinition.class).before().to("mock:index-batch-written");
        });
        getMockEndpoint("mock:source-read-metadata").whenAnyExchangeReceived(e -> run(e).metadata(Map.of()));
        getMockEndpoint("mock:source-take-census").whenAnyExchangeReceived(e -> run(e).census(counted == null ? null
                : new SeriesCensus(LocalDate.ofInstant(run(e).window().end(), ZoneOffset.UTC),
                counted.values().stream().mapToLong(Long::longValue).sum(), counted.size(), counted)));
        getMockEndpoint("mock:source-list-names").whenAnyExchangeReceived(e -> run(e).names(listed));
        getMockEndpoint("mock:source-read-series").whenAnyExchangeReceived(
                e -> e.getMessage().setBody(observations(e.getMessage().getBody(List.class))));
        context.start();
        assertThat(context.getRoutes()).as("routes loaded from YAML").hasSize(11);
    }

    private SyncRun sync() {
        return sync(true);
    }

    /** A full sync over the default window, or an incremental one over the last minute of today (UTC) at most. */
    private SyncRun sync(boolean full) {
        Instant now = Instant.now();
        Instant today = now.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        TimeWindow window = full ? null : new TimeWindow(now.minusSeconds(60).isBefore(today) ? today : now.minusSeconds(60), now);
        return template.requestBody("direct:sync-run", new SyncRequest(TENANT, full, "test", window, null, false),
                SyncRun.class);
    }

    private static SyncRun run(Exchange e) {
        return e.getProperty(DocumentBatches.SYNC_RUN, SyncRun.class);
    }

    private static List<String> names(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("%s%05d", prefix, i)).sorted().toList();
    }

    /** What the source would have read of these names: one series each. */
    private static List<MetricObservation> observations(List<?> batch) {
        List<MetricObservation> out = new ArrayList<>();
        for (Object name : batch) {
            out.add(new MetricObservation((String) name, 1, Map.of("job", "fake"), Map.of("job", List.of("fake")),
                    Map.of("job", 1L)));
        }
        return out;
    }

    private static List<Integer> batchSizes(MockEndpoint written) {
        return written.getReceivedExchanges().stream().map(e -> e.getMessage().getBody(List.class).size()).toList();
    }
}
