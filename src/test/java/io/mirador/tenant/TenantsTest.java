package io.mirador.tenant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class TenantsTest {

    private static Function<String, Optional<String>> settings(Map<String, String> values) {
        return key -> Optional.ofNullable(values.get(key));
    }

    private static Tenants twoTenants() {
        return Tenants.fromSettings(settings(Map.of(
                "mirador.tenants", "default, team-a",
                "mirador.tenant.default.source-url", "http://victoria:8428",
                "mirador.tenant.team-a.source-url", "http://vmselect:8481/",
                "mirador.tenant.team-a.account", "0:0")));
    }

    static Stream<String> invalidIds() {
        return Stream.of("../x", "", "x".repeat(500), "a/b", ".", "..", "a b", "a\\b", "é");
    }

    @Test
    void should_read_each_listed_tenant_when_two_are_configured() {
        // given / when
        Tenants tenants = twoTenants();

        // then
        assertThat(tenants.all()).extracting(Tenant::id).containsExactlyInAnyOrder("default", "team-a");
        assertThat(tenants.get("default").sourceUrl()).isEqualTo("http://victoria:8428");
        assertThat(tenants.get("default").account()).isEmpty();
        assertThat(tenants.get("default").headers()).isEmpty();
        assertThat(tenants.get("team-a").account()).isEqualTo("0:0");
    }

    @Test
    void should_use_source_url_as_api_base_when_tenant_has_no_account() {
        // given
        Tenant tenant = twoTenants().get("default");

        // when
        String base = tenant.apiBase();

        // then
        assertThat(base).isEqualTo("http://victoria:8428");
    }

    @Test
    void should_point_at_the_cluster_select_path_when_tenant_has_an_account() {
        // given a vmselect URL with a trailing slash and account 0:0
        Tenant tenant = twoTenants().get("team-a");

        // when
        String base = tenant.apiBase();

        // then
        assertThat(base).isEqualTo("http://vmselect:8481/select/0:0/prometheus");
    }

    @Test
    void should_accept_an_account_without_project_when_account_is_a_number() {
        // given
        Function<String, Optional<String>> s = settings(Map.of(
                "mirador.tenants", "t",
                "mirador.tenant.t.source-url", "https://vmselect.example",
                "mirador.tenant.t.account", "42"));

        // when
        Tenant tenant = Tenants.fromSettings(s).get("t");

        // then
        assertThat(tenant.apiBase()).isEqualTo("https://vmselect.example/select/42/prometheus");
    }

    @Test
    void should_throw_naming_the_setting_when_account_is_malformed() {
        // given
        Function<String, Optional<String>> s = settings(Map.of(
                "mirador.tenants", "t",
                "mirador.tenant.t.source-url", "http://vmselect:8481",
                "mirador.tenant.t.account", "0:x"));

        // when / then
        assertThatThrownBy(() -> Tenants.fromSettings(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mirador.tenant.t.account");
    }

    @Test
    void should_send_basic_authorization_when_basic_auth_is_set() {
        // given
        Function<String, Optional<String>> s = settings(Map.of(
                "mirador.tenants", "t",
                "mirador.tenant.t.source-url", "http://vm:8428",
                "mirador.tenant.t.basic-auth", "user:pa:ss"));

        // when
        Tenant tenant = Tenants.fromSettings(s).get("t");

        // then
        String expected = "Basic " + Base64.getEncoder().encodeToString("user:pa:ss".getBytes(StandardCharsets.UTF_8));
        assertThat(tenant.headers()).containsOnly(entry("Authorization", expected));
        assertThat(expected).isEqualTo("Basic dXNlcjpwYTpzcw==");
    }

    @Test
    void should_throw_naming_the_setting_when_basic_auth_has_no_password_separator() {
        // given
        Function<String, Optional<String>> s = settings(Map.of(
                "mirador.tenants", "t",
                "mirador.tenant.t.source-url", "http://vm:8428",
                "mirador.tenant.t.basic-auth", "user"));

        // when / then
        assertThatThrownBy(() -> Tenants.fromSettings(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mirador.tenant.t.basic-auth");
    }

    @Test
    void should_send_bearer_authorization_when_bearer_token_is_set() {
        // given
        Function<String, Optional<String>> s = settings(Map.of(
                "mirador.tenants", "t",
                "mirador.tenant.t.source-url", "http://vm:8428",
                "mirador.tenant.t.bearer-token", " s3cr3t "));

        // when
        Tenant tenant = Tenants.fromSettings(s).get("t");

        // then
        assertThat(tenant.headers()).containsOnly(entry("Authorization", "Bearer s3cr3t"));
    }

    @Test
    void should_parse_each_header_when_headers_are_separated_by_semicolons() {
        // given
        Function<String, Optional<String>> s = settings(Map.of(
                "mirador.tenants", "t",
                "mirador.tenant.t.source-url", "http://vm:8428",
                "mirador.tenant.t.headers", "A: b; C: d;  X-Scope: e:f "));

        // when
        Tenant tenant = Tenants.fromSettings(s).get("t");

        // then
        assertThat(tenant.headers()).containsOnly(entry("A", "b"), entry("C", "d"), entry("X-Scope", "e:f"));
    }

    @Test
    void should_keep_extra_headers_next_to_authorization_when_both_are_set() {
        // given
        Function<String, Optional<String>> s = settings(Map.of(
                "mirador.tenants", "t",
                "mirador.tenant.t.source-url", "http://vm:8428",
                "mirador.tenant.t.headers", "A: b",
                "mirador.tenant.t.bearer-token", "tok"));

        // when
        Tenant tenant = Tenants.fromSettings(s).get("t");

        // then
        assertThat(tenant.headers()).containsOnly(entry("A", "b"), entry("Authorization", "Bearer tok"));
    }

    @Test
    void should_throw_naming_the_setting_when_a_header_has_no_name() {
        // given
        Function<String, Optional<String>> s = settings(Map.of(
                "mirador.tenants", "t",
                "mirador.tenant.t.source-url", "http://vm:8428",
                "mirador.tenant.t.headers", "A: b; novalue"));

        // when / then
        assertThatThrownBy(() -> Tenants.fromSettings(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mirador.tenant.t.headers")
                .hasMessageContaining("novalue");
    }

    @ParameterizedTest(name = "[{index}]")
    @MethodSource("invalidIds")
    void should_reject_id_when_it_is_malformed(String id) {
        // given a malformed id

        // when
        boolean valid = Tenants.isValidId(id);

        // then
        assertThat(valid).isFalse();
    }

    @Test
    void should_reject_id_when_it_is_null() {
        // given / when / then
        assertThat(Tenants.isValidId(null)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"default", "team-a", "team_b", "v1.2", "0:0", "A"})
    void should_accept_id_when_it_is_well_formed(String id) {
        // given / when / then
        assertThat(Tenants.isValidId(id)).isTrue();
    }

    @Test
    void should_accept_id_when_it_is_128_characters() {
        // given / when / then
        assertThat(Tenants.isValidId("x".repeat(128))).isTrue();
        assertThat(Tenants.isValidId("x".repeat(129))).isFalse();
    }

    @ParameterizedTest(name = "[{index}]")
    @MethodSource("invalidIds")
    void should_throw_unknown_tenant_when_get_is_given_a_malformed_id(String id) {
        // given
        Tenants tenants = twoTenants();

        // when / then
        assertThatThrownBy(() -> tenants.get(id)).isInstanceOf(UnknownTenantException.class);
    }

    @Test
    void should_throw_unknown_tenant_with_a_short_message_when_id_is_long() {
        // given
        Tenants tenants = twoTenants();
        String id = "x".repeat(500);

        // when / then
        assertThatThrownBy(() -> tenants.get(id))
                .isInstanceOf(UnknownTenantException.class)
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
    }

    @Test
    void should_throw_unknown_tenant_when_id_is_valid_but_not_configured() {
        // given
        Tenants tenants = twoTenants();

        // when / then
        assertThatThrownBy(() -> tenants.get("team-b"))
                .isInstanceOf(UnknownTenantException.class)
                .hasMessageContaining("team-b");
    }

    @Test
    void should_throw_unknown_tenant_when_id_is_null() {
        // given
        Tenants tenants = twoTenants();

        // when / then
        assertThatThrownBy(() -> tenants.get(null)).isInstanceOf(UnknownTenantException.class);
    }

    @Test
    void should_throw_naming_the_setting_when_source_url_is_missing() {
        // given
        Function<String, Optional<String>> s = settings(Map.of(
                "mirador.tenants", "default,team-a",
                "mirador.tenant.default.source-url", "http://vm:8428"));

        // when / then
        assertThatThrownBy(() -> Tenants.fromSettings(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mirador.tenant.team-a.source-url");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ftp://vm:8428", "vm:8428", "http://", "not a url"})
    void should_throw_naming_the_setting_when_source_url_is_not_http(String url) {
        // given
        Function<String, Optional<String>> s = settings(Map.of(
                "mirador.tenants", "t",
                "mirador.tenant.t.source-url", url));

        // when / then
        assertThatThrownBy(() -> Tenants.fromSettings(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mirador.tenant.t.source-url");
    }

    @Test
    void should_throw_naming_the_list_when_it_holds_a_malformed_id() {
        // given
        Function<String, Optional<String>> s = settings(Map.of(
                "mirador.tenants", "good,../evil",
                "mirador.tenant.good.source-url", "http://vm:8428"));

        // when / then
        assertThatThrownBy(() -> Tenants.fromSettings(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mirador.tenants")
                .hasMessageContaining("../evil");
    }

    @Test
    void should_read_a_tenant_named_default_when_no_list_is_set() {
        // given
        Map<String, String> values = new HashMap<>();
        values.put("mirador.tenant.default.source-url", "http://vm:8428");

        // when
        Tenants tenants = Tenants.fromSettings(settings(values));

        // then
        assertThat(tenants.all()).extracting(Tenant::id).containsExactly("default");
    }

    @Test
    void should_throw_when_the_list_is_empty() {
        // given
        Function<String, Optional<String>> s = settings(Map.of("mirador.tenants", " , "));

        // when / then
        assertThatThrownBy(() -> Tenants.fromSettings(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mirador.tenants");
    }

    @Test
    void should_find_tenants_when_built_from_a_list() {
        // given
        Tenants tenants = new Tenants(List.of(new Tenant("t", "http://vm:8428", "", Map.of(), "")));

        // when
        Tenant t = tenants.get("t");

        // then
        assertThat(t.apiBase()).isEqualTo("http://vm:8428");
    }
}
