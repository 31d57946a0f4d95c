package io.mirador.api;

import java.util.concurrent.atomic.AtomicInteger;

/** How many searches, completions and document reads are being answered right now; syncs give way while any are. */
public final class SearchesInFlight {

    private final AtomicInteger running = new AtomicInteger();

    void enter() {
        running.incrementAndGet();
    }

    void leave() {
        running.decrementAndGet();
    }

    public boolean any() {
        return running.get() > 0;
    }
}
