package io.mirador.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.mirador.testing.ApplicationDefaults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyncConfigTest {

    private static Function<String, Optional<String>> settings(Map<String, String> values) {
        return ApplicationDefaults.with(values);
    }

    @Test
    void should_refuse_naming_the_setting_when_one_is_not_set() {
        // given a setting missing altogether: application.properties is where every default lives
        Function<String, Optional<String>> none = key -> Optional.empty();

        // when / then
        assertThatThrownBy(() -> SyncConfig.fromSettings(none))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mirador.sync.enabled")
                .hasMessageContaining("METRICS_METADATA_SYNC_ENABLED");
    }

    @Test
    void should_use_the_defaults_of_application_properties_when_nothing_else_is_set() {
        // given
        Function<String, Optional<String>> none = settings(Map.of());

        // when
        SyncConfig config = SyncConfig.fromSettings(none);

        // then
        assertThat(config.enabled()).isTrue();
        assertThat(config.strategy()).isEqualTo(SyncStrategy.HYBRID);
        assertThat(config.interval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.fullSyncInterval()).isEqualTo(Duration.ofHours(24));
        assertThat(config.batchSize()).isEqualTo(1000);
        assertThat(config.maxRetries()).isEqualTo(3);
        assertThat(config.retryDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.timeRangeLookback()).isEqualTo(Duration.ofHours(1));
        assertThat(config.fullSyncWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(config.problems()).isEmpty();
    }

    @Test
    void should_read_every_setting_when_all_are_set() {
        // given the three duration forms and the other values
        Function<String, Optional<String>> all = settings(Map.of(
                "mirador.sync.enabled", "off",
                "mirador.sync.strategy", "Incremental",
                "mirador.sync.interval", "PT5M",
                "mirador.sync.full-sync-interval", "12h",
                "mirador.sync.batch-size", " 250 ",
                "mirador.sync.max-retries", "0",
                "mirador.sync.retry-delay", "0s",
                "mirador.sync.lookback", "7200000000000",
                "mirador.sync.full-window", "48h"));

        // when
        SyncConfig config = SyncConfig.fromSettings(all);

        // then
        assertThat(config.enabled()).isFalse();
        assertThat(config.strategy()).isEqualTo(SyncStrategy.INCREMENTAL);
        assertThat(config.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.fullSyncInterval()).isEqualTo(Duration.ofHours(12));
        assertThat(config.batchSize()).isEqualTo(250);
        assertThat(config.maxRetries()).isZero();
        assertThat(config.retryDelay()).isZero();
        assertThat(config.timeRangeLookback()).isEqualTo(Duration.ofHours(2));
        assertThat(config.fullSyncWindow()).isEqualTo(Duration.ofHours(48));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "interval, 0s, METRICS_METADATA_SYNC_INTERVAL",
            "interval, -5m, METRICS_METADATA_SYNC_INTERVAL",
            "interval, soon, METRICS_METADATA_SYNC_INTERVAL",
            "full-sync-interval, 0s, METRICS_METADATA_SYNC_FULL_INTERVAL",
            "batch-size, 0, METRICS_METADATA_SYNC_BATCH_SIZE",
            "batch-size, 100001, METRICS_METADATA_SYNC_BATCH_SIZE",
            "batch-size, many, METRICS_METADATA_SYNC_BATCH_SIZE",
            "max-retries, -1, METRICS_METADATA_SYNC_MAX_RETRIES",
            "max-retries, 101, METRICS_METADATA_SYNC_MAX_RETRIES",
            "strategy, sometimes, METRICS_METADATA_SYNC_STRATEGY",
            "retry-delay, soon, METRICS_METADATA_SYNC_RETRY_DELAY",
            "retry-delay, -1s, METRICS_METADATA_SYNC_RETRY_DELAY",
            "lookback, 0s, METRICS_METADATA_SYNC_LOOKBACK",
            "lookback, P366D, METRICS_METADATA_SYNC_LOOKBACK",
            "full-window, P365000D, METRICS_METADATA_SYNC_FULL_WINDOW",
            "full-sync-interval, P366D, METRICS_METADATA_SYNC_FULL_INTERVAL",
            "interval, P31D, METRICS_METADATA_SYNC_INTERVAL",
            "retry-delay, 2h, METRICS_METADATA_SYNC_RETRY_DELAY",
            "max-removal-share, 1.5, METRICS_METADATA_SYNC_MAX_REMOVAL_SHARE",
            "max-removal-share, NaN, METRICS_METADATA_SYNC_MAX_REMOVAL_SHARE",
            "enabled, maybe, METRICS_METADATA_SYNC_ENABLED",
    })
    void should_throw_naming_the_setting_when_a_value_is_bad(String key, String value, String env) {
        // given
        Function<String, Optional<String>> bad = settings(Map.of("mirador.sync." + key, value));

        // when / then
        assertThatThrownBy(() -> SyncConfig.fromSettings(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mirador.sync." + key)
                .hasMessageContaining(env);
    }

    @Test
    void should_throw_naming_the_setting_when_full_window_is_not_positive() {
        // given a setting without a METRICS_METADATA_SYNC_* variable
        Function<String, Optional<String>> bad = settings(Map.of("mirador.sync.full-window", "0s"));

        // when / then
        assertThatThrownBy(() -> SyncConfig.fromSettings(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mirador.sync.full-window");
    }

    @Test
    void should_say_what_was_wrong_when_a_value_does_not_parse() {
        // given
        Function<String, Optional<String>> bad = settings(Map.of("mirador.sync.strategy", "sometimes"));

        // when / then
        assertThatThrownBy(() -> SyncConfig.fromSettings(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sometimes")
                .hasMessageContaining("full")
                .hasMessageContaining("incremental")
                .hasMessageContaining("hybrid");
    }

    @Test
    void should_list_each_problem_by_field_when_config_is_built_directly() {
        // given a config as PUT /api/v1/metrics/sync/config would build it
        SyncConfig config = new SyncConfig(true, null, Duration.ZERO, Duration.ofHours(1), 0, 101,
                Duration.ofSeconds(-1), Duration.ofHours(1), Duration.ofHours(24), 0.5);

        // when
        var problems = config.problems();

        // then
        assertThat(problems).hasSize(5)
                .anySatisfy(p -> assertThat(p).startsWith("interval"))
                .anySatisfy(p -> assertThat(p).startsWith("batch_size"))
                .anySatisfy(p -> assertThat(p).startsWith("max_retries"))
                .anySatisfy(p -> assertThat(p).startsWith("retry_delay"))
                .anySatisfy(p -> assertThat(p).startsWith("strategy"));
    }
}
