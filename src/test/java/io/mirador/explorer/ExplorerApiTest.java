package io.mirador.explorer;

import io.mirador.security.AccessDeniedException;
import io.mirador.security.Caller;
import io.mirador.security.Role;
import io.mirador.tenant.Tenant;
import io.mirador.tenant.Tenants;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the page is told: only the tenants the key reaches, the default first, and the operator's links. */
class ExplorerApiTest {

    static final Tenants TENANTS = new Tenants(List.of(tenant("a"), tenant("default"), tenant("b")));
    static final ExplorerSettings SETTINGS = new ExplorerSettings("https://grafana.example.com/", "", List.of("job"),
            Duration.ofSeconds(10));

    static Tenant tenant(String id) {
        return new Tenant(id, "http://127.0.0.1:8428", "", Map.of(), "");
    }

    final ExplorerApi api = new ExplorerApi(TENANTS, null, null, SETTINGS, "default");

    @Test
    void should_list_the_default_tenant_first_then_the_others_by_name() {
        ExplorerApi.ExplorerView view = api.view(new Caller("ops", Role.SYNC, Set.of("*")));

        assertThat(view.tenants()).containsExactly("default", "a", "b");
        assertThat(view.defaultTenant()).isEqualTo("default");
        assertThat(view.role()).isEqualTo("sync");
        assertThat(view.grafanaUrl()).isEqualTo("https://grafana.example.com");
        assertThat(view.vmuiUrl()).isEmpty();
        assertThat(view.facetLabels()).containsExactly("job");
    }

    @Test
    void should_show_a_key_only_its_tenants_and_start_on_the_first_of_them() {
        ExplorerApi.ExplorerView view = api.view(new Caller("team-b", Role.READ, Set.of("b")));

        assertThat(view.tenants()).containsExactly("b");
        assertThat(view.defaultTenant()).isEqualTo("b");
    }

    @Test
    void should_refuse_a_preview_of_a_tenant_the_key_does_not_reach() {
        assertThatThrownBy(() -> api.preview("a", "up", "1h", new Caller("team-b", Role.READ, Set.of("b"))))
                .isInstanceOf(AccessDeniedException.class);
    }

    @Test
    void should_refuse_a_link_setting_that_is_no_http_url_naming_it() {
        assertThatThrownBy(() -> new ExplorerSettings("javascript:alert(1)", "", List.of(), Duration.ofSeconds(1)))
                .hasMessageContaining("mirador.explorer.grafana-url");
        assertThatThrownBy(() -> new ExplorerSettings("", "", List.of("job", "bad label"), Duration.ofSeconds(1)))
                .hasMessageContaining("mirador.explorer.facet-labels").hasMessageContaining("bad label");
    }

    @Test
    void should_refuse_a_range_without_a_unit_naming_it() {
        assertThatThrownBy(() -> api.preview("default", "up", "3600", new Caller("ops", Role.READ, Set.of("*"))))
                .isInstanceOf(io.mirador.api.ApiException.class).hasMessageContaining("range").hasMessageContaining("'3600'");
    }
}
