package io.mirador.api;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Body of {@code PUT /api/v1/metrics/sync/config}: any of the sync config's fields, as JSON; each is read and
 * checked by its {@link io.mirador.config.SyncConfigField}, so an unknown or wrong one is a 400 naming it.
 */
public final class SyncConfigChange {

    private final ObjectNode fields = JsonNodeFactory.instance.objectNode();

    @JsonAnySetter
    void set(String name, JsonNode value) {
        fields.set(name, value);
    }

    /** The fields as sent. */
    public ObjectNode fields() {
        return fields;
    }
}
