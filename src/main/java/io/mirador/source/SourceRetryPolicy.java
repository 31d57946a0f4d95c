package io.mirador.source;

import io.mirador.support.GoDuration;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@code retryWhile} of the {@code source-retries} route configuration: retries a source call that
 * failed for a reason that may pass (unreachable, 429, 5xx) up to {@code max_retries} times, waiting
 * {@code retry_delay}, then twice as long each time. Reads the sync config in force, so a change made
 * through the API applies to the next retry. A stop of the service ends every wait at once, without a retry.
 */
public final class SourceRetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(SourceRetryPolicy.class);
    private static final Duration MAX_DELAY = Duration.ofMinutes(10);
    private static final String ATTEMPTS = "sourceRetries";

    /** How many retries and the first delay, read at every failure. */
    public record Retries(int max, Duration delay) {
    }

    private final Supplier<Retries> retries;
    private final CountDownLatch stopping;

    /**
     * @param stopping counted down when the service stops: a call waiting for its next try gives up at once
     *                 (Camel's own redelivery wait would hold the stop until its shutdown timeout)
     */
    public SourceRetryPolicy(Supplier<Retries> retries, CountDownLatch stopping) {
        this.retries = retries;
        this.stopping = stopping;
    }

    public boolean shouldRetry(Exchange exchange) {
        // while retryWhile is asked, Camel keeps the failure in the exchange property, not the exchange
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (!isTransient(failure)) {
            return false;
        }
        // counted here: the redelivery counter header is reset with the message on every redelivery
        int attempt = exchange.getProperty(ATTEMPTS, 0, Integer.class) + 1;
        exchange.setProperty(ATTEMPTS, attempt);
        Retries now = retries.get();
        int max = now.max();
        Object request = exchange.getProperty(SourceHttp.REQUEST);
        if (attempt > max) {
            LOG.warn("{} failed, no retries left ({} made): {}", request, max, failure.getMessage());
            return false;
        }
        Duration delay = delay(now.delay(), attempt);
        LOG.warn("{} failed: {}; retry {} of {} in {}", request, failure.getMessage(), attempt, max,
                GoDuration.format(delay));
        try {
            if (stopping.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info("{}: no retry, the service is stopping", request);
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        // waited here, where a stop ends the wait: Camel retries at once
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, 0L);
        return true;
    }

    /** {@code base} doubled for each attempt after the first, at most ten minutes. */
    static Duration delay(Duration base, int attempt) {
        Duration d = base;
        for (int i = 1; i < attempt && d.compareTo(MAX_DELAY) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d;
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                int status = http.getStatusCode();
                return status == 429 || status >= 500;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
