package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.PipeWriter;
import io.bpfscope.testing.PrometheusServer;
import io.bpfscope.testing.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes the packaged daemon every second through the example scrape
 * configuration (deploy/prometheus), with the alert rules loaded; what it stores is checked by
 * querying its HTTP API, as Grafana and Alertmanager would.
 */
class PrometheusScrapeIT {

    private static final String NODE = "it-node";
    private static final Duration PATIENCE = Duration.ofSeconds(45);

    @TempDir
    static Path dir;
    private static Daemon daemon;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void start() throws Exception {
        Kernel.requireRoot();
        // Room for every comm the machine's other tests make up while this runs: the writer's must count apart.
        daemon = Daemon.start(List.of(), dir.resolve("state"), "-Dbpfscope.bpf-stats=true", "-Dbpfscope.write.max-series=8192",
                "-Dbpfscope.write.latency.enabled=true");
        daemon.awaitListening(Duration.ofSeconds(30));
        // Failed writes, so the series of the panels and alert on them exist.
        PipeWriter.run(1, Duration.ofMillis(10), 2);
        prometheus = PrometheusServer.start(ExampleScrapeConfig.writeFor(dir, daemon.port(), NODE));
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void writesOfAUniqueCommandArriveExactlyAndExecsAtLeast() throws Exception {
        String execs = "sum(bpfscope_exec_total{job=\"bpfscope\", node=\"" + NODE + "\", result=\"success\"})";
        double before = await(() -> prometheus.vector(execs), result -> !result.isEmpty(), "a first scrape").getFirst()
                .path("value").get(1).asDouble();
        int writes = 2_000;
        int bytes = 100;
        int execsRun = 2;
        try (Writer writer = Writer.prepare(writes, bytes)) {
            writer.run();
            for (int i = 0; i < 20; i++) {
                assertThat(new ProcessBuilder("/bin/true").start().waitFor()).isZero();
                execsRun++;
            }
            String calls = "bpfscope_write_syscalls_total{comm=\"" + writer.comm() + "\"}";
            String requested = "bpfscope_write_bytes_total{comm=\"" + writer.comm() + "\"}";

            // The writer has exited: the first scrape showing all its writes shows the final count.
            assertThat(await(() -> value(calls), value -> value >= writes, calls + " >= " + writes)).as(calls)
                    .isEqualTo((double) writes);
            assertThat(value(requested)).as(requested).isEqualTo((double) writes * bytes);
            JsonNode series = prometheus.vector(calls).getFirst().path("metric");
            assertThat(series.path("job").asText()).isEqualTo("bpfscope");
            assertThat(series.path("node").asText()).isEqualTo(NODE);
            assertThat(series.path("namespace").asText()).isEqualTo(Chart.NAMESPACE);
        }
        // Every process on the machine execs too: at least ours must have been counted.
        int expected = execsRun;
        await(() -> prometheus.vector(execs).getFirst().path("value").get(1).asDouble() - before,
                increase -> increase >= expected, "exec increase of at least " + expected);
    }

    @Test
    void everyDashboardQueryRunsAndFindsSeries() throws Exception {
        List<String> expressions = Dashboard.expressions();
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(15);
        for (String expression : expressions) {
            String query = Dashboard.concrete(expression, NODE);
            await(() -> prometheus.vector(query), result -> !result.isEmpty(), "series for " + query);
        }
        String variable = Dashboard.nodeVariableQuery();
        Matcher labelValues = Pattern.compile("label_values\\((\\w+), (\\w+)\\)").matcher(variable);
        assertThat(labelValues.matches()).as(variable).isTrue();
        JsonNode values = prometheus.get("/api/v1/label/" + labelValues.group(2) + "/values?match[]="
                + URLEncoder.encode(labelValues.group(1), StandardCharsets.UTF_8));
        assertThat(values.path("data").valueStream().map(JsonNode::asText)).contains(NODE);
    }

    @Test
    void everyAlertExpressionRunsAndEveryRuleEvaluates() throws Exception {
        for (String expression : AlertRules.expressions()) {
            JsonNode answer = prometheus.query(expression);
            assertThat(answer.path("status").asText()).as("%s: %s", expression, answer).isEqualTo("success");
        }
        // The metrics the rules watch must be ones the daemon exports, or the alerts could never fire.
        for (String metric : metricsIn(AlertRules.expressions())) {
            await(() -> prometheus.vector("count(" + metric + "{job=\"bpfscope\"})"), result -> !result.isEmpty(),
                    "series of " + metric);
        }
        List<JsonNode> rules = await(PrometheusScrapeIT::loadedRules,
                loaded -> !loaded.isEmpty() && loaded.stream().noneMatch(rule -> rule.path("lastEvaluation").asText().startsWith("0001")),
                "every rule evaluated");
        assertThat(rules).hasSize(AlertRules.expressions().size());
        for (JsonNode rule : rules) {
            assertThat(rule.path("health").asText()).as("rule %s: %s", rule.path("name"), rule.path("lastError")).isEqualTo("ok");
        }
    }

    private static List<JsonNode> loadedRules() {
        List<JsonNode> rules = new ArrayList<>();
        prometheus.get("/api/v1/rules").path("data").path("groups")
                .forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    private static Set<String> metricsIn(List<String> expressions) {
        Set<String> metrics = new TreeSet<>();
        for (String expression : expressions) {
            Matcher name = Pattern.compile("\\b(bpfscope_\\w+|up(?=\\{))").matcher(expression);
            while (name.find()) {
                metrics.add(name.group(1));
            }
        }
        return metrics;
    }

    private static double value(String promql) {
        List<JsonNode> result = prometheus.vector(promql);
        return result.isEmpty() ? Double.NaN : result.getFirst().path("value").get(1).asDouble();
    }

    /** Asks until the answer satisfies {@code done}; fails naming {@code what} and the last answer. */
    private static <T> T await(Supplier<T> ask, Predicate<T> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        T answer = ask.get();
        while (!done.test(answer)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + PATIENCE + "; last answer: " + answer
                        + "\nprometheus output:\n" + prometheus.output() + "\ndaemon output:\n" + daemon.output());
            }
            Thread.sleep(250);
            answer = ask.get();
        }
        return answer;
    }
}
