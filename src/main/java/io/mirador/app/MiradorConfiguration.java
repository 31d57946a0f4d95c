package io.mirador.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.api.ErrorResponses;
import io.mirador.api.FrontDoor;
import io.mirador.api.ResponseHeaders;
import io.mirador.api.SearchesInFlight;
import io.mirador.api.HealthApi;
import io.mirador.api.SearchApi;
import io.mirador.api.SyncApi;
import io.mirador.catalog.MetricMerger;
import io.mirador.index.MetricDocumentCodec;
import io.mirador.index.MetricSearch;
import io.mirador.index.TenantIndexes;
import io.mirador.source.MetricNameReader;
import io.mirador.source.PrometheusApi;
import io.mirador.source.SeriesReader;
import io.mirador.source.SourceHttpClient;
import io.mirador.source.SourceProbe;
import io.mirador.support.DutyCycle;
import io.mirador.support.Json;
import io.mirador.sync.CatalogWriter;
import io.mirador.sync.CaughtFailure;
import io.mirador.sync.DocumentBatches;
import io.mirador.state.FileSyncStateStore;
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
        SyncStateStore store = stateStore(settings, tenants, dataDir, json);
        try {
            SyncSettings syncSettings = SyncSettings.fromSettings(settings, name -> System.getenv(name) != null,
                    name -> System.getProperty(name) != null);
            syncSettings.load(store.loadConfig(), store.configLocation());
            Beans beans = new Beans(context, settings, clock, json, tenants, apiKeys, store, syncSettings, source);
            beans.bindSource(dataDir);
            beans.bindSync();
            beans.bindApi(http);
        } catch (RuntimeException e) {
            // nothing started: the store's connections and threads must not outlive the failed start
            store.close();
            throw e;
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
        private final SearchesInFlight searches = new SearchesInFlight();
        private final MeterRegistryLookup meters;
        private SourceHttpClient sourceHttp;
        private TenantIndexes indexes;
        private SyncRuns runs;
        private TenantSyncOverrides overrides;

        Beans(CamelContext context, Settings settings, Clock clock, ObjectMapper json, Tenants tenants, ApiKeys apiKeys,
              SyncStateStore store, SyncSettings syncSettings, SourceSettings source) {
            this.context = context;
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
            indexes = new TenantIndexes(tenants, dataDir, new MetricDocumentCodec(json));
            registry.bind("sourceScan", new SourceScan(api, names, series));
            registry.bind("catalogWriter", new CatalogWriter(indexes, new MetricMerger(source.labelValuesCap()), pace));
        }

        /** Sync bookkeeping, schedule, removal guard, retry policy's config, meters, shutdown order. */
        void bindSync() {
            SyncMetrics syncMetrics = new SyncMetrics(meters);
            overrides = TenantSyncOverrides.fromSettings(tenants.all().stream().map(t -> t.id()).toList(), settings);
            RemovalGuard removalGuard = new RemovalGuard(indexes, syncSettings);
            runs = new SyncRuns(tenants, indexes, syncSettings, store, clock, List.of(syncMetrics), overrides, removalGuard);
            registry.bind("syncSettings", syncSettings);
            registry.bind("syncRuns", runs);
            registry.bind("syncSchedule", new SyncSchedule(tenants, runs, syncSettings, clock, overrides, indexes));
            registry.bind("removalGuard", removalGuard);
            registry.bind("documentBatches", new DocumentBatches());
            registry.bind("caughtFailure", new CaughtFailure());
            // every sync meter exists from the start at zero, not only after a first sync or error
            try {
                context.addStartupListener((ctx, alreadyStarted) -> syncMetrics.register(
                        tenants.all().stream().map(t -> t.id()).toList(), id -> indexes.of(id).counts().metrics()));
            } catch (Exception e) {
                throw new IllegalStateException("cannot register the sync meters", e);
            }
            context.addLifecycleStrategy(new ShutdownSequence(runs, indexes, store, sourceHttp));
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
            bindHttpServer(context, http.port(), frontDoor, http.idleTimeout());
            SourceProbe probe = new SourceProbe(sourceHttp, clock);
            registry.bind("frontDoor", frontDoor);
            registry.bind("responseHeaders", new ResponseHeaders());
            registry.bind("objectMapper", json);
            registry.bind("errorResponses", new ErrorResponses(json));
            registry.bind("searchApi", new SearchApi(indexes, new MetricSearch(), defaultTenant, meters, searches));
            registry.bind("syncApi", new SyncApi(tenants, runs, syncSettings, store, defaultTenant, clock));
            registry.bind("healthApi", new HealthApi(tenants, indexes, runs, syncSettings, store, probe, overrides, clock));
            for (var check : CatalogHealthChecks.all(tenants, indexes, probe, store)) {
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
     * Binds the Vert.x instance the platform HTTP server is built with, so that the server gets its idle timeout,
     * answers requests it cannot read in the API's error shape, and has the front door as its first route before
     * it listens.
     */
    private static void bindHttpServer(CamelContext context, int port, FrontDoor frontDoor, Duration idleTimeout) {
        Vertx real = Vertx.vertx();
        Vertx vertx = ServerHooks.around(real,
                options -> options.setIdleTimeout((int) idleTimeout.toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS),
                server -> {
                    server.invalidRequestHandler(frontDoor::invalidRequest);
                    VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                            VertxPlatformHttpRouter.getRouterNameFromPort(port));
                    router.route().order(Integer.MIN_VALUE).handler(frontDoor).failureHandler(frontDoor::failure);
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
    private static SyncStateStore stateStore(Settings settings, Tenants tenants, Path dataDir, ObjectMapper json) {
        String kind = settings.text("mirador.state.store");
        return switch (kind) {
            case "embedded" -> new FileSyncStateStore(dataDir, json);
            case "valkey" -> new ValkeySyncStateStore(settings.text("mirador.state.valkey.url"),
                    settings.textOrEmpty("mirador.state.valkey.password"), settings.text("mirador.state.valkey.key-prefix"),
                    tenants.all().stream().map(t -> t.id()).toList(), dataDir, json);
            default -> throw new IllegalArgumentException("mirador.state.store (MIRADOR_STATE_STORE): '" + kind
                    + "' is not a state store (embedded or valkey)");
        };
    }
}
