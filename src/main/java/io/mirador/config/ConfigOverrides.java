package io.mirador.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The sync config fields set at run time through {@code PUT /api/v1/metrics/sync/config}, kept in the state
 * store: only the fields that were set, in the API's JSON form, with who set them last and a version that
 * grows with every change (between the state file and Valkey the newer wins).
 *
 * @param values field name to value, as {@code GET .../sync/config} writes them
 */
public record ConfigOverrides(long version, Instant changedAt, String changedBy, ObjectNode values) {

    public static final ConfigOverrides NONE = new ConfigOverrides(0, null, null, JsonNodeFactory.instance.objectNode());

    /**
     * Reads a stored value: this record, or a whole config as stored before overrides had versions (taken as
     * version 0 setting every field it holds).
     */
    public static ConfigOverrides fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("the stored sync config is not a JSON object");
        }
        if (!node.has("values")) {
            return new ConfigOverrides(0, null, "a config stored before versions", ((ObjectNode) node).deepCopy());
        }
        JsonNode values = node.get("values");
        if (!values.isObject()) {
            throw new IllegalArgumentException("values of the stored sync config is not a JSON object");
        }
        JsonNode at = node.get("changed_at");
        Instant changedAt;
        try {
            changedAt = at == null || at.isNull() ? null : Instant.parse(at.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("changed_at of the stored sync config is not a time: " + at.asText());
        }
        return new ConfigOverrides(node.path("version").asLong(0), changedAt,
                node.hasNonNull("changed_by") ? node.get("changed_by").asText() : null, (ObjectNode) values.deepCopy());
    }

    /**
     * The values, each read and checked as a PUT's would be.
     *
     * @throws IllegalArgumentException naming the field that is unknown or wrong
     */
    public Map<SyncConfigField, Object> read() {
        Map<SyncConfigField, Object> out = new EnumMap<>(SyncConfigField.class);
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            SyncConfigField field = SyncConfigField.byJsonName(e.getKey()).orElseThrow(() ->
                    new IllegalArgumentException("unknown field '" + e.getKey() + "'"));
            try {
                out.put(field, field.read(e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(field.jsonName() + " " + ex.getMessage());
            }
        }
        return out;
    }

    /** Whether this is newer than {@code other}. */
    public boolean isNewerThan(ConfigOverrides other) {
        return other == null || version > other.version;
    }
}
