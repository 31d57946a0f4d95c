package io.mirador.explorer;

import io.mirador.security.ApiKeys;
import io.mirador.testing.Browser;
import io.mirador.testing.FaultySource;
import io.mirador.testing.Mirador;
import io.mirador.testing.NodeExporter;
import io.mirador.testing.Prometheus;
import io.mirador.testing.Series;
import io.mirador.testing.ServiceProcess;
import io.mirador.testing.VictoriaMetrics;
import io.mirador.testing.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web explorer in a real headless Chromium, against a real VictoriaMetrics scraping a real node exporter every
 * second (help texts from a Prometheus scraping the same exporter): search as you type, facets, a metric's page with
 * its labels, suggested query and chart, the keyboard alone, deep links with back and forward, API keys, a phone's
 * width. Each page is saved under {@code target/screenshots}; the timings go to {@code target/explorer-timings.txt}.
 */
class ExplorerIT {

    static final Path TIMINGS = Path.of("target", "explorer-timings.txt");
    static final String READ_KEY = "explorer-test-read-key";

    @TempDir
    static Path dir;
    static NodeExporter node;
    static Prometheus prometheus;
    static VictoriaMetrics vm;
    static Mirador mirador;
    static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        node = NodeExporter.start(dir);
        prometheus = Prometheus.start(dir, node);
        Path scrape = dir.resolve("scrape.yml");
        Files.writeString(scrape, "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: node\n"
                + "    static_configs: [{targets: [\"" + node.address() + "\"]}]\n");
        // VictoriaMetrics leaves the last 30 s out of range queries by default; these tests have seconds of data
        vm = VictoriaMetrics.start(dir, "-promscrape.config=" + scrape, "-search.latencyOffset=1s");
        Waits.until(Duration.ofSeconds(60), "VictoriaMetrics to hold a few scrapes and Prometheus node_load1's help", () -> {
            ServiceProcess.get(vm.rootUrl() + "/internal/force_flush");
            String samples = vm.get("/api/v1/query?query=count_over_time(node_load1%5B1m%5D)").body();
            return samples.matches("(?s).*\"value\":\\[[0-9.]+,\"([4-9]|[1-9][0-9]+)\"].*")
                    && ServiceProcess.get(prometheus.url() + "/api/v1/metadata?metric=node_load1").body().contains("gauge");
        });
        // bin/mirador bench explorer times the page over more names: -Dexplorer.names=10000
        int extra = Integer.getInteger("explorer.names", 0);
        if (extra > 0) {
            vm.importPrometheus(syntheticNames(extra));
            vm.flush();
        }
        Map<String, String> settings = Mirador.settings(vm.url(), dir.resolve("mirador"));
        settings.put("mirador.tenant.default.metadata-url", prometheus.url());
        mirador = Mirador.start(settings);
        mirador.syncNow(true);
        if (extra > 0) {
            // timed alone, not beside the embedding of every new name
            Waits.until(Duration.ofMinutes(5), "every metric to be embedded", () ->
                    mirador.state().path("embeddings_waiting").asInt(-1) == 0);
        }
        browser = Browser.start("1280,900");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        mirador.close();
        vm.close();
        prometheus.close();
        node.close();
    }

    @BeforeEach
    void clearLog() {
        browser.driver().manage().logs().get(LogType.BROWSER);
    }

    @AfterEach
    void noScriptErrorsNorPolicyViolations() {
        List<LogEntry> severe = browser.driver().manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                // a 401 answered to the page's request is the page's business, not an error of it
                .filter(e -> !e.getMessage().contains("status of 401"))
                .toList();
        assertThat(severe).as("the browser's console").isEmpty();
    }

    @Test
    void should_find_filesystem_free_bytes_first_as_the_words_are_typed() {
        // given
        browser.open(mirador.url() + "/");
        WebElement q = browser.until("the search box", d -> d.findElement(By.id("q")));

        // when
        q.sendKeys("filesystem free");

        // then
        browser.until("node_filesystem_free_bytes first", d -> "node_filesystem_free_bytes".equals(firstResult()));
        WebElement first = browser.find("#results li");
        assertThat(first.findElements(By.cssSelector("mark"))).as("matched words marked").isNotEmpty();
        assertThat(first.findElement(By.cssSelector(".badge")).getText()).isEqualTo("gauge");
        assertThat(first.findElement(By.cssSelector(".help")).getText()).containsIgnoringCase("free");
        assertThat(first.getText()).contains("series");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/?q=filesystem+free");
        browser.screenshot("search");
    }

    @Test
    void should_change_the_total_when_a_facet_is_picked() {
        // given
        browser.open(mirador.url() + "/?q=node");
        String before = browser.until("a total", d -> heading().contains(" of ") ? heading() : null);

        // when
        WebElement counter = browser.until("the counter facet", d -> facet("Type", "counter"));
        counter.click();

        // then
        browser.until("another total", d -> !heading().equals(before) && heading().contains(" of "));
        assertThat(total(heading())).isLessThan(total(before)).isPositive();
        assertThat(browser.driver().getCurrentUrl()).contains("type=counter");
        for (WebElement badge : browser.findAll("#results li .badge:first-child")) {
            assertThat(badge.getText()).isEqualTo("counter");
        }
        assertThat(browser.find("#facets").getText()).as("the job facet").contains("job").contains("node");
        browser.screenshot("facet");
    }

    @Test
    void should_show_a_metric_with_its_labels_suggested_query_and_a_chart() {
        // given: the source has a rate to show (two scrapes within one of the query's 15 s steps)
        Waits.until(Duration.ofSeconds(60), "a rate of node_cpu_seconds_total at the source", () -> mirador
                .get("/api/v1/metrics/default/node_cpu_seconds_total/preview").ok().path("series").path(0).path("points").size() > 0);

        // when
        browser.open(mirador.url() + "/?metric=node_cpu_seconds_total");

        // then
        WebElement mode = browser.until("the mode label", d -> d.findElement(By.cssSelector("#labels tr[data-label=mode]")));
        assertThat(mode.getText()).contains("idle");
        String query = browser.until("the suggested query", d -> d.findElement(By.id("query-text")).getText());
        assertThat(query).contains("rate(node_cpu_seconds_total[5m])").startsWith("sum by (mode)");
        WebElement chart = browser.until("a chart with points", d -> {
            WebElement c = d.findElement(By.id("chart"));
            String points = c.getAttribute("data-points");
            return points != null && Integer.parseInt(points) > 0 && !c.findElements(By.tagName("canvas")).isEmpty() ? c : null;
        });
        assertThat(chart.getText()).contains("series");
        assertThat(browser.find("#metric-name").getText()).isEqualTo("node_cpu_seconds_total");
        assertThat(browser.find(".facts").getText()).contains("counter").contains("the source's metadata");
        browser.screenshot("metric");
    }

    @Test
    void should_be_usable_with_the_keyboard_alone() {
        // given
        browser.open(mirador.url() + "/?q=");
        browser.until("the page", d -> d.findElement(By.id("q")).isDisplayed());
        browser.find("body").click();

        // when: / to the search box, words, down to the first result, Enter
        browser.driver().switchTo().activeElement().sendKeys("/");
        assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("q");
        browser.driver().switchTo().activeElement().sendKeys("load average");
        browser.until("the load averages", d -> firstResult() != null && firstResult().contains("load"));
        String first = firstResult();
        browser.driver().switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);

        // then
        browser.until("the metric's page", d -> first.equals(d.findElement(By.id("metric-name")).getText()));

        // when: Esc goes back to the results
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);

        // then
        browser.until("the results again", d -> d.findElement(By.id("search-view")).isDisplayed());
        assertThat(browser.find("#q").getAttribute("value")).isEqualTo("load average");
    }

    @Test
    void should_load_the_same_state_from_a_link_and_go_back_and_forward() {
        // when
        browser.open(mirador.url() + "/?q=filesystem+free&type=gauge&sort=name");

        // then
        browser.until("the linked search", d -> firstResult() != null && heading().contains(" of "));
        assertThat(browser.find("#q").getAttribute("value")).isEqualTo("filesystem free");
        assertThat(browser.find("#sort").getAttribute("value")).isEqualTo("name");
        assertThat(facet("Type", "gauge").isSelected()).isTrue();
        List<String> names = resultNames();
        assertThat(names).isSortedAccordingTo(String::compareTo).contains("node_filesystem_free_bytes");

        // when: a result opened, then back, then forward
        browser.find("#results li").click();
        browser.until("the metric's page", d -> d.findElement(By.id("metric-view")).isDisplayed()
                && names.get(0).equals(d.findElement(By.id("metric-name")).getText()));
        browser.driver().navigate().back();
        browser.until("the search again", d -> d.findElement(By.id("search-view")).isDisplayed() && resultNames().equals(names));
        browser.driver().navigate().forward();

        // then
        browser.until("the metric again", d -> d.findElement(By.id("metric-view")).isDisplayed()
                && names.get(0).equals(d.findElement(By.id("metric-name")).getText()));
    }

    @Test
    void should_ask_for_a_key_say_when_it_is_wrong_and_never_put_it_in_a_link() throws Exception {
        // given: a catalog with keys, synced with one
        Map<String, String> settings = Mirador.settings(vm.url(), dir.resolve("keyed"));
        settings.put("mirador.tenants", "default,team-b");
        settings.put("mirador.tenant.team-b.source-url", vm.url());
        settings.put("mirador.api-keys", "reader");
        settings.put("mirador.api-key.reader.sha256", ApiKeys.sha256(READ_KEY));
        settings.put("mirador.api-key.reader.role", "sync");
        settings.put("mirador.api-key.reader.tenants", "*");
        try (Mirador keyed = Mirador.start(settings)) {
            for (String tenant : List.of("default", "team-b")) {
                HttpResponse<String> sync = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(keyed.url() + "/api/v1/metrics/sync/" + tenant + "?forceFull=true"))
                        .header("X-API-Key", READ_KEY).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(sync.statusCode()).isEqualTo(200);
            }

            // the page's files are read without a key; nothing else is
            HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(keyed.url() + "/"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).as(post.body()).isEqualTo(401);

            // when: no key
            browser.open(keyed.url() + "/?q=load");

            // then
            WebElement reason = browser.until("the key form", d -> d.findElement(By.id("key-form")).isDisplayed()
                    ? d.findElement(By.id("key-reason")) : null);
            assertThat(reason.getText()).contains("needs an API key");
            browser.screenshot("key");

            // when: a wrong key
            browser.find("#key").sendKeys("not-the-key", Keys.ENTER);

            // then
            browser.until("the wrong key said", d -> d.findElement(By.id("key-form")).isDisplayed()
                    && d.findElement(By.id("key-reason")).getText().contains("not accepted"));

            // when: the right key
            browser.find("#key").sendKeys(READ_KEY, Keys.ENTER);

            // then
            browser.until("results", d -> firstResult() != null);
            assertThat(browser.driver().getCurrentUrl()).doesNotContain(READ_KEY);
            assertThat(browser.find("#status").getText()).contains("default").contains("team-b").contains("Sync now");

            // when: the other tenant picked
            new org.openqa.selenium.support.ui.Select(browser.find("#tenant")).selectByValue("team-b");

            // then
            browser.until("team-b in the link", d -> d.getCurrentUrl().contains("tenant=team-b"));
            browser.until("team-b's results", d -> firstResult() != null && firstResult().contains("load"));
            browser.script("sessionStorage.clear()");
        }
    }

    @Test
    void should_answer_a_preview_the_source_fails_in_the_api_error_shape_without_the_source_url() {
        // given: the source behind a proxy that fails range queries on demand
        try (FaultySource faulty = FaultySource.start(vm.url())) {
            Map<String, String> settings = Mirador.settings(faulty.url(), dir.resolve("faulty"));
            settings.put("mirador.explorer.preview-timeout", "1s");
            settings.put("mirador.search.semantic.enabled", "false");
            try (Mirador m = Mirador.start(settings)) {
                m.syncNow(true);
                String preview = "/api/v1/metrics/default/node_load1/preview";
                assertThat(m.get(preview + "?range=15m").ok().path("series")).isNotEmpty();

                // when / then
                faulty.always("/api/v1/query_range", FaultySource.Fault.httpStatus(500));
                assertPreviewError(m.get(preview), 502, "status 500", faulty.url());
                faulty.clear();
                faulty.always("/api/v1/query_range", FaultySource.Fault.garbled());
                assertPreviewError(m.get(preview), 502, "could not be read", faulty.url());
                faulty.clear();
                faulty.always("/api/v1/query_range", FaultySource.Fault.stall());
                long started = System.nanoTime();
                assertPreviewError(m.get(preview), 504, "within 1s", faulty.url());
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
                // more previews at once than the source connections are lent for: the surplus is turned away at once
                List<java.util.concurrent.CompletableFuture<Mirador.Response>> burst = new ArrayList<>();
                for (int i = 0; i < MetricPreview.AT_ONCE + 2; i++) {
                    burst.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> m.get(preview)));
                }
                List<Integer> statuses = burst.stream().map(f -> f.join().status()).sorted().toList();
                assertThat(statuses).as("statuses of a burst of previews").contains(503).contains(504).doesNotContain(200, 500);
                faulty.clear();
                assertPreviewError(m.get(preview + "?range=1y"), 400, "range", faulty.url());
                assertPreviewError(m.get(preview + "?range=10s"), 400, "between 1m and 7d", faulty.url());
                assertPreviewError(m.get("/api/v1/metrics/default/no_such_metric/preview"), 404, "no_such_metric", faulty.url());
                assertPreviewError(m.get("/api/v1/metrics/nope/node_load1/preview"), 404, "nope", faulty.url());
            }
        }
    }

    private static void assertPreviewError(Mirador.Response r, int status, String says, String sourceUrl) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("status").asText()).isEqualTo("error");
        assertThat(r.json().path("error").asText()).contains(says).doesNotContain(sourceUrl).doesNotContain("127.0.0.1");
    }

    @Test
    void should_follow_the_systems_dark_setting() {
        try (Browser dark = Browser.start("1280,900")) {
            // given: the system asks for dark
            dark.emulateDarkScheme();

            // when
            dark.open(mirador.url() + "/?q=load+average");

            // then
            dark.until("results", d -> !d.findElements(By.cssSelector("#results li")).isEmpty());
            String background = (String) dark.script("return getComputedStyle(document.body).backgroundColor");
            assertThat(background).as("the page's background").isEqualTo("rgb(15, 18, 22)");
            dark.screenshot("search-dark");
        }
    }

    @Test
    void should_fit_a_phone() {
        try (Browser phone = Browser.start("390,844")) {
            // when
            phone.open(mirador.url() + "/?q=memory+available");

            // then
            phone.until("results", d -> !d.findElements(By.cssSelector("#results li")).isEmpty());
            Object overflow = phone.script("return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(((Number) overflow).intValue()).as("pixels wider than the screen").isLessThanOrEqualTo(0);
            phone.screenshot("phone");
        }
    }

    @Test
    void should_time_a_linked_search_and_a_keystroke() throws Exception {
        // a timing, not a goal: the medians of 7 runs, written to target/explorer-timings.txt (bin/mirador bench explorer)
        List<Double> linked = new ArrayList<>();
        List<Double> keystroke = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            browser.open(mirador.url() + "/?q=filesystem+free");
            linked.add(((Number) browser.until("the first results painted", d -> browser.script(
                    "const m = performance.getEntriesByName('results-painted'); return m.length ? m[0].startTime : null")))
                    .doubleValue());
            keystroke.add(((Number) ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const q = document.getElementById('q');
                    const results = document.getElementById('results');
                    const started = performance.now();
                    new MutationObserver((m, o) => { o.disconnect(); done(performance.now() - started); })
                        .observe(results, {childList: true});
                    q.value = q.value + ' bytes';
                    q.dispatchEvent(new Event('input', {bubbles: true}));
                    """)).doubleValue());
        }
        long names = mirador.search("{\"limit\":1}").path("total").asLong();
        String line = String.format("explorer timings, %d names, median of 7: navigation to first results painted %.0f ms,"
                + " keystroke to results updated %.0f ms (the page waits 40 ms for the next keystroke before it asks)%n",
                names, median(linked), median(keystroke));
        Files.writeString(TIMINGS, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.print(line);
        assertThat(linked).allMatch(t -> t > 0);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** {@code count} names of made-up services, sharing their words as real exporters' names do. */
    private static Series syntheticNames(int count) {
        String[] systems = {"http", "grpc", "db", "cache", "queue", "filesystem", "disk", "net", "jvm", "kafka"};
        String[] things = {"requests", "errors", "free", "used", "latency", "connections", "retries", "messages"};
        String[] units = {"total", "bytes", "seconds", "ratio"};
        Series s = new Series();
        for (int i = 0; i < count; i++) {
            s.add(String.format("app%04d_%s_%s_%s", i / 10, systems[i % systems.length], things[(i / 3) % things.length],
                    units[(i / 7) % units.length]), "job=\"app\",instance=\"app-" + (i % 5) + "\"");
        }
        return s;
    }

    private static String firstResult() {
        List<String> names = resultNames();
        return names.isEmpty() ? null : names.get(0);
    }

    /** The names listed, read in one go in the page (the list may be replaced between two reads from here). */
    @SuppressWarnings("unchecked")
    private static List<String> resultNames() {
        return (List<String>) browser.script("return [...document.querySelectorAll('#results li')].map(e => e.dataset.name)");
    }

    private static String heading() {
        return (String) browser.script("return document.getElementById('results-heading').textContent");
    }

    /** "1–20 of 345 metrics" -> 345. */
    private static long total(String heading) {
        String after = heading.substring(heading.indexOf(" of ") + 4);
        return Long.parseLong(after.substring(0, after.indexOf(' ')).replaceAll("[^0-9]", ""));
    }

    /** The checkbox of one value of a facet group, or null while it is not shown. */
    private static WebElement facet(String group, String value) {
        for (WebElement section : browser.findAll("#facets section")) {
            if (section.findElement(By.tagName("h3")).getText().equalsIgnoreCase(group)) {
                for (WebElement label : section.findElements(By.tagName("label"))) {
                    if (label.findElement(By.cssSelector(".value")).getText().equals(value)) {
                        return label.findElement(By.tagName("input"));
                    }
                }
            }
        }
        return null;
    }
}
