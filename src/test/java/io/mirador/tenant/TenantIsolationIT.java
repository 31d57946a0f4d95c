package io.mirador.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.testing.FreePorts;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.ServiceProcess;
import io.mirador.testing.VictoriaMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tenants on real sources: two VictoriaMetrics never see each other's metrics, each tenant has its own
 * index directory; and the cluster form of a source, /select/0:0/prometheus/..., through a real vmauth
 * (with a bearer token) in front of a single-node VictoriaMetrics serving that path prefix.
 */
class TenantIsolationIT {

    @TempDir
    Path dir;

    @Test
    void should_keep_each_tenants_metrics_apart() throws Exception {
        try (VictoriaMetrics red = VictoriaMetrics.start(dir.resolve("red"));
             VictoriaMetrics blue = VictoriaMetrics.start(dir.resolve("blue"))) {
            red.importPrometheus(new Series().add("red_only_requests_total", "job=\"r\"").add("shared_name_total", "job=\"r\""));
            blue.importPrometheus(new Series().add("blue_only_requests_total", "job=\"b\"").add("shared_name_total", "job=\"b\""));
            Map<String, String> s = Mirador.settings(red.url(), dir.resolve("data"));
            s.put("mirador.tenants", "red,blue");
            s.put("mirador.tenant.red.source-url", red.url());
            s.put("mirador.tenant.blue.source-url", blue.url());
            s.put("mirador.default-tenant", "red");
            try (Mirador mirador = Mirador.start(s)) {
                mirador.post("/api/v1/metrics/sync/red?forceFull=true", null).ok();
                mirador.post("/api/v1/metrics/sync/blue?forceFull=true", null).ok();

                assertThat(names(mirador, "red")).containsExactly("red_only_requests_total", "shared_name_total");
                assertThat(names(mirador, "blue")).containsExactly("blue_only_requests_total", "shared_name_total");
                JsonNode shared = mirador.get("/api/v1/metrics/blue/shared_name_total").ok();
                assertThat(shared.get("tenant_id").asText()).isEqualTo("blue");
                assertThat(shared.get("label_values").get("job").get(0).asText()).isEqualTo("b");
                assertThat(mirador.get("/api/v1/metrics/red/blue_only_requests_total").status()).isEqualTo(404);
                try (var dirs = Files.list(dir.resolve("data").resolve("indexes"))) {
                    assertThat(dirs.map(p -> p.getFileName().toString()).sorted()).containsExactly("blue", "red");
                }
            }
        }
    }

    @Test
    void should_read_a_cluster_account_through_vmauth() throws Exception {
        try (VictoriaMetrics vm = VictoriaMetrics.start(dir, "-http.pathPrefix=/select/0:0/prometheus")) {
            vm.importPrometheus(new Series().add("cluster_side_requests_total", "job=\"c\""));
            int port = FreePorts.next();
            Path config = dir.resolve("vmauth.yml");
            Files.writeString(config, """
                    users:
                      - bearer_token: "tenant-token"
                        url_map:
                          - src_paths: ["/select/0:0/prometheus/.*"]
                            url_prefix: "%s"
                    """.formatted(vm.rootUrl()));
            try (ServiceProcess vmauth = new ServiceProcess(List.of("vmauth", "-auth.config=" + config,
                    "-httpListenAddr=127.0.0.1:" + port), dir.resolve("vmauth.log"), "http://127.0.0.1:" + port + "/health").start()) {
                Map<String, String> s = Mirador.settings("http://127.0.0.1:" + port, dir.resolve("data"));
                s.put("mirador.tenant.default.account", "0:0");
                s.put("mirador.tenant.default.bearer-token", "tenant-token");
                try (Mirador mirador = Mirador.start(s)) {
                    mirador.syncNow(true);
                    assertThat(names(mirador, "default")).containsExactly("cluster_side_requests_total");
                }
                // the token from a file, as a mounted secret is handed over: never on the command line
                Path token = dir.resolve("token");
                Files.writeString(token, "tenant-token\n");
                s.remove("mirador.tenant.default.bearer-token");
                s.put("mirador.tenant.default.bearer-token-file", token.toString());
                s.put("mirador.data-dir", dir.resolve("data-file").toString());
                try (Mirador mirador = Mirador.start(s)) {
                    mirador.syncNow(true);
                    assertThat(names(mirador, "default")).containsExactly("cluster_side_requests_total");
                }
                s.put("mirador.tenant.default.bearer-token-file", dir.resolve("missing").toString());
                assertThatThrownBy(() -> Mirador.start(s).close()).hasStackTraceContaining("mirador.tenant.default.bearer-token-file");
                s.remove("mirador.tenant.default.bearer-token-file");
                // with a wrong token vmauth refuses (1.79 answers 400): the sync fails, saying why
                s.put("mirador.tenant.default.bearer-token", "wrong");
                s.put("mirador.data-dir", dir.resolve("data-wrong").toString());
                try (Mirador mirador = Mirador.start(s)) {
                    Mirador.Response r = mirador.post("/api/v1/metrics/sync/default?forceFull=true", null);
                    assertThat(r.status()).isEqualTo(503);
                    assertThat(r.json().get("error").asText()).contains("/select/0:0/prometheus/api/v1/").contains("auth token");
                }
            }
        }
    }

    private static List<String> names(Mirador mirador, String tenant) {
        JsonNode r = mirador.search("{\"query\":\"\",\"tenant_id\":\"" + tenant + "\"}");
        List<String> out = new java.util.ArrayList<>();
        r.get("results").forEach(n -> out.add(n.get("name").asText()));
        return out;
    }
}
