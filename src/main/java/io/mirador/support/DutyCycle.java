package io.mirador.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Lets background work give way to more urgent work: while {@code busy} says the urgent work is waiting or
 * running, a thread that calls {@link #pace()} in its loop rests {@code rest} after every {@code work} of its
 * own running, so it takes at most work / (work + rest) of a core. When nothing urgent runs, {@code pace()}
 * costs a counter and, now and then, a clock read. Thread-safe: each thread keeps its own slice.
 */
public final class DutyCycle {

    /** A clock is read once in this many calls. */
    private static final int CHECK_EVERY = 64;

    private final BooleanSupplier busy;
    private final long workNanos;
    private final long restNanos;
    private final ThreadLocal<long[]> slice = ThreadLocal.withInitial(() -> new long[] {0, System.nanoTime()});

    public DutyCycle(BooleanSupplier busy, Duration work, Duration rest) {
        this.busy = busy;
        this.workNanos = work.toNanos();
        this.restNanos = rest.toNanos();
    }

    /** Never rests. */
    public static DutyCycle never() {
        return new DutyCycle(() -> false, Duration.ofSeconds(1), Duration.ZERO);
    }

    /** Rests if the thread has worked its slice while the urgent work is busy. */
    public void pace() {
        if (restNanos == 0) {
            return;
        }
        long[] s = slice.get();
        if (++s[0] % CHECK_EVERY != 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - s[1] < workNanos) {
            return;
        }
        if (busy.getAsBoolean()) {
            LockSupport.parkNanos(restNanos);
            now = System.nanoTime();
        }
        s[1] = now;
    }
}
