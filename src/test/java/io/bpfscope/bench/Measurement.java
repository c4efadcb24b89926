package io.bpfscope.bench;

import java.util.List;
import java.util.Map;

/**
 * One kept run: its configuration and round, the figure it is judged by
 * (ns per write, say), what the configuration said, the machine's CPU over
 * the run, the foreign tracers seen around it (when no try was left without),
 * and the run's other figures by name.
 */
public record Measurement(String configuration, int round, double value, String note, String cpu, String foreign,
        Map<String, Double> figures) {

    public Measurement {
        figures = Map.copyOf(figures);
    }

    /** The same, its note saying how the tries before it failed. */
    Measurement afterFailures(List<String> failures) {
        return new Measurement(configuration, round, value, note + "; kept after failed tries: "
                + String.join("; ", failures), cpu, foreign, figures);
    }
}
