package io.bpfscope.bench;

import static io.bpfscope.bench.SoakReport.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The report's exec latency: every marked exec is due to every client; a
 * delivery that never came counts as infinitely late, so a client that
 * loses an exec cannot improve the p99. Of the missed ones it says how many
 * fell in a {@code lost} gap the client was told of, how many reached no
 * client, and how many were missed without a word.
 */
record LatencySection(String text, double p99Ms) {

    static LatencySection of(SoakRun run) {
        Deliveries d = run.deliveries();
        List<Long> spawned = run.execs().spawnedNs();
        int clients = run.settings().clients();
        double warm = run.goWallMs() * 1e6 + run.settings().warmUpSeconds() * 1e9;
        List<Double> all = new ArrayList<>();
        List<Double> afterWarmUp = new ArrayList<>();
        int[] perClient = new int[clients];
        long told = 0;
        long nobody = 0;
        for (int c = 0; c < clients; c++) {
            for (int i = 0; i < spawned.size(); i++) {
                Deliveries.Due due = new Deliveries.Due(c, i);
                Long ns = d.latencyNs().get(due);
                double latency = ns == null ? Double.POSITIVE_INFINITY : ns;
                all.add(latency);
                if (spawned.get(i) >= warm) {
                    afterWarmUp.add(latency);
                }
                if (ns != null) {
                    perClient[c]++;
                } else if (!d.execIds().containsKey(i)) {
                    nobody++;
                } else if (d.toldLost(due)) {
                    told++;
                }
            }
        }
        long deliveries = all.size();
        long arrived = deliveries - all.stream().filter(latency -> latency.isInfinite()).count();
        long missed = deliveries - arrived;
        StringBuilder out = new StringBuilder("## Exec latency to the clients\n\n");
        out.append(format("%,d marked execs (%d failed) x %d clients = %,d deliveries due; %,d arrived. Of the %,d missed,"
                + " %,d fell in a `lost` gap the client was told of, %,d reached no client (their id is unknown), %,d were"
                + " missed without a word. A missed delivery counts as infinitely late. Latency: when `sse_count` read the"
                + " message (CLOCK_REALTIME) minus the event's `time` (the kernel's clock at `sys_enter_execve`).\n\n",
                spawned.size(), run.execs().failures(), clients, deliveries, arrived, missed, told, nobody,
                missed - told - nobody));
        out.append("| deliveries | p50 ms | p99 ms | max ms |\n| --- | ---: | ---: | ---: |\n");
        out.append(row("all", new Samples(all)));
        out.append(row("after the " + run.settings().warmUpSeconds() + " s warm-up", new Samples(afterWarmUp)));
        out.append(format("\nPer client: %,d to %,d of the %,d marked execs.\n\n",
                Arrays.stream(perClient).min().orElse(0), Arrays.stream(perClient).max().orElse(0),
                spawned.size()));
        double p99 = all.isEmpty() ? Double.POSITIVE_INFINITY : new Samples(all).percentile(0.99) / 1e6;
        return new LatencySection(out.toString(), p99);
    }

    private static String row(String name, Samples ns) {
        if (ns.isEmpty()) {
            return "| " + name + " | - | - | - |\n";
        }
        return format("| %s (%,d) | %s | %s | %s |\n", name, ns.count(), SoakReport.milliseconds(ns.percentile(0.5) / 1e6),
                SoakReport.milliseconds(ns.percentile(0.99) / 1e6), SoakReport.milliseconds(ns.max() / 1e6));
    }
}
