package io.bpfscope.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfscope.testing.Command;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** deploy/prometheus/bpfscope-rules.yaml: the alerts, kept once, as a PrometheusRule. */
final class AlertRules {

    static final Path FILE = Path.of("deploy", "prometheus", "bpfscope-rules.yaml").toAbsolutePath();
    /** What deploy/README.md tells users without the Prometheus Operator to run. */
    static final String EXTRACT_PLAIN = "sed '1,/^spec:$/d; s/^  //' " + FILE + " > bpfscope-alerts.yaml";

    private AlertRules() {
    }

    /** The file read through the CRD's schema. */
    static PrometheusRule read() {
        try {
            return (PrometheusRule) KubernetesSchema.read(Chart.YAML.readTree(FILE.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode spec() {
        try {
            return Chart.YAML.readTree(FILE.toFile()).path("spec");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The plain rule file, made in {@code dir} by the command deploy/README.md gives. */
    static Path plainRuleFile(Path dir) {
        Command.run(dir, List.of("/bin/sh", "-c", EXTRACT_PLAIN));
        return dir.resolve("bpfscope-alerts.yaml");
    }

    static List<String> expressions() {
        return read().getSpec().getGroups().stream()
                .map(RuleGroup::getRules)
                .flatMap(List::stream)
                .map(Rule::getExpr)
                .map(expr -> expr.getStrVal())
                .toList();
    }
}
