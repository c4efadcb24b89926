package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bpfscope.testing.AlertmanagerServer;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.PrometheusServer;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.WebhookReceiver;
import io.bpfscope.testing.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped alert rules, end to end: a real Prometheus scrapes the packaged daemon through the
 * example scrape configuration with the rules loaded and sends what fires to a real Alertmanager,
 * which notifies a webhook here. The condition is made for real: the kernel's write buffer shrunk
 * to a page, so a traced writer at full speed overflows it. The alert resolves as the rule says,
 * once its 5-minute window holds no loss: the test waits those minutes out.
 */
class AlertsReachAlertmanagerIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** The rule's window, and time for the last scrapes, evaluations and notifications. */
    private static final Duration RESOLVED_WITHIN = Duration.ofMinutes(5).plus(PATIENCE);
    private static final String KERNEL_LOST = "bpfscope_events_lost_total{stage=\"kernel\"}";

    @TempDir
    Path dir;

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void eventsLostInTheKernelFireAtAlertmanagerAndResolve() throws Exception {
        try (WebhookReceiver webhook = WebhookReceiver.start();
             AlertmanagerServer alertmanager = AlertmanagerServer.start(alertmanagerConfig(webhook.uri()));
             Daemon daemon = Daemon.start(List.of(), dir.resolve("state"), "-Dbpfscope.write.buffer-bytes=4096")) {
            daemon.awaitListening(Duration.ofSeconds(30));
            try (PrometheusServer prometheus = PrometheusServer.start(sendingTo(alertmanager,
                    ExampleScrapeConfig.writeFor(dir, daemon.port(), "it-node")))) {
                // A scrape before the loss, so that the rule's increase() has something to rise from.
                assertThat(RingDrain.await(() -> !prometheus.vector(KERNEL_LOST).isEmpty(), PATIENCE))
                        .as("a first scrape of %s", KERNEL_LOST).isTrue();

                try (Writer writer = Writer.prepare(300_000, 1)) {
                    daemon.trace(writer.pid());
                    writer.run();
                }
                double lost = Scrape.sample(daemon, KERNEL_LOST);
                assertThat(lost).as("writes the page-sized buffer could not hold").isPositive();

                JsonNode firing = webhook.await(notice("firing"), PATIENCE).orElseThrow(() -> new AssertionError(
                        "no firing BpfscopeEventsLost at the webhook; received " + webhook.all()
                                + "\nalertmanager:\n" + alertmanager.output() + "\nprometheus:\n" + prometheus.output()));
                JsonNode alert = lostInKernel(firing);
                assertThat(alert.path("labels").path("severity").asText()).isNotEmpty();
                assertThat(alert.path("annotations").path("summary").asText()).contains("it-node").contains("kernel");

                webhook.await(notice("resolved"), RESOLVED_WITHIN).orElseThrow(() -> new AssertionError(
                        "no resolved BpfscopeEventsLost at the webhook; received " + webhook.all()));
                assertThat(Scrape.sample(daemon, KERNEL_LOST)).as("no loss since").isEqualTo(lost);
            }
        }
    }

    /** A notification of {@code status} that carries the kernel-stage loss alert. */
    private static Predicate<JsonNode> notice(String status) {
        return body -> body.path("status").asText().equals(status) && lostInKernel(body) != null;
    }

    private static JsonNode lostInKernel(JsonNode body) {
        return body.path("alerts").valueStream()
                .filter(alert -> alert.path("labels").path("alertname").asText().equals("BpfscopeEventsLost")
                        && alert.path("labels").path("stage").asText().equals("kernel"))
                .findFirst().orElse(null);
    }

    private Path alertmanagerConfig(URI webhook) throws Exception {
        Path file = dir.resolve("alertmanager.yml");
        Chart.YAML.writeValue(file.toFile(), Map.of(
                "route", Map.of("receiver", "test", "group_by", List.of("alertname"), "group_wait", "1s",
                        "group_interval", "1s", "repeat_interval", "1h"),
                "receivers", List.of(Map.of("name", "test",
                        "webhook_configs", List.of(Map.of("url", webhook.toString(), "send_resolved", true))))));
        return file;
    }

    /** The Prometheus configuration, sending its alerts to {@code alertmanager}. */
    private static Path sendingTo(AlertmanagerServer alertmanager, Path config) throws Exception {
        ObjectNode yaml = (ObjectNode) Chart.YAML.readTree(Files.readString(config));
        yaml.putObject("alerting").putArray("alertmanagers").addObject().putArray("static_configs").addObject()
                .putArray("targets").add(alertmanager.address());
        Chart.YAML.writeValue(config.toFile(), yaml);
        return config;
    }
}
