package io.mirador.index;

import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The index of every configured tenant, each in {@code <data dir>/indexes/<tenant id>}, all opened at start. */
public final class TenantIndexes implements AutoCloseable {

    private final Tenants tenants;
    private final Map<String, TenantIndex> byTenant = new LinkedHashMap<>();

    public TenantIndexes(Tenants tenants, Path dataDir, MetricDocumentCodec codec) {
        this.tenants = tenants;
        Path root = dataDir.resolve("indexes");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the index directory " + root, e);
        }
        for (Tenant t : tenants.all()) {
            byTenant.put(t.id(), TenantIndex.open(t.id(), root.resolve(t.id()), codec));
        }
    }

    /** The index of a configured tenant; an unknown tenant is an {@link io.mirador.tenant.UnknownTenantException}. */
    public TenantIndex of(String tenantId) {
        return byTenant.get(tenants.get(tenantId).id());
    }

    @Override
    public void close() {
        for (TenantIndex index : byTenant.values()) {
            index.close();
        }
    }
}
