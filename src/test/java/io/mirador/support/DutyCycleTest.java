package io.mirador.support;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Background work gives way only while urgent work is busy: then a thread pacing itself in a tight loop is parked
 * about rest / (work + rest) of its time; otherwise, and always for {@link DutyCycle#never()}, it never rests.
 */
class DutyCycleTest {

    /**
     * A busy signal that notes, per thread, when it was asked: with {@code busy = true} the cycle parks right after
     * asking, so the time from the question to the end of that {@code pace()} call is the rest.
     */
    private static final class Busy implements BooleanSupplier {
        private final boolean busy;
        private final AtomicInteger asked = new AtomicInteger();
        private final ThreadLocal<long[]> askedAt = ThreadLocal.withInitial(() -> new long[1]);

        Busy(boolean busy) {
            this.busy = busy;
        }

        @Override
        public boolean getAsBoolean() {
            asked.incrementAndGet();
            askedAt.get()[0] = System.nanoTime();
            return busy;
        }

        /** When this thread's last question was asked since the last call of this method, else 0. */
        long takeAskedAt() {
            long[] at = askedAt.get();
            long t = at[0];
            at[0] = 0;
            return t;
        }
    }

    /** A tight loop of {@code pace()} calls: how long it ran, how long it was parked, how often. */
    private record Loop(long elapsedNanos, long parkedNanos, int parks, long calls) {
        double parkedShare() {
            return (double) parkedNanos / elapsedNanos;
        }
    }

    private static Loop loop(DutyCycle cycle, Busy busy, Duration length) {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long parked = 0;
        int parks = 0;
        long calls = 0;
        long now = start;
        while (now < end) {
            cycle.pace();
            calls++;
            now = System.nanoTime();
            long askedAt = busy == null ? 0 : busy.takeAskedAt();
            if (askedAt != 0 && busy.busy) {
                parked += now - askedAt;
                parks++;
            }
        }
        return new Loop(now - start, parked, parks, calls);
    }

    @Test
    void should_never_rest_when_never() {
        // given
        DutyCycle never = DutyCycle.never();

        // when: longer than never()'s one-second slice, so a rest after it would show
        Loop loop = loop(never, null, Duration.ofMillis(1100));

        // then
        assertThat(loop.calls()).isGreaterThan(1000);
        assertThat(loop.elapsedNanos()).isLessThan(Duration.ofMillis(1900).toNanos());
    }

    @Test
    void should_never_park_when_the_urgent_work_is_not_busy() {
        // given a rest of two seconds, which a single park would show at once
        Busy idle = new Busy(false);
        DutyCycle cycle = new DutyCycle(idle, Duration.ofMillis(5), Duration.ofSeconds(2));

        // when
        Loop loop = loop(cycle, idle, Duration.ofMillis(150));

        // then: asked once a slice, never parked
        assertThat(idle.asked.get()).isGreaterThan(3);
        assertThat(loop.elapsedNanos()).isLessThan(Duration.ofMillis(1500).toNanos());
    }

    @Test
    void should_park_about_rest_over_work_plus_rest_when_the_urgent_work_is_busy() {
        // given: 20 ms of work, then 20 ms of rest: half the time parked
        Busy busy = new Busy(true);
        DutyCycle cycle = new DutyCycle(busy, Duration.ofMillis(20), Duration.ofMillis(20));

        // when
        Loop loop = loop(cycle, busy, Duration.ofMillis(300));

        // then: generous bounds for a loaded machine, still far from never and always
        assertThat(loop.parks()).isBetween(2, 10);
        assertThat(loop.parkedShare()).isBetween(0.25, 0.85);
    }
}
