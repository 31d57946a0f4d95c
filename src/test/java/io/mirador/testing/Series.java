package io.mirador.testing;

/** Builds sample data in the Prometheus text format, timestamped now. */
public final class Series {

    private final StringBuilder text = new StringBuilder();
    private final long now = System.currentTimeMillis();

    /** Adds one sample: {@code labels} as written inside braces, e.g. {@code job="a",instance="b"}. */
    public Series add(String name, String labels) {
        text.append(name);
        if (!labels.isEmpty()) {
            text.append('{').append(labels).append('}');
        }
        text.append(" 1 ").append(now).append('\n');
        return this;
    }

    /** Adds {@code count} metric names {@code prefix0000}..., one series each. */
    public Series names(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            add(String.format("%s%05d", prefix, i), "job=\"gen\",instance=\"gen-" + (i % 7) + "\"");
        }
        return this;
    }

    public String text() {
        return text.toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
