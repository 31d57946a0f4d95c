package io.mirador.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.testing.ApplicationDefaults;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One rule decides the sync config in force: a field set at run time wins over the environment and the settings
 * until it is reset, except that {@code enabled=false} from the settings is a kill switch; a whole config stored
 * before versions keeps only what differs from the settings; an invalid change is refused naming its field; and
 * the sources say where each value comes from.
 */
class SyncSettingsTest {

    private static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Settings of application.properties plus {@code values}, with these environment variables and -D settings set. */
    private static SyncSettings settings(Map<String, String> values, Set<String> envSet, Set<String> systemPropertySet) {
        Function<String, Optional<String>> setting = ApplicationDefaults.with(values);
        Predicate<String> env = envSet::contains;
        Predicate<String> systemProperty = systemPropertySet::contains;
        return SyncSettings.fromSettings(setting, env, systemProperty);
    }

    private static SyncSettings settings(Map<String, String> values, Set<String> envSet) {
        return settings(values, envSet, Set.of());
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Test
    void should_say_where_each_value_comes_from_when_nothing_was_set_at_run_time() {
        // given the interval from the environment, the rest from settings or defaults
        SyncSettings settings = settings(Map.of("mirador.sync.interval", "5m"), Set.of("METRICS_METADATA_SYNC_INTERVAL"));

        // when
        Map<String, String> sources = settings.sources();

        // then
        assertThat(sources).containsEntry("interval", "environment METRICS_METADATA_SYNC_INTERVAL")
                .containsEntry("batch_size", "setting mirador.sync.batch-size")
                .containsEntry("time_range_lookback", "setting mirador.sync.lookback")
                .containsEntry("max_removal_share", "setting mirador.sync.max-removal-share")
                .hasSize(SyncConfigField.values().length);
        assertThat(settings.current().interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(new SyncSettings(settings.current()).sources()).containsEntry("interval", "given");
    }

    @Test
    void should_name_a_dash_d_setting_before_the_environment_when_both_are_set() {
        // given the interval given both as -Dmirador.sync.interval and as METRICS_METADATA_SYNC_INTERVAL
        SyncSettings settings = settings(Map.of("mirador.sync.interval", "7m"),
                Set.of("METRICS_METADATA_SYNC_INTERVAL", "METRICS_METADATA_SYNC_BATCH_SIZE"),
                Set.of("mirador.sync.interval"));

        // when
        Map<String, String> sources = settings.sources();

        // then
        assertThat(sources).containsEntry("interval", "setting -Dmirador.sync.interval")
                .containsEntry("batch_size", "environment METRICS_METADATA_SYNC_BATCH_SIZE")
                .containsEntry("strategy", "setting mirador.sync.strategy");
        assertThat(settings.current().interval()).isEqualTo(Duration.ofMinutes(7));
    }

    @Test
    void should_put_a_run_time_value_over_the_environment_when_it_is_applied() {
        // given
        SyncSettings settings = settings(Map.of("mirador.sync.interval", "5m"), Set.of("METRICS_METADATA_SYNC_INTERVAL"));

        // when
        ConfigOverrides changed = settings.change(Map.of(SyncConfigField.INTERVAL, Duration.ofMinutes(2)), "key admin", AT);
        Duration beforeApply = settings.current().interval();
        settings.apply(changed);

        // then: nothing changes until applied; then the run-time value wins and says who set it
        assertThat(beforeApply).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.current().interval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.sources()).containsEntry("interval", "runtime (set by key admin at " + AT + ")")
                .containsEntry("batch_size", "setting mirador.sync.batch-size");
        assertThat(settings.overrides()).isEqualTo(changed);
        assertThat(changed.version()).isEqualTo(1);
        assertThat(changed.changedBy()).isEqualTo("key admin");
        assertThat(changed.values().get("interval").asText()).isEqualTo("2m0s");
        assertThat(changed.values().size()).isEqualTo(1);
    }

    @Test
    void should_keep_earlier_run_time_fields_and_count_versions_when_changed_again() {
        // given
        SyncSettings settings = settings(Map.of(), Set.of());
        settings.apply(settings.change(Map.of(SyncConfigField.INTERVAL, Duration.ofMinutes(2)), "a", AT));

        // when
        ConfigOverrides second = settings.change(Map.of(SyncConfigField.BATCH_SIZE, 50), "b", AT.plusSeconds(1));
        settings.apply(second);

        // then
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.read()).containsOnlyKeys(SyncConfigField.INTERVAL, SyncConfigField.BATCH_SIZE);
        assertThat(settings.current().interval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.current().batchSize()).isEqualTo(50);
    }

    @Test
    void should_keep_syncs_off_when_the_settings_disable_them_whatever_was_set_at_run_time() {
        // given the kill switch in the settings
        SyncSettings settings = settings(Map.of("mirador.sync.enabled", "false"), Set.of());

        // when
        settings.apply(settings.change(Map.of(SyncConfigField.ENABLED, true), "admin", AT));

        // then
        assertThat(settings.current().enabled()).isFalse();
        assertThat(settings.sources().get("enabled"))
                .isEqualTo("setting mirador.sync.enabled, a kill switch no runtime change overrides");
        assertThat(settings.overrides().read()).containsEntry(SyncConfigField.ENABLED, true);
    }

    @Test
    void should_turn_syncs_off_at_run_time_when_the_settings_enable_them() {
        // given
        SyncSettings settings = settings(Map.of(), Set.of());

        // when
        settings.apply(settings.change(Map.of(SyncConfigField.ENABLED, false), "admin", AT));

        // then
        assertThat(settings.current().enabled()).isFalse();
        assertThat(settings.sources().get("enabled")).startsWith("runtime");
    }

    @Test
    void should_return_to_the_settings_when_reset() {
        // given
        SyncSettings settings = settings(Map.of("mirador.sync.batch-size", "300"), Set.of());
        settings.apply(settings.change(Map.of(SyncConfigField.BATCH_SIZE, 50, SyncConfigField.INTERVAL, Duration.ofMinutes(1)),
                "admin", AT));

        // when
        ConfigOverrides reset = settings.reset("other admin", AT.plusSeconds(60));
        settings.apply(reset);

        // then
        assertThat(reset.version()).isEqualTo(2);
        assertThat(reset.values().isEmpty()).isTrue();
        assertThat(reset.changedBy()).isEqualTo("other admin");
        assertThat(settings.current().batchSize()).isEqualTo(300);
        assertThat(settings.current().interval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.sources()).containsEntry("batch_size", "setting mirador.sync.batch-size")
                .containsEntry("interval", "setting mirador.sync.interval");
    }

    @Test
    void should_refuse_a_change_naming_the_field_when_the_result_is_not_valid() {
        // given
        SyncSettings settings = settings(Map.of(), Set.of());

        // when / then
        assertThatThrownBy(() -> settings.change(Map.of(SyncConfigField.BATCH_SIZE, 0), "admin", AT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch_size must be between 1 and 100000, was 0");
        assertThatThrownBy(() -> settings.change(Map.of(SyncConfigField.RETRY_DELAY, Duration.ofHours(2)), "admin", AT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("retry_delay must be between");
        assertThat(settings.current().batchSize()).isEqualTo(1000);
        assertThat(settings.overrides().version()).isZero();
    }

    @Test
    void should_keep_only_values_that_differ_from_the_settings_when_a_whole_legacy_config_is_loaded() throws IOException {
        // given a whole config as stored before versions, only its interval differs from the settings
        SyncSettings settings = settings(Map.of("mirador.sync.batch-size", "300"), Set.of());
        ConfigOverrides legacy = ConfigOverrides.fromJson(json("{\"enabled\":true,\"strategy\":\"hybrid\",\"interval\":\"5m\","
                + "\"full_sync_interval\":\"24h\",\"batch_size\":300,\"max_retries\":3,\"retry_delay\":\"30s\","
                + "\"time_range_lookback\":\"1h\",\"full_sync_window\":\"24h\",\"max_removal_share\":0.5}"));

        // when
        settings.load(legacy, "state.json");

        // then
        assertThat(legacy.version()).isZero();
        assertThat(settings.overrides().version()).isZero();
        assertThat(settings.overrides().read()).containsOnlyKeys(SyncConfigField.INTERVAL);
        assertThat(settings.current().interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.current().batchSize()).isEqualTo(300);
        assertThat(settings.sources().get("interval")).startsWith("runtime");
        assertThat(settings.sources()).containsEntry("batch_size", "setting mirador.sync.batch-size");
        // and: a field the legacy copy held at the settings' value follows the settings
        assertThat(settings.sources().get("max_retries")).isEqualTo("setting mirador.sync.max-retries");
    }

    @Test
    void should_keep_every_field_set_when_a_versioned_config_is_loaded() throws IOException {
        // given overrides that happen to equal the settings
        SyncSettings settings = settings(Map.of(), Set.of());
        ConfigOverrides stored = ConfigOverrides.fromJson(json(
                "{\"version\":4,\"changed_by\":\"admin\",\"values\":{\"batch_size\":1000,\"interval\":\"1m\"}}"));

        // when
        settings.load(stored, "state.json");

        // then: a versioned record holds only what was set, and all of it stays set
        assertThat(settings.overrides().version()).isEqualTo(4);
        assertThat(settings.overrides().read()).containsOnlyKeys(SyncConfigField.BATCH_SIZE, SyncConfigField.INTERVAL);
        assertThat(settings.sources().get("batch_size")).startsWith("runtime (set by admin");
    }

    @Test
    void should_refuse_to_load_naming_where_and_the_field_when_a_stored_value_is_not_valid() throws IOException {
        // given
        SyncSettings settings = settings(Map.of(), Set.of());
        ConfigOverrides stored = ConfigOverrides.fromJson(json("{\"version\":3,\"values\":{\"batch_size\":0}}"));

        // when / then
        assertThatThrownBy(() -> settings.load(stored, "Valkey key mirador:sync-config"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the sync config stored in Valkey key mirador:sync-config is not valid")
                .hasMessageContaining("batch_size must be between 1 and 100000, was 0");
        assertThat(settings.current().batchSize()).isEqualTo(1000);
    }
}
