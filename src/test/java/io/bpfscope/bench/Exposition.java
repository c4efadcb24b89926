package io.bpfscope.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Every sample of a Prometheus text exposition (the daemon's /q/metrics),
 * the JVM's as well as bpfscope's, by series as exposed: {@code name{labels}}.
 */
record Exposition(Map<String, Double> samples) {

    Exposition {
        samples = Map.copyOf(samples);
    }

    /** The daemon's /q/metrics now. */
    static Exposition of(DaemonUnderTest daemon) {
        return parse(daemon.exposition());
    }

    static Exposition parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.lines().toList()) {
            int space = line.lastIndexOf(' ');
            if (line.isEmpty() || line.startsWith("#") || space < 0) {
                continue;
            }
            samples.put(line.substring(0, space), number(line.substring(space + 1)));
        }
        return new Exposition(samples);
    }

    /** The sample named exactly {@code series} (labels and all), 0 when there is none. */
    double value(String series) {
        return samples.getOrDefault(series, 0.0);
    }

    /** The sum of the samples of {@code name} whose labels hold {@code label} ({@code area="heap"}, say). */
    double sum(String name, String label) {
        return DaemonUnderTest.delta(Map.of(), samples, name, label);
    }

    /** How much {@code series} grew since {@code before}. */
    double growth(Exposition before, String series) {
        return value(series) - before.value(series);
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
