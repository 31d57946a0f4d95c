package io.mirador.state;

import io.mirador.config.ConfigOverrides;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded state store: one JSON file in the data directory, rewritten whole on every change by
 * writing a temporary file, syncing it to disk and renaming it over the old one, so a crash leaves
 * either the old file or the new one. A write that fails (a full disk) leaves the old file and throws;
 * the next write that succeeds writes everything kept since.
 */
public final class FileSyncStateStore implements SyncStateStore {

    private final Path file;
    private final ObjectMapper json;
    private final Map<String, TenantSyncRecord> tenants = new LinkedHashMap<>();
    private ConfigOverrides config = ConfigOverrides.NONE;

    /** @throws IllegalArgumentException naming the file when it cannot be read or holds a record that is not valid */
    public FileSyncStateStore(Path dataDir, ObjectMapper json) {
        this.file = dataDir.resolve("state.json");
        this.json = json;
        if (Files.exists(file)) {
            read();
        }
    }

    private void read() {
        try {
            JsonNode root = json.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new IOException("not a JSON object");
            }
            JsonNode byTenant = root.path("tenants");
            for (Iterator<Map.Entry<String, JsonNode>> it = byTenant.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                TenantSyncRecord r = json.treeToValue(e.getValue(), TenantSyncRecord.class);
                List<String> problems = r == null ? List.of("it is empty") : r.problems(e.getKey());
                if (!problems.isEmpty()) {
                    throw new IOException("the record of tenant '" + e.getKey() + "' is not valid: " + String.join("; ", problems));
                }
                tenants.put(e.getKey(), r);
            }
            config = ConfigOverrides.fromJson(root.get("config"));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the sync state file " + file + " cannot be read (" + e.getMessage()
                    + "); fix or remove it (the indexes stay usable; a removed file starts the sync history anew)", e);
        }
    }

    @Override
    public synchronized Map<String, TenantSyncRecord> loadAll() {
        return Map.copyOf(tenants);
    }

    @Override
    public synchronized void save(String tenantId, TenantSyncRecord record) {
        TenantSyncRecord before = tenants.put(tenantId, record);
        try {
            write();
        } catch (StateStoreException e) {
            // the file still holds the old record: so must this store, or a later write would save it unasked
            if (before == null) {
                tenants.remove(tenantId);
            } else {
                tenants.put(tenantId, before);
            }
            throw e;
        }
    }

    @Override
    public synchronized ConfigOverrides loadConfig() {
        return config;
    }

    @Override
    public synchronized void saveConfig(ConfigOverrides next) {
        ConfigOverrides before = config;
        config = next;
        try {
            write();
        } catch (StateStoreException e) {
            config = before;
            throw e;
        }
    }

    @Override
    public String configLocation() {
        return "the state file " + file + " (field config)";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    private void write() {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            ObjectNode root = json.createObjectNode();
            root.set("tenants", json.valueToTree(tenants));
            root.set("config", json.valueToTree(config));
            try (OutputStream out = Files.newOutputStream(tmp)) {
                json.writerWithDefaultPrettyPrinter().writeValue(out, root);
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the next write replaces it
            }
            throw new StateStoreException("cannot write the sync state file " + file + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    @Override
    public void close() {
    }
}
