package io.mirador.sync;

import io.mirador.state.SyncStatus;


/** Told of every sync that ends, whatever its result (metrics, health). */
@FunctionalInterface
public interface SyncListener {

    void finished(SyncRun run, SyncStatus status, long metricsInIndex);
}
