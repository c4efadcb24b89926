package io.bpfscope.bench;

import java.util.Comparator;
import java.util.List;

/** P5's table: per run, what the fewest and most served readers got, the stalled client's losses, the CPU spent. */
final class FanoutTable {

    private FanoutTable() {
    }

    static String render(List<Measurement> runs, long expected) {
        StringBuilder table = new StringBuilder("| config | round | writer rate /s | events to the hub | per reading client, min"
                + " | max | every event to every reader | stalled client received | stalled client lost (messages)"
                + " | daemon CPU ms | sse_count CPU ms |\n| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n");
        for (Measurement run : runs.stream().sorted(Comparator.comparing(Measurement::configuration)
                .thenComparingInt(Measurement::round)).toList()) {
            table.append("| `").append(run.configuration()).append("` | ").append(run.round())
                    .append(" | ").append(figure(run, "rate"))
                    .append(" | ").append(figure(run, "streamed"))
                    .append(" | ").append(figure(run, "reader_min"))
                    .append(" | ").append(figure(run, "reader_max"))
                    .append(" | ").append(run.figures().getOrDefault("reader_min", 0.0) >= expected ? "yes" : "no")
                    .append(" | ").append(figure(run, "stalled_events"))
                    .append(" | ").append(figure(run, "stalled_lost_events")).append(" (")
                    .append(figure(run, "stalled_lost_msgs")).append(")")
                    .append(" | ").append(figure(run, "daemon_cpu_ms"))
                    .append(" | ").append(figure(run, "cpu_ms")).append(" |\n");
        }
        long all = runs.stream().filter(r -> r.figures().getOrDefault("reader_min", 0.0) >= expected).count();
        return table.append("\nEvery event to every reader in ").append(all).append(" of ").append(runs.size())
                .append(" runs.\n").toString();
    }

    private static String figure(Measurement run, String key) {
        Double value = run.figures().get(key);
        return value == null ? "-" : Samples.number(Math.round(value));
    }
}
