package io.mirador.sync;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded state store: one JSON file in the data directory, rewritten whole on every change by
 * writing a temporary file, syncing it to disk and renaming it over the old one, so a crash leaves
 * either the old file or the new one.
 */
public final class FileSyncStateStore implements SyncStateStore {

    /** The file's content. */
    record Contents(Map<String, TenantSyncRecord> tenants, SyncConfig config) {
    }

    private final Path file;
    private final ObjectMapper json;
    private final Map<String, TenantSyncRecord> tenants = new LinkedHashMap<>();
    private SyncConfig config;

    public FileSyncStateStore(Path dataDir, ObjectMapper json) {
        this.file = dataDir.resolve("state.json");
        this.json = json;
        if (Files.exists(file)) {
            try {
                Contents c = json.readValue(file.toFile(), Contents.class);
                if (c.tenants() != null) {
                    tenants.putAll(c.tenants());
                }
                config = c.config();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the sync state file " + file
                        + "; fix or remove it (the indexes stay usable)", e);
            }
        }
    }

    @Override
    public synchronized Map<String, TenantSyncRecord> loadAll() {
        return Map.copyOf(tenants);
    }

    @Override
    public synchronized void save(String tenantId, TenantSyncRecord record) {
        tenants.put(tenantId, record);
        write();
    }

    @Override
    public synchronized Optional<SyncConfig> loadConfig() {
        return Optional.ofNullable(config);
    }

    @Override
    public synchronized void saveConfig(SyncConfig config) {
        this.config = config;
        write();
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    private void write() {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(tmp)) {
                json.writerWithDefaultPrettyPrinter().writeValue(out, new Contents(tenants, config));
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sync state file " + file, e);
        }
    }

    @Override
    public void close() {
    }
}
