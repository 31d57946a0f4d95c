package io.mirador.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mirador.testing.Mirador;
import io.mirador.testing.NodeExporter;
import io.mirador.testing.Prometheus;
import io.mirador.testing.VictoriaMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Relevance on real exporters' metrics: a real Prometheus scraping a real node exporter and itself is the
 * tenant's source; the queries of {@code relevance/queries.tsv} must find their metric in the top 5
 * (hit@5 at least 0.95, mean reciprocal rank at least 0.85). The same queries run against two baselines
 * on the same names: substring match over names (Grafana's client-side filter) and the source's regex
 * name lookup (VictoriaMetrics, {@code __name__=~"(?i).*word.*"}); the table goes to
 * {@code target/relevance-report.txt}.
 */
class RelevanceIT {

    static final int TOP = 5;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static NodeExporter node;
    static Prometheus prometheus;
    static VictoriaMetrics vm;
    static Mirador mirador;
    static List<String> names;

    record Case(String query, String expected, String kind) {
    }

    @BeforeAll
    static void start() throws Exception {
        node = NodeExporter.start(dir);
        prometheus = Prometheus.start(dir, node);
        vm = VictoriaMetrics.start(dir);
        vm.importPrometheus(node.scrape(), "job=node", "instance=" + node.address());
        vm.importPrometheus(prometheus.scrape(), "job=prometheus");
        names = strings(JSON.readTree(vm.get("/api/v1/label/__name__/values").body()).get("data"));
        mirador = Mirador.start(Mirador.settings(prometheus.url(), dir.resolve("mirador")));
        mirador.syncNow(true);
    }

    @AfterAll
    static void stop() {
        mirador.close();
        vm.close();
        prometheus.close();
        node.close();
    }

    @Test
    void should_rank_the_expected_metric_in_the_top_5() throws IOException {
        // a machine may lack some collectors' metrics (no filesystem seen in a container, say): those cases
        // do not apply here and are listed, not counted
        List<Case> cases = new ArrayList<>();
        List<String> notHere = new ArrayList<>();
        for (Case c : cases()) {
            if (rankOf(names, c.expected()) > 0) {
                cases.add(c);
            } else {
                notHere.add(c.query() + " (" + c.expected() + ")");
            }
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(60);

        Map<String, Function<String, List<String>>> engines = new LinkedHashMap<>();
        engines.put("mirador", RelevanceIT::mirador);
        engines.put("substring", RelevanceIT::substring);
        engines.put("vm-regex", RelevanceIT::regex);

        StringBuilder report = new StringBuilder();
        Map<String, double[]> totals = new LinkedHashMap<>();
        List<String> misses = new ArrayList<>();
        Map<String, Map<String, double[]>> byKind = new LinkedHashMap<>();
        for (Case c : cases) {
            for (Map.Entry<String, Function<String, List<String>>> engine : engines.entrySet()) {
                List<String> ranked = engine.getValue().apply(c.query());
                int rank = rankOf(ranked, c.expected());
                double[] t = totals.computeIfAbsent(engine.getKey(), k -> new double[3]);
                double[] k = byKind.computeIfAbsent(c.kind(), x -> new LinkedHashMap<>())
                        .computeIfAbsent(engine.getKey(), x -> new double[3]);
                for (double[] acc : new double[][] {t, k}) {
                    acc[0] += rank > 0 && rank <= TOP ? 1 : 0;
                    acc[1] += rank > 0 ? 1.0 / rank : 0;
                    acc[2]++;
                }
                if (engine.getKey().equals("mirador") && (rank < 1 || rank > TOP)) {
                    misses.add(c.query() + " -> expected " + c.expected() + ", got " + ranked);
                }
            }
        }
        report.append(String.format("%-10s %-6s %-22s %-22s %-22s%n", "kind", "cases", "mirador hit@5 / MRR",
                "substring hit@5 / MRR", "vm-regex hit@5 / MRR"));
        for (Map.Entry<String, Map<String, double[]>> kind : byKind.entrySet()) {
            report.append(row(kind.getKey(), kind.getValue()));
        }
        report.append(row("all", totals));
        report.append(misses.isEmpty() ? "mirador misses: none\n" : "mirador misses:\n  " + String.join("\n  ", misses) + "\n");
        if (!notHere.isEmpty()) {
            report.append("not counted, the metric does not exist on this machine:\n  ").append(String.join("\n  ", notHere)).append('\n');
        }
        Path out = Path.of("target", "relevance-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println(report);

        double[] ours = totals.get("mirador");
        assertThat(ours[0] / ours[2]).as("hit@5\n%s", report).isGreaterThanOrEqualTo(0.95);
        assertThat(ours[1] / ours[2]).as("MRR\n%s", report).isGreaterThanOrEqualTo(0.85);
    }

    private static String row(String label, Map<String, double[]> engines) {
        StringBuilder sb = new StringBuilder(String.format("%-10s %-6d", label, (int) engines.get("mirador")[2]));
        for (double[] t : engines.values()) {
            sb.append(String.format(" %-22s", String.format("%.2f / %.2f", t[0] / t[2], t[1] / t[2])));
        }
        return sb.append('\n').toString();
    }

    /** 1-based rank of the expected metric, or of a part of its family for engines that list series names; 0 if absent. */
    static int rankOf(List<String> ranked, String expected) {
        for (int i = 0; i < ranked.size(); i++) {
            String name = ranked.get(i);
            if (name.equals(expected) || name.equals(expected + "_bucket") || name.equals(expected + "_count")
                    || name.equals(expected + "_sum")) {
                return i + 1;
            }
        }
        return 0;
    }

    static List<String> mirador(String query) {
        try {
            JsonNode r = mirador.search(JSON.writeValueAsString(Map.of("query", query, "limit", 10)));
            List<String> out = new ArrayList<>();
            r.get("results").forEach(n -> out.add(n.get("name").asText()));
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Grafana's metric filter: names containing what was typed, case-insensitively, in name order. */
    static List<String> substring(String query) {
        String q = query.toLowerCase(Locale.ROOT);
        return names.stream().filter(n -> n.toLowerCase(Locale.ROOT).contains(q)).sorted().limit(10).toList();
    }

    /** The source's regex lookup: the typed words in order, any characters between, case-insensitive. */
    static List<String> regex(String query) {
        StringBuilder re = new StringBuilder("(?i).*");
        for (String word : query.trim().split("\\s+")) {
            re.append(word.replaceAll("([\\\\.+*?()|\\[\\]{}^$])", "\\\\$1")).append(".*");
        }
        String selector = "{__name__=~\"" + re.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        try {
            JsonNode data = JSON.readTree(vm.get("/api/v1/label/__name__/values?match[]="
                    + URLEncoder.encode(selector, StandardCharsets.UTF_8)).body()).get("data");
            return data == null ? List.of() : strings(data).stream().sorted().limit(10).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<Case> cases() throws IOException {
        try (InputStream in = RelevanceIT.class.getResourceAsStream("/relevance/queries.tsv")) {
            List<Case> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                out.add(new Case(f[0], f[1], f[2]));
            }
            return out;
        }
    }
}
