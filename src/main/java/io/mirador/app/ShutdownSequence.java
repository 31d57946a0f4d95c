package io.mirador.app;

import io.mirador.index.TenantIndexes;
import io.mirador.sync.SyncRuns;
import io.mirador.sync.SyncStateStore;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orders a stop: when Camel starts stopping, running syncs are cancelled (they stop at their next batch
 * boundary, roll back and record {@code cancelled} while Camel waits for in-flight exchanges); when Camel
 * has stopped, the indexes and the state store are closed.
 */
final class ShutdownSequence extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);

    private final SyncRuns runs;
    private final TenantIndexes indexes;
    private final SyncStateStore store;

    ShutdownSequence(SyncRuns runs, TenantIndexes indexes, SyncStateStore store) {
        this.runs = runs;
        this.indexes = indexes;
        this.store = store;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.CamelContextStoppingEvent) {
            if (!runs.runningSyncs().isEmpty()) {
                LOG.info("stopping: cancelling {} running sync(s) at their next batch", runs.runningSyncs().size());
            }
            runs.cancelAll("cancelled: the service is stopping");
        } else if (event instanceof CamelEvent.CamelContextStoppedEvent) {
            indexes.close();
            store.close();
            LOG.info("stopped: indexes closed at their last commit");
        }
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent || event instanceof CamelEvent.CamelContextStoppedEvent;
    }
}
