package io.mirador.sync;

import io.mirador.config.SyncConfig;
import io.mirador.config.SyncConfigField;
import io.mirador.config.SyncSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;

/**
 * A redelivery policy whose number of retries and first delay are those of the sync config in force
 * ({@code max_retries}, {@code retry_delay}: a change through {@code PUT .../sync/config} applies to the next
 * failure), and whose other values (backoff, cap, logging, stopping) are set where the policy is declared, in
 * {@code routes/source.camel.yaml}. Camel reads it on every failure, as it is (never copied).
 */
public final class SyncRedeliveryPolicy extends RedeliveryPolicy implements CamelContextAware {

    private transient CamelContext context;
    private transient volatile SyncSettings settings;

    /** Declared in YAML before the service's beans exist: the sync config is looked up when first needed. */
    public SyncRedeliveryPolicy() {
        // Camel decides at route start whether a route redelivers at all from this number: the most there can be
        setMaximumRedeliveries(SyncConfigField.MAX_RETRIES_BOUND);
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    private SyncConfig config() {
        SyncSettings s = settings;
        if (s == null) {
            s = context.getRegistry().lookupByNameAndType("syncSettings", SyncSettings.class);
            if (s == null) {
                throw new IllegalStateException("no bean syncSettings: the sync config is not bound");
            }
            settings = s;
        }
        return s.current();
    }

    @Override
    public boolean shouldRedeliver(Exchange exchange, int redeliveryCounter, Predicate retryWhile) {
        return redeliveryCounter <= config().maxRetries();
    }

    /** The first delay is {@code retry_delay}; each next one the last times the backoff multiplier, up to the cap. */
    @Override
    public long calculateRedeliveryDelay(long previousDelay, int redeliveryCounter) {
        long first = config().retryDelay().toMillis();
        double delay = first * Math.pow(isUseExponentialBackOff() ? getBackOffMultiplier() : 1, Math.max(0, redeliveryCounter - 1));
        return (long) Math.min(delay, getMaximumRedeliveryDelay());
    }

    @Override
    public long getRedeliveryDelay() {
        return config().retryDelay().toMillis();
    }
}
