package io.mirador.app;

import io.mirador.index.TenantIndexes;
import io.mirador.source.SourceProbe;
import io.mirador.state.SyncStateStore;
import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.mirador.replica.CatalogFollower;
import io.mirador.replica.Generations;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The catalog's Camel health checks, shown at {@code /observe/health}: the indexes (liveness and
 * readiness: the service is ready once every tenant's index is open and answers), and, for operators,
 * the sources and the state store (reported, but neither liveness nor readiness: search keeps working
 * while they are down).
 */
final class CatalogHealthChecks {

    private CatalogHealthChecks() {
    }

    static List<AbstractHealthCheck> all(Tenants tenants, TenantIndexes indexes, SourceProbe probe, SyncStateStore store,
                                         CatalogFollower follower, Duration maxLag) {
        return List.of(new Indexes(tenants, indexes), new Sources(tenants, probe), new StateStore(store),
                new CatalogGeneration(tenants, follower, maxLag));
    }

    /**
     * Readiness: every tenant's index serves the catalog's current generation, or one it has been behind for no
     * longer than {@code mirador.replica.max-lag}. A replica that cannot read Valkey serves its last generation and
     * stays ready: searches still answer.
     */
    static final class CatalogGeneration extends AbstractHealthCheck {
        private final Tenants tenants;
        private final CatalogFollower follower;
        private final Duration maxLag;

        CatalogGeneration(Tenants tenants, CatalogFollower follower, Duration maxLag) {
            super("mirador", "mirador-catalog-generation");
            this.tenants = tenants;
            this.follower = follower;
            this.maxLag = maxLag;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            Instant limit = Instant.now().minus(maxLag);
            boolean current = true;
            for (Tenant t : tenants.all()) {
                Generations g = follower.generations(t.id());
                builder.detail("tenant." + t.id() + ".generation", g.serving() + " of " + g.catalog());
                current &= g.behindSince() == null || g.behindSince().isAfter(limit);
            }
            if (current) {
                builder.up();
            } else {
                builder.down().message("a tenant's index has served an older catalog generation for longer than " + maxLag);
            }
        }
    }

    /** Every tenant's index open and answering. */
    static final class Indexes extends AbstractHealthCheck {
        private final Tenants tenants;
        private final TenantIndexes indexes;

        Indexes(Tenants tenants, TenantIndexes indexes) {
            super("mirador", "mirador-indexes");
            this.tenants = tenants;
            this.indexes = indexes;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            try {
                for (Tenant t : tenants.all()) {
                    builder.detail("tenant." + t.id() + ".metrics", indexes.of(t.id()).counts().metrics());
                }
                builder.up();
            } catch (RuntimeException e) {
                builder.down().error(e).message("an index does not answer: " + e.getMessage());
            }
        }
    }

    /** A check an operator reads at /observe/health, that neither liveness nor readiness depends on. */
    abstract static class Informational extends AbstractHealthCheck {
        Informational(String id) {
            super("mirador", id);
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        public boolean isReadiness() {
            return false;
        }
    }

    /** Every tenant's source answering. */
    static final class Sources extends Informational {
        private final Tenants tenants;
        private final SourceProbe probe;

        Sources(Tenants tenants, SourceProbe probe) {
            super("mirador-sources");
            this.tenants = tenants;
            this.probe = probe;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            boolean allUp = true;
            for (Tenant t : tenants.all()) {
                SourceProbe.Reachability r = probe.check(t);
                builder.detail("tenant." + t.id() + ".source", r.reachable() ? "up" : "down: " + r.error());
                allUp &= r.reachable();
            }
            if (allUp) {
                builder.up();
            } else {
                builder.down().message("a tenant's source does not answer; searches answer from the last sync");
            }
        }
    }

    /** The state store taking writes. */
    static final class StateStore extends Informational {
        private final SyncStateStore store;

        StateStore(SyncStateStore store) {
            super("mirador-state-store");
            this.store = store;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            if (store.isAvailable()) {
                builder.up();
            } else {
                builder.down().message("the state store does not take writes; they are kept and written when it is back");
            }
        }
    }
}
