package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Promtool;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert rules and the example scrape configuration, checked by promtool as real processes. */
class PromtoolTest {

    @Test
    void alertRulesAreAValidPrometheusRuleAndPlainRuleFile(@TempDir Path dir) throws IOException {
        PrometheusRule rule = AlertRules.read();
        Path plain = AlertRules.plainRuleFile(dir);

        assertThat(Chart.YAML.readTree(plain.toFile())).as("the plain form is the PrometheusRule's spec")
                .isEqualTo(AlertRules.spec());
        assertThat(Promtool.run(dir, "check", "rules", plain.toString()))
                .contains("SUCCESS: " + AlertRules.expressions().size() + " rules found");
        assertThat(rule.getSpec().getGroups()).isNotEmpty();
    }

    @Test
    void exampleScrapeConfigPassesPromtool(@TempDir Path dir) {
        Path config = ExampleScrapeConfig.writeFor(dir, 9445, "node-a");

        assertThat(Promtool.run(dir, "check", "config", config.toString()))
                .contains("SUCCESS: " + config + " is valid prometheus config file syntax");
    }

    /** promtool's rule unit tests: each alert fires on the series it watches, after its `for`, and not before. */
    @Test
    void alertsFireOnTheirSeries(@TempDir Path dir) throws IOException {
        AlertRules.plainRuleFile(dir);
        Files.writeString(dir.resolve("alerts-test.yaml"), """
                rule_files: [bpfscope-alerts.yaml]
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'up{job="bpfscope", instance="10.1.0.7:9445", node="node-a"}'
                        values: '1 1 0x10'
                      - series: 'bpfscope_events_lost_total{job="bpfscope", instance="10.1.0.7:9445", node="node-a", stage="kernel"}'
                        values: '0 0 0 0 0 0 0 0 30 60 60 60'
                      - series: 'bpfscope_events_lost_total{job="bpfscope", instance="10.1.0.7:9445", node="node-a", stage="client"}'
                        values: '0x11'
                      - series: 'bpfscope_bpf_program_misses_total{job="bpfscope", instance="10.1.0.7:9445", node="node-a", program="bpfscope_write"}'
                        values: '0 0 0 0 0 0 0 0 3 6 6 6'
                      - series: 'bpfscope_bpf_program_misses_total{job="bpfscope", instance="10.1.0.7:9445", node="node-a", program="bpfscope_exec"}'
                        values: '0x11'
                      - series: 'bpfscope_buffer_fill_ratio{job="bpfscope", instance="10.1.0.7:9445", node="node-a", buffer="write"}'
                        values: '0.1 0.1 0.75x10'
                      - series: 'bpfscope_write_errors_total{job="bpfscope", instance="10.1.0.7:9445", node="node-a", namespace="shop", pod="web-0", container="app", comm="nginx", errno="EPIPE"}'
                        values: '0 0 0 0 0 0 0 0 40 80 80 80'
                      - series: 'bpfscope_write_errors_total{job="bpfscope", instance="10.1.0.7:9445", node="node-a", namespace="shop", pod="web-0", container="app", comm="nginx", errno="EAGAIN"}'
                        values: '0 0 0 0 0 0 0 0 400 800 800 800'
                    alert_rule_test:
                      - eval_time: 6m
                        alertname: BpfscopeDown
                      - eval_time: 7m
                        alertname: BpfscopeDown
                        exp_alerts:
                          - exp_labels: {severity: critical, job: bpfscope, instance: "10.1.0.7:9445", node: node-a}
                            exp_annotations:
                              summary: bpfscope on node-a cannot be scraped
                              description: >-
                                Prometheus has failed to scrape 10.1.0.7:9445 for 5 minutes: the daemon is
                                down or unreachable, and exec and write activity of that node is not being recorded.
                      - eval_time: 7m
                        alertname: BpfscopeEventsLost
                      - eval_time: 10m
                        alertname: BpfscopeEventsLost
                        exp_alerts:
                          - exp_labels: {severity: warning, job: bpfscope, instance: "10.1.0.7:9445", node: node-a, stage: kernel}
                            exp_annotations:
                              summary: bpfscope on node-a lost events at stage kernel
                              description: >-
                                60 events were lost at stage kernel in 5 minutes.
                                kernel: a buffer was full (raise bpfscope.write.buffer-bytes or
                                bpfscope.exec.buffer-bytes, or give the pod more CPU); reader: records could not be
                                decoded; client: an /events client read too slowly; export: the export fell behind or
                                its file could not be written (the daemon's log says which). Counts in metrics stay exact.
                      - eval_time: 7m
                        alertname: BpfscopeProgramRunsSkipped
                      - eval_time: 10m
                        alertname: BpfscopeProgramRunsSkipped
                        exp_alerts:
                          - exp_labels: {severity: warning, job: bpfscope, instance: "10.1.0.7:9445", node: node-a, program: bpfscope_write}
                            exp_annotations:
                              summary: the kernel skipped runs of bpfscope_write on node-a
                              description: >-
                                6 runs of bpfscope_write were skipped in 5 minutes because
                                another BPF program held the CPU's recursion guard: the writes or execs of those runs are
                                missing from the counts and the stream. Look for other BPF tools on the node.
                      - eval_time: 6m
                        alertname: BpfscopeBufferFilling
                      - eval_time: 7m
                        alertname: BpfscopeBufferFilling
                        exp_alerts:
                          - exp_labels: {severity: warning, job: bpfscope, instance: "10.1.0.7:9445", node: node-a, buffer: write}
                            exp_annotations:
                              summary: bpfscope's write buffer on node-a stays over half full
                              description: The reader is falling behind the kernel; events will be lost when the buffer fills.
                      - eval_time: 7m
                        alertname: BpfscopeWritesFailing
                      - eval_time: 10m
                        alertname: BpfscopeWritesFailing
                        exp_alerts:
                          - exp_labels: {severity: warning, node: node-a, namespace: shop, pod: web-0, container: app, comm: nginx, errno: EPIPE}
                            exp_annotations:
                              summary: nginx in shop/web-0 on node-a fails writes with EPIPE
                              description: >-
                                80 write(2) calls of nginx (container app)
                                failed with EPIPE in 5 minutes. EPIPE: it writes to a pipe or socket whose reader
                                is gone; ENOSPC: the file system it writes to is full.
                """);

        assertThat(Promtool.run(dir, "test", "rules", "alerts-test.yaml")).contains("SUCCESS");
    }
}
