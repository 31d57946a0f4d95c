package io.mirador.sync;

import java.util.concurrent.atomic.AtomicReference;

/** The sync configuration in force; the schedule and new syncs read it, so a change applies without restart. */
public final class SyncSettings {

    private final AtomicReference<SyncConfig> current;

    public SyncSettings(SyncConfig initial) {
        this.current = new AtomicReference<>(initial);
    }

    public SyncConfig current() {
        return current.get();
    }

    public void replace(SyncConfig config) {
        current.set(config);
    }
}
