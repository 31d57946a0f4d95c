package io.mirador.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.mirador.testing.Mirador;
import io.mirador.testing.Series;
import io.mirador.testing.VictoriaMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every endpoint with no key, a key of another tenant, a key with too small a role, and a good key; the
 * tenant named in a path, query or body is checked against the key. Two tenants, alpha and beta.
 */
class AccessControlIT {

    static final String ALPHA_READ = "alpha-read-key";
    static final String ALPHA_SYNC = "alpha-sync-key";
    static final String BETA_ADMIN = "beta-admin-key";
    static final String ROOT = "root-admin-key";

    @TempDir
    static Path dir;
    static VictoriaMetrics vm;
    static Mirador mirador;

    @BeforeAll
    static void start() {
        vm = VictoriaMetrics.start(dir);
        vm.importPrometheus(new Series().add("guarded_requests_total", "job=\"g\""));
        Map<String, String> s = Mirador.settings(vm.url(), dir.resolve("data"));
        s.put("mirador.tenants", "alpha,beta");
        s.put("mirador.tenant.alpha.source-url", vm.url());
        s.put("mirador.tenant.beta.source-url", vm.url());
        s.put("mirador.default-tenant", "alpha");
        s.put("mirador.api-keys", "alpha-read,alpha-sync,beta-admin,root");
        key(s, "alpha-read", ALPHA_READ, "read", "alpha");
        key(s, "alpha-sync", ALPHA_SYNC, "sync", "alpha");
        key(s, "beta-admin", BETA_ADMIN, "admin", "beta");
        key(s, "root", ROOT, "admin", "*");
        mirador = Mirador.start(s);
        assertThat(call("POST", "/api/v1/metrics/sync/alpha?forceFull=true", null, ROOT, true).status()).isEqualTo(200);
    }

    static void key(Map<String, String> s, String name, String key, String role, String tenants) {
        s.put("mirador.api-key." + name + ".sha256", ApiKeys.sha256(key));
        s.put("mirador.api-key." + name + ".role", role);
        s.put("mirador.api-key." + name + ".tenants", tenants);
    }

    @AfterAll
    static void stop() {
        mirador.close();
        vm.close();
    }

    /** method, path, body, then the status for: no key, another tenant's key, too small a role, a good key. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "POST | /api/v1/metrics/search                       | {\"query\":\"guarded\",\"tenant_id\":\"alpha\"} | 401 | 403 | -   | 200 | alpha-read",
            "GET  | /api/v1/metrics/suggest?q=gua&tenant_id=alpha | -                                           | 401 | 403 | -   | 200 | alpha-read",
            "GET  | /api/v1/metrics/alpha/guarded_requests_total  | -                                           | 401 | 403 | -   | 200 | alpha-read",
            "GET  | /api/v1/metrics/sync/alpha/state             | -                                           | 401 | 403 | -   | 200 | alpha-read",
            "GET  | /api/v1/metrics/sync/alpha/status            | -                                           | 401 | 403 | -   | 200 | alpha-read",
            "GET  | /api/v1/metrics/health                       | -                                           | 401 | -   | -   | 200 | alpha-read",
            "POST | /api/v1/metrics/sync/alpha                   | -                                           | 401 | 403 | 403 | 200 | alpha-sync",
            "POST | /api/v1/metrics/sync                         | {\"tenant_id\":\"alpha\"}                     | 401 | 403 | 403 | 200 | alpha-sync",
            "GET  | /api/v1/metrics/sync/config                  | -                                           | 401 | 403 | 403 | 200 | root",
            "PUT  | /api/v1/metrics/sync/config                  | {\"batch_size\":500}                          | 401 | 403 | 403 | 200 | root"})
    void should_answer_each_endpoint_by_the_key(String method, String path, String body, Integer none, Integer otherTenant,
                                                Integer smallRole, Integer good, String goodKey) {
        String good_ = Map.of("alpha-read", ALPHA_READ, "alpha-sync", ALPHA_SYNC, "root", ROOT).get(goodKey);
        assertStatus(call(method, path, body, null, false), none, "unauthorized");
        if (otherTenant != null) {
            assertStatus(call(method, path, body, BETA_ADMIN, false), otherTenant, "forbidden");
        }
        if (smallRole != null) {
            assertStatus(call(method, path, body, ALPHA_READ, false), smallRole, "forbidden");
        }
        assertThat(call(method, path, body, good_, true).status()).isEqualTo(good);
    }

    @Test
    void should_refuse_an_unknown_key_and_accept_the_x_api_key_header() {
        assertStatus(call("GET", "/api/v1/metrics/sync/alpha/state", null, "not-a-key", false), 401, "unauthorized");
        assertThat(call("GET", "/api/v1/metrics/sync/alpha/state", null, ALPHA_READ, true).status()).isEqualTo(200);
    }

    @Test
    void should_check_the_tenant_named_in_the_body_against_the_key() {
        // the default tenant is alpha, but the body asks for beta
        assertStatus(call("POST", "/api/v1/metrics/search", "{\"query\":\"x\",\"tenant_id\":\"beta\"}", ALPHA_READ, false),
                403, "forbidden");
        // a key limited to some tenants does not learn which other tenants exist
        assertStatus(call("GET", "/api/v1/metrics/sync/nope/state", null, ALPHA_READ, false), 403, "forbidden");
        assertStatus(call("GET", "/api/v1/metrics/sync/nope/state", null, ROOT, false), 404, "not_found");
    }

    @Test
    void should_show_health_of_the_keys_tenants_only() {
        JsonNode health = call("GET", "/api/v1/metrics/health", null, ALPHA_READ, false).ok();
        assertThat(health.get("tenants")).extracting(t -> t.get("tenant_id").asText()).containsExactly("alpha");
    }

    @Test
    void should_refuse_to_start_on_a_network_address_without_keys() {
        Map<String, String> s = Mirador.settings(vm.url(), dir.resolve("open"));
        s.put("camel.server.host", "0.0.0.0");
        assertThatThrownBy(() -> Mirador.start(s).close())
                .hasStackTraceContaining("camel.server.host (MIRADOR_HTTP_HOST)")
                .hasStackTraceContaining("mirador.api-keys");
    }

    static void assertStatus(Mirador.Response r, int status, String errorType) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("errorType").asText()).isEqualTo(errorType);
    }

    /** Sends with the key as a bearer token, or as X-API-Key. */
    static Mirador.Response call(String method, String path, String body, String key, boolean asHeader) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mirador.url() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header(asHeader ? "X-API-Key" : "Authorization", asHeader ? key : "Bearer " + key);
        }
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Mirador.Response(r.statusCode(), r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
