package io.mirador.explorer;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What the operator sets for the web explorer: where Grafana's Explore and vmui are (links hidden when blank), the
 * labels counted as facets, and how long a preview may take.
 *
 * @param grafanaUrl     Grafana's base URL ({@code https://grafana.example.com}), or blank
 * @param vmuiUrl        vmui's URL ({@code http://victoriametrics:8428/vmui}), or blank
 * @param facetLabels    labels whose values are counted beside type, unit and label key
 * @param previewTimeout the longest a preview's query may run at the source
 */
public record ExplorerSettings(String grafanaUrl, String vmuiUrl, List<String> facetLabels, Duration previewTimeout) {

    public ExplorerSettings {
        grafanaUrl = checkedUrl("mirador.explorer.grafana-url", grafanaUrl);
        vmuiUrl = checkedUrl("mirador.explorer.vmui-url", vmuiUrl);
        for (String label : facetLabels) {
            if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                throw new IllegalArgumentException("mirador.explorer.facet-labels: '" + label + "' is not a label name");
            }
        }
        facetLabels = List.copyOf(facetLabels);
    }

    /** Blank, or an absolute http(s) URL without a trailing slash. */
    private static String checkedUrl(String setting, String url) {
        String trimmed = url == null ? "" : url.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(setting + ": '" + trimmed + "' is not an http(s) URL");
        }
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
