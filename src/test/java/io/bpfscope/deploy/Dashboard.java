package io.bpfscope.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** deploy/grafana/bpfscope-dashboard.json and the PromQL in it. */
final class Dashboard {

    static final Path FILE = Path.of("deploy", "grafana", "bpfscope-dashboard.json");

    private Dashboard() {
    }

    static JsonNode read() {
        try {
            return new ObjectMapper().readTree(FILE.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The query of every panel target, as Grafana has it (with its variables). */
    static List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : read().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asText());
            }
        }
        return expressions;
    }

    /** What Grafana would send for {@code expression} with {@code node} picked, every namespace, and a 1m rate window. */
    static String concrete(String expression, String node) {
        return expression.replace("$__rate_interval", "1m").replace("$node", node).replace("$namespace", ".*");
    }

    /** The label_values(metric, label) query of the node variable. */
    static String nodeVariableQuery() {
        for (JsonNode variable : read().path("templating").path("list")) {
            if (variable.path("name").asText().equals("node")) {
                return variable.path("query").path("query").asText();
            }
        }
        throw new AssertionError("no node variable in " + FILE);
    }
}
