package io.mirador.sync;

import io.mirador.state.SyncStatus;


/** A sync was asked for a tenant whose sync is running; carries the running sync's status. */
public final class SyncConflictException extends RuntimeException {

    private final SyncStatus running;

    public SyncConflictException(SyncStatus running) {
        super("a " + running.strategy().id() + " sync of tenant " + running.tenantId() + " is running since "
                + running.startTime() + "; try again when it has finished");
        this.running = running;
    }

    public SyncStatus running() {
        return running;
    }
}
