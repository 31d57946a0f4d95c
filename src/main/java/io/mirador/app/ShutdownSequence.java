package io.mirador.app;

import io.mirador.index.TenantIndexes;
import io.mirador.source.SourceHttpClient;
import io.mirador.sync.SyncRuns;
import io.mirador.state.SyncStateStore;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;



/**
 * Orders a stop: when Camel starts stopping, running syncs are cancelled (they stop at their next batch
 * boundary, roll back and record {@code cancelled} while Camel waits for in-flight exchanges); when Camel
 * has stopped, the indexes, the state store and the sources' HTTP client are closed.
 */
final class ShutdownSequence extends LifecycleStrategySupport {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);

    private final SyncRuns runs;
    private final TenantIndexes indexes;
    private final SyncStateStore store;
    private final SourceHttpClient sourceHttp;
    private final List<AutoCloseable> afterStore;

    /** @param afterStore closed after the state store, in this order (the shared catalog, the Valkey connection) */
    ShutdownSequence(SyncRuns runs, TenantIndexes indexes, SyncStateStore store, SourceHttpClient sourceHttp,
                     List<AutoCloseable> afterStore) {
        this.runs = runs;
        this.afterStore = afterStore;
        this.sourceHttp = sourceHttp;
        this.indexes = indexes;
        this.store = store;
    }

    @Override
    public void onContextStopping(CamelContext context) {
        if (!runs.runningSyncs().isEmpty()) {
            LOG.info("stopping: cancelling {} running sync(s) at their next batch", runs.runningSyncs().size());
        }
        runs.cancelAll("cancelled: the service is stopping");
    }

    @Override
    public void onContextStopped(CamelContext context) {
        indexes.close();
        store.close();
        for (AutoCloseable c : afterStore) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("stopping: closing {} failed: {}", c.getClass().getSimpleName(), e.getMessage());
            }
        }
        sourceHttp.close();
        LOG.info("stopped: indexes closed at their last commit");
    }
}
