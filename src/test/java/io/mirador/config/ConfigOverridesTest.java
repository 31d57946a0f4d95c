package io.mirador.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mirador.testing.ApplicationDefaults;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * Stored run-time config changes are read back as they were kept (version, who, when, the fields set), a whole
 * config stored before versions reads as version 0, every value is checked as a PUT's would be, naming its field,
 * and the higher version is the newer.
 */
class ConfigOverridesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Test
    void should_read_version_author_time_and_values_when_the_record_is_versioned() throws IOException {
        // given
        JsonNode stored = json("{\"version\":7,\"changed_at\":\"2025-06-01T12:00:00Z\",\"changed_by\":\"key ci\","
                + "\"values\":{\"interval\":\"5m\",\"batch_size\":200}}");

        // when
        ConfigOverrides overrides = ConfigOverrides.fromJson(stored);

        // then
        assertThat(overrides.version()).isEqualTo(7);
        assertThat(overrides.changedAt()).isEqualTo(Instant.parse("2025-06-01T12:00:00Z"));
        assertThat(overrides.changedBy()).isEqualTo("key ci");
        assertThat(overrides.read()).containsOnly(
                entry(SyncConfigField.INTERVAL, Duration.ofMinutes(5)), entry(SyncConfigField.BATCH_SIZE, 200));
    }

    @Test
    void should_copy_the_values_when_reading_so_the_stored_node_can_change_afterwards() throws IOException {
        // given
        ObjectNode stored = (ObjectNode) json("{\"version\":1,\"values\":{\"batch_size\":200}}");

        // when
        ConfigOverrides overrides = ConfigOverrides.fromJson(stored);
        ((ObjectNode) stored.get("values")).put("batch_size", 0);

        // then
        assertThat(overrides.read()).containsOnly(entry(SyncConfigField.BATCH_SIZE, 200));
    }

    @Test
    void should_leave_time_and_author_empty_when_the_record_has_none() throws IOException {
        // when
        ConfigOverrides overrides = ConfigOverrides.fromJson(json("{\"version\":2,\"changed_at\":null,\"values\":{}}"));

        // then
        assertThat(overrides.version()).isEqualTo(2);
        assertThat(overrides.changedAt()).isNull();
        assertThat(overrides.changedBy()).isNull();
        assertThat(overrides.read()).isEmpty();
    }

    @Test
    void should_read_a_whole_legacy_config_as_version_0_setting_every_field_it_holds() throws IOException {
        // given a config as stored before versions: the fields themselves, no "values"
        JsonNode stored = json("{\"enabled\":false,\"strategy\":\"full\",\"interval\":\"10m\"}");

        // when
        ConfigOverrides overrides = ConfigOverrides.fromJson(stored);

        // then
        assertThat(overrides.version()).isZero();
        assertThat(overrides.changedAt()).isNull();
        assertThat(overrides.changedBy()).isEqualTo("a config stored before versions");
        assertThat(overrides.read()).containsOnly(entry(SyncConfigField.ENABLED, false),
                entry(SyncConfigField.STRATEGY, SyncStrategy.FULL), entry(SyncConfigField.INTERVAL, Duration.ofMinutes(10)));
    }

    @Test
    void should_read_nothing_set_when_nothing_is_stored() {
        // when / then
        assertThat(ConfigOverrides.fromJson(null)).isSameAs(ConfigOverrides.NONE);
        assertThat(ConfigOverrides.fromJson(NullNode.getInstance())).isSameAs(ConfigOverrides.NONE);
        assertThat(ConfigOverrides.NONE.read()).isEmpty();
        assertThat(ConfigOverrides.NONE.version()).isZero();
    }

    @Test
    void should_refuse_naming_the_field_when_the_change_time_is_not_a_time() throws IOException {
        // given
        JsonNode stored = new ObjectMapper().readTree("{\"version\":1,\"changed_at\":\"yesterday\",\"values\":{}}");

        // when / then: an IllegalArgumentException, which the stores turn into a message naming where it was read
        assertThatThrownBy(() -> ConfigOverrides.fromJson(stored))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("changed_at");
    }

    @Test
    void should_refuse_a_stored_value_that_is_not_an_object() throws IOException {
        // when / then
        assertThatThrownBy(() -> ConfigOverrides.fromJson(json("[1,2]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the stored sync config is not a JSON object");
        assertThatThrownBy(() -> ConfigOverrides.fromJson(json("{\"version\":1,\"values\":\"batch_size=5\"}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("values of the stored sync config is not a JSON object");
    }

    @Test
    void should_refuse_an_unknown_field_naming_it_when_values_are_read() throws IOException {
        // given
        ConfigOverrides overrides = ConfigOverrides.fromJson(json("{\"version\":1,\"values\":{\"batchsize\":5}}"));

        // when / then
        assertThatThrownBy(overrides::read)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown field 'batchsize'");
    }

    @Test
    void should_refuse_a_wrong_value_naming_its_field_when_values_are_read() throws IOException {
        // given
        ConfigOverrides tooBig = ConfigOverrides.fromJson(json("{\"version\":1,\"values\":{\"max_retries\":101}}"));
        ConfigOverrides notBoolean = ConfigOverrides.fromJson(json("{\"version\":1,\"values\":{\"enabled\":\"yes\"}}"));
        ConfigOverrides share = ConfigOverrides.fromJson(json("{\"version\":1,\"values\":{\"max_removal_share\":1.5}}"));

        // when / then
        assertThatThrownBy(tooBig::read).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max_retries must be between 0 and 100, was 101");
        assertThatThrownBy(notBoolean::read).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("enabled must be true or false");
        assertThatThrownBy(share::read).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("max_removal_share must be between 0 and 1");
    }

    @Test
    void should_be_newer_only_than_a_lower_version_or_nothing() {
        // given
        ConfigOverrides v1 = new ConfigOverrides(1, null, null, ConfigOverrides.NONE.values());
        ConfigOverrides v2 = new ConfigOverrides(2, null, null, ConfigOverrides.NONE.values());
        ConfigOverrides otherV2 = new ConfigOverrides(2, Instant.EPOCH, "other", ConfigOverrides.NONE.values());

        // when / then
        assertThat(v2.isNewerThan(v1)).isTrue();
        assertThat(v1.isNewerThan(v2)).isFalse();
        assertThat(v2.isNewerThan(otherV2)).isFalse();
        assertThat(v1.isNewerThan(null)).isTrue();
        assertThat(ConfigOverrides.NONE.isNewerThan(null)).isTrue();
    }

    @Test
    void should_read_back_what_settings_wrote_when_a_change_is_stored_and_read_again() throws IOException {
        // given
        SyncSettings settings = new SyncSettings(SyncConfig.fromSettings(ApplicationDefaults.with(Map.of())));
        ConfigOverrides written = settings.change(Map.of(SyncConfigField.RETRY_DELAY, Duration.ofSeconds(90),
                SyncConfigField.MAX_REMOVAL_SHARE, 0.25), "admin", Instant.parse("2025-06-01T12:00:00Z"));

        // when: stored as JSON the way the state store keeps it, and read back
        ObjectNode node = JSON.createObjectNode();
        node.put("version", written.version());
        node.put("changed_at", written.changedAt().toString());
        node.put("changed_by", written.changedBy());
        node.set("values", written.values());
        ConfigOverrides read = ConfigOverrides.fromJson(JSON.readTree(JSON.writeValueAsString(node)));

        // then
        assertThat(read).isEqualTo(written);
        assertThat(read.read()).containsOnly(entry(SyncConfigField.RETRY_DELAY, Duration.ofSeconds(90)),
                entry(SyncConfigField.MAX_REMOVAL_SHARE, 0.25));
    }
}
