package io.mirador.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.api.ErrorResponses;
import io.mirador.api.FrontDoor;
import io.mirador.api.ResponseHeaders;
import io.mirador.api.SearchesInFlight;
import io.mirador.api.HealthApi;
import io.mirador.api.RequestBodies;
import io.mirador.api.SearchApi;
import io.mirador.api.SyncApi;
import io.mirador.catalog.MetricMerger;
import io.mirador.index.MetricDocumentCodec;
import io.mirador.index.MetricSearch;
import io.mirador.index.TenantIndexes;
import io.mirador.source.CamelSourceCalls;
import io.mirador.source.MetricNameReader;
import io.mirador.source.PrometheusApi;
import io.mirador.source.SeriesReader;
import io.mirador.source.SourceHttp;
import io.mirador.source.SourceProbe;
import io.mirador.source.SourceRetryPolicy;
import io.mirador.support.DutyCycle;
import io.mirador.support.Json;
import io.mirador.sync.CatalogWriter;
import io.mirador.sync.DocumentBatches;
import io.mirador.sync.FileSyncStateStore;
import io.mirador.sync.SourceScan;
import io.mirador.sync.RemovalGuard;
import io.mirador.sync.SyncRuns;
import io.mirador.sync.SyncMetrics;
import io.mirador.sync.SyncSchedule;
import io.mirador.sync.SyncSettings;
import io.mirador.sync.SyncStateStore;
import io.mirador.sync.TenantSyncOverrides;
import io.mirador.sync.ValkeySyncStateStore;
import io.mirador.security.ApiKeys;
import io.mirador.tenant.Tenants;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.List;

/**
 * Builds the service's beans from the settings and binds them under the names the routes use.
 * Everything a setting can make wrong fails here, before any route starts, with a message naming the setting.
 */
public final class MiradorConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        ObjectMapper json = Json.newMapper();

        Path dataDir = Path.of(settings.get("mirador.data-dir", "./data")).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("mirador.data-dir (MIRADOR_DATA_DIR): cannot create " + dataDir, e);
        }
        Tenants tenants = Tenants.fromSettings(settings);
        ApiKeys apiKeys = ApiKeys.fromSettings(settings);
        int port = settings.getInt("camel.server.port", 8080);
        ListenAddress.check(settings.get("camel.server.host", "127.0.0.1"), port, apiKeys);
        String defaultTenant = settings.get("mirador.default-tenant", tenants.all().iterator().next().id());
        SyncStateStore store = stateStore(settings, tenants, dataDir, json);
        try {
            SyncSettings syncSettings = SyncSettings.fromSettings(settings, name -> System.getenv(name) != null);
            syncSettings.load(store.loadConfig(), store.configLocation());

            int valuesCap = settings.getInt("mirador.catalog.label-values-cap", 100);
            SearchesInFlight searches = new SearchesInFlight();
            DutyCycle syncPace = syncPace(settings, searches);
            PrometheusApi api = new PrometheusApi(new CamelSourceCalls(context.createProducerTemplate()), valuesCap, syncPace);
            SeriesReader seriesReader = new SeriesReader(api, settings.getInt("mirador.source.max-series", 30_000), valuesCap,
                    settings.getInt("mirador.source.max-label-values", 100_000));
            MetricNameReader nameReader = new MetricNameReader(api, settings.getInt("mirador.source.max-names", 100_000));

            TenantIndexes indexes = new TenantIndexes(tenants, dataDir, new MetricDocumentCodec(json));
            MeterRegistryLookup meters = new MeterRegistryLookup(context);
            SyncMetrics syncMetrics = new SyncMetrics(meters);
            TenantSyncOverrides overrides = TenantSyncOverrides.fromSettings(
                    tenants.all().stream().map(t -> t.id()).toList(), settings);
            RemovalGuard removalGuard = new RemovalGuard(indexes, syncSettings);
            SyncRuns runs = new SyncRuns(tenants, indexes, syncSettings, store, clock, List.of(syncMetrics), overrides, removalGuard);
            SourceProbe probe = new SourceProbe(clock);
            RequestBodies bodies = new RequestBodies(json);

            FrontDoor frontDoor = new FrontDoor(context, apiKeys, json, settings.getDuration("mirador.http.body-timeout", "30s"),
                    settings.getInt("camel.server.max-body-size", 1 << 20));
            bindHttpServer(context, port, frontDoor, settings.getDuration("mirador.http.idle-timeout", "1h"));
            registry.bind("frontDoor", frontDoor);
            registry.bind("responseHeaders", new ResponseHeaders());
            registry.bind("objectMapper", json);
            registry.bind("apiKeys", apiKeys);
            registry.bind("sourceHttp", new SourceHttp());
            CountDownLatch stopping = new CountDownLatch(1);
            registry.bind("sourceRetryPolicy", new SourceRetryPolicy(() -> new SourceRetryPolicy.Retries(
                    syncSettings.current().maxRetries(), syncSettings.current().retryDelay()), stopping));
            registry.bind("syncRuns", runs);
            registry.bind("syncSchedule", new SyncSchedule(tenants, runs, syncSettings, clock, overrides, indexes));
            registry.bind("removalGuard", removalGuard);
            registry.bind("sourceScan", new SourceScan(api, nameReader, seriesReader));
            registry.bind("catalogWriter", new CatalogWriter(indexes, new MetricMerger(valuesCap), syncPace));
            registry.bind("documentBatches", new DocumentBatches());
            int readers = settings.getInt("mirador.sync.parallel-reads", 2) * tenants.all().size();
            registry.bind("syncReads", context.getExecutorServiceManager().newFixedThreadPool(this, "sync-read", readers));
            registry.bind("errorResponses", new ErrorResponses(json));
            registry.bind("searchApi", new SearchApi(bodies, indexes, new MetricSearch(), defaultTenant, meters, searches));
            registry.bind("syncApi", new SyncApi(bodies, tenants, runs, syncSettings, store, defaultTenant, clock));
            registry.bind("healthApi", new HealthApi(tenants, indexes, runs, syncSettings, store, probe, overrides, clock));
            for (var check : CatalogHealthChecks.all(tenants, indexes, probe, store)) {
                registry.bind(check.getId(), check);
            }
            // every sync meter exists from the start at zero, not only after a first sync or error
            try {
                context.addStartupListener((ctx, alreadyStarted) -> syncMetrics.register(
                        tenants.all().stream().map(t -> t.id()).toList(), id -> indexes.of(id).counts().metrics()));
            } catch (Exception e) {
                throw new IllegalStateException("cannot register the index gauges", e);
            }
            context.addLifecycleStrategy(new ShutdownSequence(runs, indexes, store, stopping));
        } catch (RuntimeException e) {
            // nothing started: the store's connections and threads must not outlive the failed start
            store.close();
            throw e;
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

    /**
     * How syncs give way to searches: while a search is answered, each sync thread takes at most this share of a
     * core ({@code mirador.sync.cpu-share-while-searching}; 1 gives no way).
     */
    private static DutyCycle syncPace(Settings settings, SearchesInFlight searches) {
        String text = settings.get("mirador.sync.cpu-share-while-searching", "0.5");
        double share;
        try {
            share = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            share = -1;
        }
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("mirador.sync.cpu-share-while-searching: '" + text
                    + "' is not a share of a core above 0 and at most 1");
        }
        Duration work = Duration.ofMillis(2);
        return share == 1 ? DutyCycle.never()
                : new DutyCycle(searches::any, work, Duration.ofNanos((long) (work.toNanos() * (1 - share) / share)));
    }

    /** The state store the settings name: the embedded file (default) or Valkey. */
    private static SyncStateStore stateStore(Settings settings, Tenants tenants, Path dataDir, ObjectMapper json) {
        String kind = settings.get("mirador.state.store", "embedded");
        return switch (kind) {
            case "embedded" -> new FileSyncStateStore(dataDir, json);
            case "valkey" -> new ValkeySyncStateStore(settings.get("mirador.state.valkey.url", "redis://127.0.0.1:6379"),
                    settings.get("mirador.state.valkey.password", ""), settings.get("mirador.state.valkey.key-prefix", "mirador:"),
                    tenants.all().stream().map(t -> t.id()).toList(), dataDir, json);
            default -> throw new IllegalArgumentException("mirador.state.store (MIRADOR_STATE_STORE): '" + kind
                    + "' is not a state store (embedded or valkey)");
        };
    }
}
