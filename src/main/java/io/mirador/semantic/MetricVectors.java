package io.mirador.semantic;

import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The vector index of every configured tenant, each in {@code <data dir>/vectors/<tenant id>}, opened at start. */
public final class MetricVectors implements AutoCloseable {

    private final Tenants tenants;
    private final Map<String, TenantVectors> byTenant = new LinkedHashMap<>();

    public MetricVectors(Tenants tenants, Path dataDir) {
        this.tenants = tenants;
        for (Tenant t : tenants.all()) {
            byTenant.put(t.id(), TenantVectors.open(dataDir.resolve("vectors").resolve(t.id())));
        }
    }

    public TenantVectors of(String tenantId) {
        return byTenant.get(tenants.get(tenantId).id());
    }

    @Override
    public void close() {
        byTenant.values().forEach(TenantVectors::close);
    }
}
