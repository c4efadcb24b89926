package io.bpfscope.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The performance targets bpfscope is held to (P1-P6 of bench/README.md),
 * judged on one run's measurements: each scenario gives its rows, the report
 * shows them in one table. Overheads are over nothing attached and are
 * judged on medians; a target whose configurations did not run is "n/a".
 */
final class Targets {

    static final String HEADER = "| target | figure | goal | result |\n| --- | --- | --- | --- |\n";

    private Targets() {
    }

    /** P1 counting, P2 streaming, P3 untraced, from the write scenario's runs of {@code writes} writes each. */
    static List<String> write(List<Measurement> runs, long writes) {
        long all = writes + 1;
        List<String> rows = new ArrayList<>();
        double floor = overhead(runs, WriteTable.FLOOR);
        double counting = overhead(runs, "bpfscope");
        double bpftrace = overhead(runs, "bpftrace");
        Tally counted = count(runs, "bpfscope", "counted", v -> v == all);
        rows.add(row("P1 counting (filter empty, writer not traced)", "overhead " + decimal(counting) + " = **"
                + Samples.ratio(counting, floor) + " x floor** (" + decimal(floor) + "), **" + Samples.ratio(counting, bpftrace)
                + " x bpftrace** (" + decimal(bpftrace) + "); counted all " + all + " writes in " + counted + " runs",
                "<= 1.25 x floor and <= 0.5 x bpftrace",
                verdict(has(runs, "bpfscope"), atMost(counting, floor, 1.25) && atMost(counting, bpftrace, 0.5)
                        && counted.all())));
        double streaming = overhead(runs, "bpfscope_stream");
        double ref = overhead(runs, "ref");
        Tally streamed = count(runs, "bpfscope_stream", "streamed", v -> v == all);
        Tally unlost = count(runs, "bpfscope_stream", "lost_kernel", v -> v == 0);
        Tally readerUnlost = count(runs, "bpfscope_stream", "lost_reader", v -> v == 0);
        rows.add(row("P2 streaming (writer traced, every write through the Java reader)", "overhead " + decimal(streaming)
                + " = **" + Samples.ratio(streaming, ref) + " x ref** (" + decimal(ref) + "); events_total{write} grew by "
                + all + " in " + streamed + " runs; none lost in the kernel in " + unlost + " runs, none in the reader in "
                + readerUnlost, "<= 1.25 x ref, 0 lost",
                verdict(has(runs, "bpfscope_stream"), atMost(streaming, ref, 1.25) && streamed.all() && unlost.all()
                        && readerUnlost.all())));
        double untraced = overhead(runs, "bpfscope_other");
        rows.add(row("P3 untraced (filter holds another live PID)", "overhead " + decimal(untraced) + " = **"
                + Samples.ratio(untraced, floor) + " x floor** (" + decimal(floor) + ")", "<= 1.1 x floor",
                verdict(has(runs, "bpfscope_other"), atMost(untraced, floor, 1.1))));
        return rows;
    }

    /**
     * P4 and P6 from the exec scenario: two loops of {@code execs} each, every
     * one on /events and in the counter, at no more cost than execsnoop's.
     */
    static List<String> exec(List<Measurement> runs, long execs) {
        long all = 2 * execs;
        Tally seen = count(runs, "exec_bpfscope", "seen", v -> v == all);
        Tally succeeded = count(runs, "exec_bpfscope", "exec_success", v -> v >= all);
        double bpfscope = overhead(runs, "exec_bpfscope", ExecTable.BASELINE);
        double execsnoop = overhead(runs, "exec_execsnoop", ExecTable.BASELINE);
        return List.of(row("P4 exec (2 x " + execs + " parallel execs)", "/events?type=exec client got "
                + figure(runs, "exec_bpfscope", "seen").range() + " of " + all + " marked execs per run (all in " + seen
                + " runs); bpfscope_exec_total{success} grew by at least " + all + " in " + succeeded
                + " runs; execsnoop in the same rounds printed " + figure(runs, "exec_execsnoop", "seen").range()
                + " of " + all, "all on /events and in the counter",
                verdict(has(runs, "exec_bpfscope"), seen.all() && succeeded.all())),
                row("P6 exec cost (the daemon warm, one /events client)", "**" + micros(bpfscope)
                        + " µs** added per exec against **" + micros(execsnoop) + " µs** for execsnoop = "
                        + Samples.ratio(bpfscope, execsnoop) + " x", "<= execsnoop's",
                        verdict(has(runs, "exec_bpfscope") && has(runs, "exec_execsnoop"),
                                atMost(bpfscope, execsnoop, 1))));
    }

    private static String micros(double ns) {
        return decimal(ns / 1000);
    }

    /** P5 from the fan-out scenario: every event of {@code writes} writes to every reader; only the stalled one loses. */
    static List<String> fanout(List<Measurement> runs, long writes, int readers) {
        long all = writes + 1;
        List<String> rows = new ArrayList<>();
        for (String configuration : List.of("fanout_bpfscope", "fanout_https")) {
            List<Measurement> its = runs.stream().filter(m -> m.configuration().equals(configuration)).toList();
            Tally every = count(its, configuration, "reader_min", v -> v == all);
            Tally lost = count(its, configuration, "stalled_lost_events", v -> v > 0);
            long told = its.stream().filter(m -> Objects.equals(m.figures().get("lost_client"),
                    m.figures().get("stalled_lost_events"))).count();
            rows.add(row("P5 fan-out over " + (configuration.equals("fanout_https") ? "HTTPS" : "HTTP") + " ("
                    + readers + " readers, " + writes + " paced writes)", "per reading client "
                    + figure(its, configuration, "reader_min").range() + " of " + all + " (all in " + every
                    + " runs); the stalled client lost some in " + lost + " runs, lost_total{client} equal to its loss in "
                    + told + " of " + its.size() + "; daemon CPU median " + Samples.number(cpu(runs, configuration))
                    + " ms" + (configuration.equals("fanout_https") ? " = " + Samples.ratio(cpu(runs, configuration),
                    cpu(runs, "fanout_bpfscope")) + " x over HTTP" : ""),
                    "every event to every reader; only the stalled client loses",
                    verdict(!its.isEmpty(), every.all() && lost.all() && told == its.size())));
        }
        return rows;
    }

    /** The footprint of the shipped options: listening, idle and peak RSS, idle CPU; medians of the rounds. */
    static List<String> footprint(List<Footprint.Figures> runs) {
        Samples start = new Samples(runs.stream().map(f -> (double) Math.round(f.startMs())).toList());
        Samples idle = new Samples(runs.stream().map(Footprint.Figures::idleRssMib).toList());
        Samples peak = new Samples(runs.stream().map(Footprint.Figures::peakRssMib).toList());
        Samples cpu = new Samples(runs.stream().map(Footprint.Figures::idleCpuPercent).toList());
        boolean exact = !runs.isEmpty() && runs.stream().allMatch(Footprint.Figures::exact);
        return List.of(
                row("start", "listening after **" + Samples.number(Math.round(start.median())) + " ms** ("
                        + start.range() + ")", "<= 1 s", verdict(!runs.isEmpty(), start.median() <= 1000)),
                row("idle RSS", "**" + decimal(idle.median()) + " MiB**", "<= 128 MiB",
                        verdict(!runs.isEmpty(), idle.median() <= 128)),
                row("peak RSS (4 clients follow a writer at full speed)", "**" + decimal(peak.median()) + " MiB**;"
                        + " every write counted: " + (exact ? "yes" : "no"), "<= 192 MiB, every write counted",
                        verdict(!runs.isEmpty(), peak.median() <= 192 && exact)),
                row("idle CPU", "**" + String.format(Locale.ROOT, "%.2f", cpu.median()) + "%** of a core", "<= 0.5%",
                        verdict(!runs.isEmpty(), cpu.median() <= 0.5)));
    }

    private static double cpu(List<Measurement> runs, String configuration) {
        return Math.round(figure(runs, configuration, "daemon_cpu_ms").median());
    }

    private static String row(String target, String figure, String goal, String result) {
        return "| " + target + " | " + figure + " | " + goal + " | " + result + " |\n";
    }

    private static String verdict(boolean ran, boolean met) {
        return !ran ? "n/a (not run)" : met ? "pass" : "**FAIL**";
    }

    private static boolean has(List<Measurement> runs, String configuration) {
        return runs.stream().anyMatch(m -> m.configuration().equals(configuration));
    }

    /** Median of its runs' figure minus the median of the write baseline's; NaN when either did not run. */
    static double overhead(List<Measurement> runs, String configuration) {
        return overhead(runs, configuration, WriteTable.BASELINE);
    }

    private static double overhead(List<Measurement> runs, String configuration, String baseline) {
        return values(runs, configuration).median() - values(runs, baseline).median();
    }

    private static Samples values(List<Measurement> runs, String configuration) {
        return WriteTable.values(runs.stream().filter(m -> m.configuration().equals(configuration)).toList());
    }

    private static Samples figure(List<Measurement> runs, String configuration, String key) {
        return WriteTable.figure(runs.stream().filter(m -> m.configuration().equals(configuration)).toList(), key);
    }

    /** How many of its runs' {@code key} figures pass. */
    private static Tally count(List<Measurement> runs, String configuration, String key, Predicate<Double> passes) {
        Samples values = figure(runs, configuration, key);
        return new Tally(values.values().stream().filter(passes).count(), values.count());
    }

    /** {@code passed} of {@code runs} runs. */
    private record Tally(long passed, long runs) {

        /** At least one run, and every one passed. */
        boolean all() {
            return runs > 0 && passed == runs;
        }

        @Override
        public String toString() {
            return passed + " of " + runs;
        }
    }

    private static boolean atMost(double value, double reference, double ratio) {
        return !Double.isNaN(value) && !Double.isNaN(reference) && reference > 0 && value <= ratio * reference;
    }

    private static String decimal(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }
}
