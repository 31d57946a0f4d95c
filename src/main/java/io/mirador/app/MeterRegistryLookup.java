package io.mirador.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.camel.CamelContext;

import java.util.function.Supplier;

/**
 * The Prometheus registry Camel's metrics support creates (exposed at {@code /observe/metrics}), found
 * when first asked: it does not exist yet while the beans are built. Without it, Micrometer's global
 * registry, which records nothing anywhere.
 */
final class MeterRegistryLookup implements Supplier<MeterRegistry> {

    private final CamelContext context;
    private volatile MeterRegistry found;

    MeterRegistryLookup(CamelContext context) {
        this.context = context;
    }

    @Override
    public MeterRegistry get() {
        MeterRegistry r = found;
        if (r == null) {
            r = context.getRegistry().findSingleByType(MeterRegistry.class);
            if (r == null) {
                return Metrics.globalRegistry;
            }
            found = r;
        }
        return r;
    }
}
