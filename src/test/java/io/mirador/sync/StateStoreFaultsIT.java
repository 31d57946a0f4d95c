package io.mirador.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.testing.Mirador;
import io.mirador.testing.MiradorProcess;
import io.mirador.testing.Series;
import io.mirador.testing.SharedVictoriaMetrics;
import io.mirador.testing.SmallDisk;
import io.mirador.testing.Valkey;
import io.mirador.testing.VictoriaMetrics;
import io.mirador.testing.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The state store under faults: a full disk, a Valkey brought back from an old snapshot or emptied while
 * the service runs, a stored config that is not valid, and the precedence of the kill switch over run-time
 * changes. What the service answers is recorded, or refused with 503; the newer record wins wherever it is.
 */
class StateStoreFaultsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String RECORD = "mirador:tenant:default:sync-record";
    static final String CONFIG = "mirador:sync-config";
    static final String SYNC = "/api/v1/metrics/sync/default?forceFull=true";
    static final String SYNC_CONFIG = "/api/v1/metrics/sync/config";
    static final int NAMES = 30;

    @RegisterExtension
    static final SharedVictoriaMetrics vm = SharedVictoriaMetrics.withNames("state_fault_metric_", NAMES);

    @TempDir
    Path dir;


    /** A sync whose start cannot be recorded (a full disk) is refused with 503, leaves nothing running, and the next one runs. */
    @Test
    void should_refuse_a_sync_with_503_and_leave_nothing_running_when_the_disk_is_full() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), "16m")) {
            Path data = disk.dir().resolve("data");
            try (Mirador mirador = Mirador.start(Mirador.settings(vm.url(), data))) {
                // given: a first sync recorded
                mirador.syncNow(true);

                // when: the disk is full
                disk.fill();
                assertThat(disk.usableSpace()).isZero();
                Mirador.Response refused = mirador.post(SYNC, null);

                // then: 503 in the API's error shape saying why, and no sync left running
                assertThat(refused.status()).as(refused.body()).isEqualTo(503);
                assertThat(refused.json().get("status").asText()).isEqualTo("error");
                assertThat(refused.json().get("errorType").asText()).isEqualTo("unavailable");
                assertThat(refused.json().get("error").asText()).contains("sync state cannot be recorded");
                assertThat(mirador.status().get("status").asText()).isNotEqualTo("running").isEqualTo("completed");
                assertThat(mirador.state().get("is_currently_syncing").asBoolean()).isFalse();
                assertThat(mirador.state().get("total_syncs").asInt()).isEqualTo(1);
                assertThat(JSON.readTree(data.resolve("state.json").toFile()).at("/tenants/default/state/total_syncs").asInt())
                        .as("the state file keeps the last record it could write").isEqualTo(1);

                // when: the disk has room again
                disk.free();
                Mirador.Response next = mirador.post(SYNC, null);

                // then: the next sync runs (not 409: the refused one did not stay claimed) and is recorded
                assertThat(next.status()).as(next.body()).isEqualTo(200);
                assertThat(mirador.state().get("total_syncs").asInt()).isEqualTo(2);
                assertThat(JSON.readTree(data.resolve("state.json").toFile()).at("/tenants/default/state/total_syncs").asInt())
                        .isEqualTo(2);
            }
        }
    }

    /** A config change that cannot be stored (a full disk) is refused with 503 and not applied; with room again it is. */
    @Test
    void should_refuse_a_config_change_with_503_and_keep_the_old_config_when_the_disk_is_full() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), "16m")) {
            Path data = disk.dir().resolve("data");
            try (Mirador mirador = Mirador.start(Mirador.settings(vm.url(), data))) {
                // given
                int before = mirador.get(SYNC_CONFIG).ok().get("batch_size").asInt();
                assertThat(before).isNotEqualTo(7);

                // when: the disk is full
                disk.fill();
                Mirador.Response refused = mirador.put(SYNC_CONFIG, "{\"batch_size\":7}");

                // then: 503 saying why, and the config in force is the old one
                assertThat(refused.status()).as(refused.body()).isEqualTo(503);
                assertThat(refused.json().get("errorType").asText()).isEqualTo("unavailable");
                assertThat(refused.json().get("error").asText()).contains("sync state cannot be recorded");
                assertThat(mirador.get(SYNC_CONFIG).ok().get("batch_size").asInt()).isEqualTo(before);

                // when: the disk has room again
                disk.free();

                // then: the same change is applied and kept
                assertThat(mirador.put(SYNC_CONFIG, "{\"batch_size\":7}").status()).isEqualTo(200);
                assertThat(mirador.get(SYNC_CONFIG).ok().get("batch_size").asInt()).isEqualTo(7);
                assertThat(JSON.readTree(data.resolve("state.json").toFile()).at("/config/values/batch_size").asInt())
                        .isEqualTo(7);
            }
        }
    }

    /**
     * A Valkey brought back from an old snapshot does not undo what happened while it was down: at start the newer
     * record of the state file wins, and is written back to Valkey (newest wins in both directions).
     */
    @Test
    void should_keep_the_newer_state_and_config_when_valkey_comes_back_from_an_old_snapshot() throws Exception {
        Path data = dir.resolve("data");
        Path snapshot = dir.resolve("old-dump.rdb");
        try (Valkey valkey = Valkey.startWithSnapshots(dir)) {
            Map<String, String> settings = valkeySettings(data, valkey);
            try (Mirador mirador = Mirador.start(settings)) {
                // given: three syncs and a config change in Valkey, saved to a snapshot
                for (int i = 0; i < 3; i++) {
                    mirador.syncNow(true);
                }
                mirador.put(SYNC_CONFIG, "{\"batch_size\":123}").ok();
                assertThat(JSON.readTree(valkey.get(RECORD)).at("/state/total_syncs").asInt()).isEqualTo(3);
                valkey.save();
                valkey.snapshot(snapshot);

                // and: two more syncs, then another config change while Valkey is down (syncs wait for Valkey)
                mirador.syncNow(true);
                mirador.syncNow(true);
                valkey.stop();
                mirador.put(SYNC_CONFIG, "{\"batch_size\":321}").ok();
            }
            valkey.restore(snapshot);
            valkey.start();
            assertThat(JSON.readTree(valkey.get(RECORD)).at("/state/total_syncs").asInt())
                    .as("Valkey is back with the old snapshot").isEqualTo(3);
            assertThat(JSON.readTree(valkey.get(CONFIG)).at("/values/batch_size").asInt()).isEqualTo(123);

            // when: the service starts again on the same data directory
            try (Mirador mirador = Mirador.start(settings)) {
                // then: it serves the newer state and config
                assertThat(mirador.state().get("total_syncs").asInt()).isEqualTo(5);
                assertThat(mirador.get(SYNC_CONFIG).ok().get("batch_size").asInt()).isEqualTo(321);

                // and: Valkey gets the newer records within seconds
                Waits.until(Duration.ofSeconds(5), "Valkey to hold the newer record and config", () ->
                        JSON.readTree(valkey.get(RECORD)).at("/state/total_syncs").asInt() == 5
                                && JSON.readTree(valkey.get(CONFIG)).at("/values/batch_size").asInt() == 321);

                // and: the state file was not overwritten with Valkey's older records
                JsonNode file = JSON.readTree(data.resolve("state.json").toFile());
                assertThat(file.at("/tenants/default/state/total_syncs").asInt()).isEqualTo(5);
                assertThat(file.at("/config/values/batch_size").asInt()).isEqualTo(321);
                assertThat(file.at("/tenants/default/version").asLong())
                        .isEqualTo(JSON.readTree(valkey.get(RECORD)).get("version").asLong());
            }
        }
    }

    /** A Valkey emptied while the service runs is refilled with the current records within seconds, without a sync. */
    @Test
    void should_refill_an_emptied_valkey_with_the_current_records_without_a_sync() throws Exception {
        try (Valkey valkey = Valkey.start(dir)) {
            try (Mirador mirador = Mirador.start(valkeySettings(dir.resolve("data"), valkey))) {
                // given: two syncs and a config change, in Valkey
                mirador.syncNow(true);
                mirador.syncNow(true);
                mirador.put(SYNC_CONFIG, "{\"batch_size\":77}").ok();
                JsonNode record = JSON.readTree(valkey.get(RECORD));
                JsonNode config = JSON.readTree(valkey.get(CONFIG));
                assertThat(record.at("/state/total_syncs").asInt()).isEqualTo(2);
                assertThat(config.at("/values/batch_size").asInt()).isEqualTo(77);

                // when: Valkey loses every key
                valkey.flushAll();

                // then: both records are back, in their current versions, within 5 seconds
                Waits.until(Duration.ofSeconds(5), "Valkey to be refilled", () -> valkey.get(RECORD) != null
                        && valkey.get(CONFIG) != null);
                assertThat(JSON.readTree(valkey.get(RECORD))).isEqualTo(record);
                assertThat(JSON.readTree(valkey.get(CONFIG))).isEqualTo(config);

                // and: no sync ran for it, and the store reports up
                assertThat(mirador.state().get("total_syncs").asInt()).isEqualTo(2);
                assertThat(mirador.get("/api/v1/metrics/health").ok().get("state_store").asText()).isEqualTo("up");
            }
        }
    }

    /** A config in the state file that a PUT would refuse (batch_size 0) stops the start, naming the file and the field. */
    @Test
    void should_not_start_when_the_state_file_holds_a_config_that_is_not_valid() throws Exception {
        // given
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("state.json"), """
                {"tenants":{},"config":{"version":3,"values":{"batch_size":0}}}""");

        // when
        Throwable failure = catchThrowable(() -> Mirador.start(Mirador.settings(vm.url(), data)).close());

        // then
        assertThat(failure).isNotNull();
        assertThat(messages(failure)).contains(data.resolve("state.json").toString()).contains("not valid")
                .contains("batch_size");
    }

    /** A config stored before versions (a whole config) is checked the same way: batch_size 0 stops the start. */
    @Test
    void should_not_start_when_the_state_file_holds_a_legacy_config_that_is_not_valid() throws Exception {
        // given
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("state.json"), """
                {"tenants":{},"config":{"enabled":true,"strategy":"hybrid","interval":"15m0s",
                 "full_sync_interval":"24h0m0s","batch_size":0,"max_retries":3,"retry_delay":"30s",
                 "time_range_lookback":"1h0m0s"}}""");

        // when
        Throwable failure = catchThrowable(() -> Mirador.start(Mirador.settings(vm.url(), data)).close());

        // then
        assertThat(failure).isNotNull();
        assertThat(messages(failure)).contains(data.resolve("state.json").toString()).contains("not valid")
                .contains("batch_size");
    }

    /** A config in Valkey that a PUT would refuse stops the start, naming the Valkey key and the field. */
    @Test
    void should_not_start_when_valkey_holds_a_config_that_is_not_valid() {
        try (Valkey valkey = Valkey.start(dir)) {
            // given
            valkey.set(CONFIG, "{\"version\":3,\"values\":{\"batch_size\":0}}");

            // when
            Throwable failure = catchThrowable(() -> Mirador.start(valkeySettings(dir.resolve("data"), valkey)).close());

            // then
            assertThat(failure).isNotNull();
            assertThat(messages(failure)).contains("Valkey key " + CONFIG).contains("not valid").contains("batch_size");
        }
    }

    /** An environment variable with a value out of bounds stops the packaged service, naming the variable. */
    @Test
    void should_exit_naming_the_variable_when_the_environment_sets_a_batch_size_that_is_not_valid() throws Exception {
        // given
        Path log = dir.resolve("bad-env.log");

        // when
        Throwable failure = catchThrowable(() -> MiradorProcess.start(log, Map.of(
                "VICTORIAMETRICS_URL", vm.url(),
                "MIRADOR_DATA_DIR", dir.resolve("data").toString(),
                "METRICS_METADATA_SYNC_ENABLED", "false",
                "METRICS_METADATA_SYNC_BATCH_SIZE", "0"), Map.of()).close());

        // then: it exited instead of getting ready, and its log says why
        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("exited");
        assertThat(Files.readString(log)).contains("METRICS_METADATA_SYNC_BATCH_SIZE");
    }

    /**
     * {@code enabled = false} in the settings is a kill switch no run-time change overrides, while the other fields
     * set at run time still win over the settings until DELETE resets them, which survives a restart.
     */
    @Test
    void should_keep_scheduled_syncs_off_under_the_kill_switch_and_reset_runtime_fields_on_delete() throws Exception {
        Path data = dir.resolve("data");
        Map<String, String> settings = Mirador.settings(vm.url(), data);
        settings.put("mirador.sync.interval", "1h");

        // given: scheduled syncs on (first tick far away, so none runs yet) and a run-time change
        Map<String, String> on = new LinkedHashMap<>(settings);
        on.put("mirador.sync.enabled", "true");
        on.put("mirador.sync.first-tick", "600000");
        try (Mirador mirador = Mirador.start(on)) {
            JsonNode changed = mirador.put(SYNC_CONFIG, "{\"enabled\":true,\"interval\":\"5m\"}").ok();
            assertThat(changed.at("/config/enabled").asBoolean()).isTrue();
            assertThat(changed.at("/config/interval").asText()).isEqualTo("5m0s");
        }

        // when: restarted with the kill switch
        settings.put("mirador.sync.enabled", "false");
        try (Mirador mirador = Mirador.start(settings)) {
            // then: scheduled syncs are off, saying why; the other run-time field still wins
            JsonNode config = mirador.get(SYNC_CONFIG).ok();
            assertThat(config.get("enabled").asBoolean()).isFalse();
            assertThat(config.at("/sources/enabled").asText()).contains("kill switch");
            assertThat(config.get("interval").asText()).isEqualTo("5m0s");
            assertThat(config.at("/sources/interval").asText()).startsWith("runtime");
            // a tenant never synced would be due at the first tick (200 ms) if the schedule were on
            Thread.sleep(1500);
            assertThat(mirador.status().get("status").asText()).isEqualTo("idle");
            assertThat(mirador.state().get("total_syncs").asInt()).isZero();

            // when: the run-time changes are dropped
            HttpResponse<String> reset = HTTP.send(HttpRequest.newBuilder(URI.create(mirador.url() + SYNC_CONFIG))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());

            // then: the setting applies again
            assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
            JsonNode after = mirador.get(SYNC_CONFIG).ok();
            assertThat(after.get("interval").asText()).isEqualTo("1h0m0s");
            assertThat(after.at("/sources/interval").asText()).isEqualTo("setting mirador.sync.interval");
            assertThat(after.get("enabled").asBoolean()).isFalse();
        }

        // and: the reset survives a restart
        try (Mirador mirador = Mirador.start(settings)) {
            JsonNode config = mirador.get(SYNC_CONFIG).ok();
            assertThat(config.get("interval").asText()).isEqualTo("1h0m0s");
            assertThat(config.at("/sources/interval").asText()).isEqualTo("setting mirador.sync.interval");
        }
    }

    private static Map<String, String> valkeySettings(Path data, Valkey valkey) {
        Map<String, String> s = Mirador.settings(vm.url(), data);
        s.put("mirador.state.store", "valkey");
        s.put("mirador.state.valkey.url", valkey.url());
        return s;
    }

    /** Every message of the cause chain, one a line. */
    private static String messages(Throwable failure) {
        List<String> out = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            out.add(t.getClass().getName() + ": " + t.getMessage());
        }
        return String.join("\n", out);
    }
}
