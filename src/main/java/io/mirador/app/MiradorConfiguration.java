package io.mirador.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.api.ErrorResponses;
import io.mirador.api.FrontDoor;
import io.mirador.explorer.ExplorerApi;
import io.mirador.explorer.ExplorerSettings;
import io.mirador.explorer.MetricPreview;
import io.mirador.explorer.PageFiles;
import io.mirador.api.ResponseHeaders;
import io.mirador.api.SearchesInFlight;
import io.mirador.api.HealthApi;
import io.mirador.api.SearchApi;
import io.mirador.api.SyncApi;
import io.mirador.catalog.MetricMerger;
import io.mirador.index.MetricDocumentCodec;
import io.mirador.index.MetricSearch;
import io.mirador.index.NearMetrics;
import io.mirador.index.TenantIndexes;
import io.mirador.source.MetricNameReader;
import io.mirador.source.PrometheusApi;
import io.mirador.source.SeriesReader;
import io.mirador.source.SourceHttpClient;
import io.mirador.source.SourceProbe;
import io.mirador.support.DutyCycle;
import io.mirador.support.Json;
import io.mirador.replica.CatalogFollower;
import io.mirador.replica.LeaseClusterService;
import io.mirador.replica.SharedCatalog;
import io.mirador.replica.ValkeyVectors;
import io.mirador.replica.SoleReplicaClusterService;
import io.mirador.replica.SyncForwarding;
import io.mirador.sync.CatalogPublication;
import io.mirador.sync.CatalogWriter;
import org.apache.camel.cluster.CamelClusterService;
import org.redisson.api.RedissonClient;
import org.slf4j.LoggerFactory;
import io.mirador.sync.CaughtFailure;
import io.mirador.sync.DocumentBatches;
import io.mirador.state.FileSyncStateStore;
import io.mirador.semantic.Embedder;
import io.mirador.semantic.LoadingEmbedder;
import io.mirador.semantic.MetricVectors;
import io.mirador.semantic.SemanticNeighbors;
import io.mirador.semantic.SharedVectors;
import io.mirador.semantic.Synonyms;
import io.mirador.semantic.VectorIndexer;
import io.mirador.sync.SourceChanges;
import io.mirador.sync.SourceScan;
import io.mirador.sync.RemovalGuard;
import io.mirador.sync.SyncRuns;
import io.mirador.sync.SyncMetrics;
import io.mirador.sync.SyncSchedule;
import io.mirador.config.SyncSettings;
import io.mirador.state.SyncStateStore;
import io.mirador.config.TenantSyncOverrides;
import io.mirador.state.ValkeySyncStateStore;
import io.mirador.security.ApiKeys;
import io.mirador.tenant.Tenants;
import io.swagger.v3.core.util.PrimitiveType;
import io.vertx.core.Vertx;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;

/**
 * Builds the service's beans from the settings and binds them under the names the routes use, one capability at a
 * time. Everything a setting can make wrong fails here, before any route starts, with a message naming the setting.
 */
public final class MiradorConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Settings settings = new Settings(context);
        Clock clock = Clock.systemUTC();
        ObjectMapper json = Json.newMapper();
        Path dataDir = dataDir(settings);
        Tenants tenants = Tenants.fromSettings(settings);
        ApiKeys apiKeys = ApiKeys.fromSettings(settings);
        HttpSettings http = HttpSettings.from(settings);
        ListenAddress.check(http.host(), http.port(), apiKeys);
        SourceSettings source = SourceSettings.from(settings);
        checkRouteSettings(settings);
        Replication replication = Replication.from(settings, http.port());
        SyncStateStore store;
        try {
            store = stateStore(settings, replication, tenants, dataDir, json);
        } catch (RuntimeException e) {
            replication.close();
            throw e;
        }
        try {
            SyncSettings syncSettings = SyncSettings.fromSettings(settings, name -> System.getenv(name) != null,
                    name -> System.getProperty(name) != null);
            syncSettings.load(store.loadConfig(), store.configLocation());
            Beans beans = new Beans(context, settings, clock, json, tenants, apiKeys, store, syncSettings, source,
                    replication);
            beans.bindSource(dataDir);
            beans.bindSemantic(dataDir);
            beans.bindSync();
            beans.bindApi(http);
        } catch (RuntimeException e) {
            // nothing started: the store's connections and threads must not outlive the failed start
            store.close();
            replication.close();
            throw e;
        }
    }

    /**
     * Whether this process is one replica of several sharing Valkey ({@code mirador.state.store=valkey}), with its
     * connection and the cluster service the {@code master:} routes lead by; alone, a cluster service this process
     * always leads.
     */
    private record Replication(String replicaId, ValkeySettings valkey, RedissonClient redis, CamelClusterService cluster)
            implements AutoCloseable {

        static Replication from(Settings settings, int port) {
            String id = settings.textOrEmpty("mirador.replica.id");
            if (id.isEmpty()) {
                id = hostName() + ":" + port;
            }
            if (!"valkey".equals(settings.text("mirador.state.store"))) {
                return new Replication(id, null, null, new SoleReplicaClusterService(id));
            }
            ValkeySettings valkey = ValkeySettings.from(settings);
            LoggerFactory.getLogger(MiradorConfiguration.class).info("replica '{}' of the catalog kept in Valkey ({},"
                    + " keys {}*)", id, valkey.describe(), valkey.prefix());
            RedissonClient redis = valkey.connect();
            return new Replication(id, valkey, redis, new LeaseClusterService(redis, valkey.prefix(), id, valkey.lease()));
        }

        private static String hostName() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                return "localhost";
            }
        }

        boolean isShared() {
            return redis != null;
        }

        @Override
        public void close() {
            if (redis != null) {
                redis.shutdown();
            }
        }
    }

    private static Path dataDir(Settings settings) {
        Path dataDir = Path.of(settings.text("mirador.data-dir")).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("mirador.data-dir (MIRADOR_DATA_DIR): cannot create " + dataDir, e);
        }
        return dataDir;
    }

    /** The settings the routes read as placeholders, checked here so that a bad one is named, not a route. */
    private static void checkRouteSettings(Settings settings) {
        settings.integer("mirador.sync.read-threads", 1, 256);
        settings.integer("mirador.index.batch-size", 1, 100_000);
        settings.integer("mirador.index.batch-timeout", 100, 3_600_000);
        settings.integer("mirador.sync.tick", 10, 3_600_000);
        settings.integer("mirador.sync.first-tick", 0, 3_600_000);
    }

    /** The beans of one start, bound capability by capability. */
    private static final class Beans {
        private final CamelContext context;
        private final Registry registry;
        private final Settings settings;
        private final Clock clock;
        private final ObjectMapper json;
        private final Tenants tenants;
        private final ApiKeys apiKeys;
        private final SyncStateStore store;
        private final SyncSettings syncSettings;
        private final SourceSettings source;
        private final Replication replication;
        private CatalogPublication publication;
        private CatalogFollower follower;
        private SyncForwarding forwarding;
        private final List<AutoCloseable> closeAfterStore = new java.util.ArrayList<>();
        private final SearchesInFlight searches = new SearchesInFlight();
        private final MeterRegistryLookup meters;
        private SourceHttpClient sourceHttp;
        private TenantIndexes indexes;
        private SourceChanges sourceChanges;
        private VectorIndexer vectorIndexer;
        private NearMetrics near = NearMetrics.NONE;
        private float semanticWeight;
        private SyncRuns runs;
        private TenantSyncOverrides overrides;

        Beans(CamelContext context, Settings settings, Clock clock, ObjectMapper json, Tenants tenants, ApiKeys apiKeys,
              SyncStateStore store, SyncSettings syncSettings, SourceSettings source, Replication replication) {
            this.context = context;
            this.replication = replication;
            this.registry = context.getRegistry();
            this.settings = settings;
            this.clock = clock;
            this.json = json;
            this.tenants = tenants;
            this.apiKeys = apiKeys;
            this.store = store;
            this.syncSettings = syncSettings;
            this.source = source;
            this.meters = new MeterRegistryLookup(context);
        }

        /** The source's HTTP client and readers, and the indexes they fill. */
        void bindSource(Path dataDir) {
            sourceHttp = new SourceHttpClient(source.connectTimeout(), source.responseTimeout(), source.connections());
            DutyCycle pace = syncPace(settings.share("mirador.sync.cpu-share-while-searching"));
            PrometheusApi api = new PrometheusApi(sourceHttp, source.labelValuesCap(), pace);
            SeriesReader series = new SeriesReader(api, source.maxSeries(), source.labelValuesCap(), source.maxLabelValues());
            MetricNameReader names = new MetricNameReader(api, source.maxNames());
            MetricDocumentCodec codec = new MetricDocumentCodec(json);
            indexes = new TenantIndexes(tenants, dataDir, codec);
            bindCatalog(codec);
            registry.bind("sourceScan", new SourceScan(api, names, series));
            sourceChanges = new SourceChanges(indexes);
            registry.bind("sourceChanges", sourceChanges);
            registry.bind("catalogWriter", new CatalogWriter(indexes, new MetricMerger(source.labelValuesCap()), pace,
                    publication));
        }

        /**
         * Alone, the local index is the catalog. With replicas, the catalog is shared in Valkey; this replica brings its
         * indexes up to it here, before anything is served, so that a replica started empty serves the whole catalog
         * from its first answer (if Valkey answers; else it serves what it has and follows when Valkey is back).
         */
        private void bindCatalog(MetricDocumentCodec codec) {
            if (!replication.isShared()) {
                publication = CatalogPublication.local(indexes);
                follower = CatalogFollower.alone(indexes);
            } else {
                SharedCatalog shared = new SharedCatalog(replication.redis(), replication.valkey().prefix(), tenants,
                        indexes, codec, json, replication.replicaId(),
                        settings.integer("mirador.replica.deltas-kept", 1, 1000), clock);
                closeAfterStore.add(shared);
                shared.followAll();
                publication = shared;
                follower = shared;
            }
            closeAfterStore.add(replication);
            registry.bind("catalogFollower", follower);
        }

        /**
         * Semantic search: each tenant's vector index, the embedding model (loaded in the background), the step of the
         * {@code semantic-embed} route that embeds what the syncs changed, and the metrics near a query. Switched off
         * ({@code mirador.search.semantic.enabled=false}), nothing is loaded and searches are lexical.
         */
        void bindSemantic(Path dataDir) {
            String switched = settings.text("mirador.search.semantic.enabled");
            if (!switched.equals("true") && !switched.equals("false")) {
                throw new IllegalArgumentException("mirador.search.semantic.enabled must be true or false, was '"
                        + switched + "'");
            }
            boolean enabled = switched.equals("true");
            MetricVectors vectors = new MetricVectors(tenants, dataDir);
            closeAfterStore.add(vectors);
            Embedder.Choice choice = Embedder.Choice.of(settings.text("mirador.search.semantic.model"));
            LoadingEmbedder model = enabled ? LoadingEmbedder.start(dataDir, choice) : null;
            if (model != null) {
                closeAfterStore.add(model);
            }
            Synonyms synonyms = vocabulary(settings.text("mirador.search.semantic.vocabulary"));
            vectorIndexer = new VectorIndexer(tenants, indexes, vectors, model, synonyms, settings.duration(
                    "mirador.search.semantic.embed-budget", Duration.ofMillis(10), Duration.ofMinutes(10)),
                    () -> runs != null && !runs.runningSyncs().isEmpty(),
                    replication.isShared() ? new ValkeyVectors(replication.redis(), replication.valkey().prefix(),
                            () -> forwarding != null && forwarding.holdsSyncs()) : SharedVectors.NONE);
            registry.bind("vectorIndexer", vectorIndexer);
            near = enabled ? new SemanticNeighbors(model, synonyms, vectors,
                    settings.integer("mirador.search.semantic.neighbors", 1, 200),
                    (float) settings.share("mirador.search.semantic.floor")) : NearMetrics.NONE;
            semanticWeight = (float) settings.share("mirador.search.semantic.weight");
        }

        /** The observability vocabulary named by {@code mirador.search.semantic.vocabulary}: a file, or classpath:. */
        private static Synonyms vocabulary(String location) {
            String origin = "mirador.search.semantic.vocabulary (" + location + ")";
            try {
                if (location.startsWith("classpath:")) {
                    try (var in = MiradorConfiguration.class.getClassLoader()
                            .getResourceAsStream(location.substring("classpath:".length()))) {
                        if (in == null) {
                            throw new IllegalArgumentException(origin + ": no such resource");
                        }
                        return Synonyms.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), origin);
                    }
                }
                return Synonyms.parse(java.nio.file.Files.readString(Path.of(location)), origin);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(origin + " cannot be read: " + e.getMessage(), e);
            }
        }

        /** Sync bookkeeping, schedule, removal guard, retry policy's config, meters, shutdown order. */
        void bindSync() {
            SyncMetrics syncMetrics = new SyncMetrics(meters);
            overrides = TenantSyncOverrides.fromSettings(tenants.all().stream().map(t -> t.id()).toList(), settings);
            RemovalGuard removalGuard = new RemovalGuard(indexes, syncSettings);
            runs = new SyncRuns(tenants, indexes, syncSettings, store, clock, List.of(syncMetrics, sourceChanges), overrides, removalGuard,
                    publication, replication.isShared());
            store.onNewerConfig(syncSettings::apply);
            forwarding = new SyncForwarding(context, replication.cluster(), replication.redis(),
                    replication.isShared() ? replication.valkey().prefix() : "", json,
                    settings.duration("mirador.replica.hand-over-wait", Duration.ofMillis(100), Duration.ofMinutes(1)),
                    settings.duration("mirador.source.response-timeout", Duration.ofMillis(100), Duration.ofHours(1))
                            .multipliedBy(20));
            registry.bind("syncForwarding", forwarding);
            registry.bind("syncSettings", syncSettings);
            registry.bind("syncRuns", runs);
            registry.bind("syncSchedule", new SyncSchedule(tenants, runs, syncSettings, clock, overrides, indexes));
            registry.bind("removalGuard", removalGuard);
            registry.bind("documentBatches", new DocumentBatches());
            registry.bind("caughtFailure", new CaughtFailure());
            // every sync meter exists from the start at zero, not only after a first sync or error
            try {
                // the master: routes lead by this service: the sync lease with replicas, always this replica alone
                context.addService(replication.cluster());
                context.addStartupListener((ctx, alreadyStarted) -> syncMetrics.register(
                        tenants.all().stream().map(t -> t.id()).toList(), id -> indexes.of(id).counts().metrics()));
                context.addStartupListener((ctx, alreadyStarted) -> forwarding.start());
            } catch (Exception e) {
                throw new IllegalStateException("cannot register the sync lease service and the sync meters", e);
            }
            context.addLifecycleStrategy(new ShutdownSequence(runs, indexes, store, sourceHttp, closeAfterStore));
        }

        /** The HTTP server's front door, the API beans and the health checks. */
        void bindApi(HttpSettings http) {
            // the OpenAPI document shows durations as the API writes them: Go-style strings ("2m30s")
            PrimitiveType.customClasses().put(Duration.class.getName(), PrimitiveType.STRING);
            String defaultTenant = settings.text("mirador.default-tenant");
            if (!tenants.all().stream().map(t -> t.id()).toList().contains(defaultTenant)) {
                throw new IllegalArgumentException("mirador.default-tenant: '" + defaultTenant
                        + "' is not one of mirador.tenants");
            }
            FrontDoor frontDoor = new FrontDoor(context, apiKeys, json, http.bodyTimeout(), http.maxBodyBytes());
            ExplorerSettings explorer = new ExplorerSettings(settings.textOrEmpty("mirador.explorer.grafana-url"),
                    settings.textOrEmpty("mirador.explorer.vmui-url"),
                    java.util.Arrays.stream(settings.textOrEmpty("mirador.explorer.facet-labels").split(","))
                            .map(String::strip).filter(l -> !l.isEmpty()).toList(),
                    settings.duration("mirador.explorer.preview-timeout", Duration.ofSeconds(1), Duration.ofMinutes(5)));
            bindHttpServer(context, http.port(), frontDoor, http.idleTimeout(), new PageFiles());
            SourceProbe probe = new SourceProbe(sourceHttp, clock);
            registry.bind("frontDoor", frontDoor);
            registry.bind("responseHeaders", new ResponseHeaders());
            registry.bind("objectMapper", json);
            registry.bind("errorResponses", new ErrorResponses(json));
            registry.bind("searchApi", new SearchApi(indexes, new MetricSearch(near, semanticWeight, explorer.facetLabels()),
                    defaultTenant, meters, searches));
            registry.bind("explorerApi", new ExplorerApi(tenants, indexes, new MetricPreview(sourceHttp, explorer.previewTimeout(), clock),
                    explorer, defaultTenant));
            Duration maxLag = settings.duration("mirador.replica.max-lag", Duration.ofSeconds(1), Duration.ofDays(1));
            registry.bind("syncApi", new SyncApi(tenants, runs, syncSettings, store, defaultTenant, clock, indexes,
                    follower, forwarding, vectorIndexer::waiting));
            registry.bind("healthApi", new HealthApi(tenants, indexes, runs, syncSettings, store, probe, overrides, clock,
                    follower, maxLag, vectorIndexer::waiting));
            for (var check : CatalogHealthChecks.all(tenants, indexes, probe, store, follower, maxLag)) {
                registry.bind(check.getId(), check);
            }
        }

        /**
         * How syncs give way to searches: while a search is answered, each sync thread takes at most this share of
         * a core ({@code mirador.sync.cpu-share-while-searching}; 1 gives no way).
         */
        private DutyCycle syncPace(double share) {
            Duration work = Duration.ofMillis(2);
            return share == 1 ? DutyCycle.never()
                    : new DutyCycle(searches::any, work, Duration.ofNanos((long) (work.toNanos() * (1 - share) / share)));
        }
    }

    /**
     * Binds the Vert.x instance the platform HTTP server is built with, so that the server gets its idle timeout and
     * compresses answers for clients that accept gzip, answers requests it cannot read in the API's error shape, and
     * has the front door as its first route and the web explorer's files as its second before it listens.
     */
    private static void bindHttpServer(CamelContext context, int port, FrontDoor frontDoor, Duration idleTimeout,
                                       PageFiles page) {
        Vertx real = Vertx.vertx();
        Vertx vertx = ServerHooks.around(real,
                options -> options.setIdleTimeout((int) idleTimeout.toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                        .setCompressionSupported(true),
                server -> {
                    server.invalidRequestHandler(frontDoor::invalidRequest);
                    VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                            VertxPlatformHttpRouter.getRouterNameFromPort(port));
                    router.route().order(Integer.MIN_VALUE).handler(frontDoor).failureHandler(frontDoor::failure);
                    router.route().order(Integer.MIN_VALUE + 1).handler(page);
                },
                frontDoor::admit);
        context.getRegistry().bind("vertx", vertx);
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                real.close();
            }
        });
    }

    /** The state store the settings name: the embedded file (default) or Valkey. */
    private static SyncStateStore stateStore(Settings settings, Replication replication, Tenants tenants, Path dataDir,
                                             ObjectMapper json) {
        String kind = settings.text("mirador.state.store");
        return switch (kind) {
            case "embedded" -> new FileSyncStateStore(dataDir, json);
            case "valkey" -> new ValkeySyncStateStore(replication.redis(), replication.valkey().prefix(),
                    tenants.all().stream().map(t -> t.id()).toList(), dataDir, json);
            default -> throw new IllegalArgumentException("mirador.state.store (MIRADOR_STATE_STORE): '" + kind
                    + "' is not a state store (embedded or valkey)");
        };
    }
}
