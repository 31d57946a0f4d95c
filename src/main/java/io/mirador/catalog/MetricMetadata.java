package io.mirador.catalog;

/** Type, help and unit of a metric as the source's {@code /api/v1/metadata} reports them; any may be empty. */
public record MetricMetadata(String type, String help, String unit) {

    public static final MetricMetadata NONE = new MetricMetadata("", "", "");

    public boolean isEmpty() {
        return type.isEmpty() && help.isEmpty() && unit.isEmpty();
    }
}
