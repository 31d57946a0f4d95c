package io.mirador.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TypeInferenceTest {

    @Test
    void should_infer_counter_when_name_ends_with_total() {
        // given
        String name = "node_cpu_seconds_total";

        // when
        String type = TypeInference.inferType(name, List.of("cpu", "mode", "instance"));

        // then
        assertThat(type).isEqualTo("counter");
    }

    @Test
    void should_infer_counter_when_name_ends_with_created() {
        // given
        String name = "http_requests_created";

        // when
        String type = TypeInference.inferType(name, List.of("job"));

        // then
        assertThat(type).isEqualTo("counter");
    }

    @Test
    void should_infer_histogram_when_name_ends_with_bucket_and_has_le() {
        // given
        String name = "http_request_duration_seconds_bucket";

        // when
        String type = TypeInference.inferType(name, List.of("job", "le"));

        // then
        assertThat(type).isEqualTo("histogram");
    }

    @Test
    void should_not_infer_histogram_when_bucket_has_no_le_label() {
        // given
        String name = "s3_bucket";

        // when
        String type = TypeInference.inferType(name, List.of("region"));

        // then
        assertThat(type).isEqualTo("gauge");
    }

    @Test
    void should_infer_summary_when_labels_include_quantile() {
        // given
        String name = "go_gc_duration_seconds";

        // when
        String type = TypeInference.inferType(name, List.of("instance", "quantile"));

        // then
        assertThat(type).isEqualTo("summary");
    }

    @Test
    void should_infer_info_when_name_ends_with_info() {
        // given
        String name = "node_uname_info";

        // when
        String type = TypeInference.inferType(name, List.of("release", "sysname"));

        // then
        assertThat(type).isEqualTo("info");
    }

    @Test
    void should_infer_gauge_when_no_convention_applies() {
        // given
        String name = "node_memory_MemAvailable_bytes";

        // when
        String type = TypeInference.inferType(name, List.of());

        // then
        assertThat(type).isEqualTo("gauge");
    }

    @ParameterizedTest(name = "{0} -> ''{1}''")
    @CsvSource(value = {
            "node_memory_MemAvailable_bytes | bytes",
            "http_request_duration_seconds_bucket | seconds",
            "http_request_duration_seconds_sum | seconds",
            "http_request_duration_seconds_count | seconds",
            "node_cpu_seconds_total | seconds",
            "node_network_receive_bytes_total | bytes",
            "foo_ratio | ratio",
            "process_start_time_seconds | seconds",
            "request_latency_milliseconds | milliseconds",
            "disk_size_kilobytes | kilobytes",
            "node_hwmon_temp_celsius | celsius",
            "bytes_total | bytes",
            "up | ''",
            "node_load1 | ''",
            "go_goroutines | ''",
            "node_uname_info | ''",
    }, delimiter = '|')
    void should_infer_unit_from_suffix_when_name_names_one(String name, String unit) {
        // given a metric name

        // when
        String inferred = TypeInference.inferUnit(name);

        // then
        assertThat(inferred).isEqualTo(unit);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(value = {
            "node_cpu_seconds_total | node_cpu_seconds",
            "http_request_duration_seconds_bucket | http_request_duration_seconds",
            "http_request_duration_seconds_sum | http_request_duration_seconds",
            "http_request_duration_seconds_count | http_request_duration_seconds",
            "http_requests_created | http_requests",
            "node_uname_info | node_uname",
            "node_memory_MemAvailable_bytes | node_memory_MemAvailable_bytes",
            "_total | _total",
    }, delimiter = '|')
    void should_strip_the_type_suffix_when_name_has_one(String name, String base) {
        // given a metric name

        // when
        String stripped = TypeInference.stripTypeSuffix(name);

        // then
        assertThat(stripped).isEqualTo(base);
    }
}
