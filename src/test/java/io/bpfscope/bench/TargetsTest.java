package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The targets' verdicts on runs laid out by the test. */
class TargetsTest {

    private static final long WRITES = 1000;

    @Test
    void countingPassesWithinAQuarterOfTheFloorAndHalfOfBpftraceWhenItCountedEveryWrite() {
        List<Measurement> runs = writeRuns(1120, Map.of("counted", 1001.0));

        // floor 1100 - 1000 = 100; bpfscope 120 = 1.20 x floor, 120 / 400 = 0.30 x bpftrace.
        assertThat(Targets.write(runs, WRITES).getFirst())
                .contains("overhead 120.0 = **1.20 x floor** (100.0), **0.30 x bpftrace** (400.0)")
                .contains("counted all 1001 writes in 3 of 3 runs").endsWith("| pass |\n");
    }

    @Test
    void countingFailsWhenOneRunMissedAWriteThoughItWasCheapEnough() {
        List<Measurement> runs = new ArrayList<>(writeRuns(1120, Map.of("counted", 1001.0)));
        runs.set(runs.size() - 1, new Measurement("bpfscope", 3, 1120, "", "", "", Map.of("counted", 1000.0)));

        assertThat(Targets.write(runs, WRITES).getFirst()).contains("in 2 of 3 runs").endsWith("| **FAIL** |\n");
    }

    @Test
    void countingFailsAboveAQuarterOverTheFloor() {
        assertThat(Targets.write(writeRuns(1130, Map.of("counted", 1001.0)), WRITES).getFirst())
                .contains("**1.30 x floor**").endsWith("| **FAIL** |\n");
    }

    @Test
    void aTargetWhoseConfigurationDidNotRunIsNotJudged() {
        List<Measurement> runs = writeRuns(1120, Map.of("counted", 1001.0));

        // no bpfscope_stream, no bpfscope_other among the runs
        assertThat(Targets.write(runs, WRITES).get(1)).endsWith("| n/a (not run) |\n");
        assertThat(Targets.write(runs, WRITES).get(2)).endsWith("| n/a (not run) |\n");
    }

    @Test
    void fanOutPassesOnlyWhenEveryReaderGotEverythingAndTheStalledClientsLossIsTheCountersGrowth() {
        Map<String, Double> good = Map.of("reader_min", 1001.0, "stalled_lost_events", 40.0, "lost_client", 40.0,
                "daemon_cpu_ms", 900.0);
        Map<String, Double> miscounted = Map.of("reader_min", 1001.0, "stalled_lost_events", 40.0, "lost_client", 39.0,
                "daemon_cpu_ms", 900.0);
        List<Measurement> runs = List.of(
                new Measurement("fanout_bpfscope", 1, 1001, "", "", "", good),
                new Measurement("fanout_bpfscope", 2, 1001, "", "", "", good),
                new Measurement("fanout_https", 1, 1001, "", "", "", good),
                new Measurement("fanout_https", 2, 1001, "", "", "", miscounted));

        List<String> rows = Targets.fanout(runs, WRITES, 8);

        assertThat(rows.get(0)).startsWith("| P5 fan-out over HTTP (8 readers").endsWith("| pass |\n");
        assertThat(rows.get(1)).startsWith("| P5 fan-out over HTTPS").contains("equal to its loss in 1 of 2")
                .endsWith("| **FAIL** |\n");
    }

    @Test
    void execCostIsJudgedAgainstExecsnoopsOverNothing() {
        List<Measurement> runs = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            runs.add(new Measurement("exec_nothing", round, 1_000_000, "", "", "", Map.of()));
            runs.add(new Measurement("exec_execsnoop", round, 1_060_000, "", "", "", Map.of("seen", 20.0)));
            runs.add(new Measurement("exec_bpfscope", round, 1_050_000, "", "", "",
                    Map.of("seen", 20.0, "exec_success", 23.0)));
        }

        List<String> rows = Targets.exec(runs, 10);

        assertThat(rows.get(0)).contains("got 20 of 20 marked execs").endsWith("| pass |\n");
        assertThat(rows.get(1)).contains("**50.0 µs** added per exec against **60.0 µs** for execsnoop = 0.83 x")
                .endsWith("| pass |\n");
    }

    @Test
    void footprintIsJudgedOnTheMediansAndThePeakOnlyWhenEveryWriteWasCounted() {
        List<Footprint.Figures> runs = List.of(
                new Footprint.Figures(900, 120, 0.2, 190, true, 0, ""),
                new Footprint.Figures(1300, 121, 0.3, 200, true, 0, ""),
                new Footprint.Figures(950, 119, 0.2, 185, false, 0, ""));

        List<String> rows = Targets.footprint(runs);

        assertThat(rows.get(0)).contains("**950 ms** (900..1300)").endsWith("| pass |\n");
        assertThat(rows.get(1)).contains("**120.0 MiB**").endsWith("| pass |\n");
        assertThat(rows.get(2)).contains("**190.0 MiB**; every write counted: no").endsWith("| **FAIL** |\n");
        assertThat(rows.get(3)).contains("**0.20%** of a core").endsWith("| pass |\n");
    }

    /** Three rounds of nothing (1000 ns), empty (1100), bpftrace (1400) and bpfscope at {@code ns}. */
    private static List<Measurement> writeRuns(double ns, Map<String, Double> figures) {
        List<Measurement> runs = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            runs.add(new Measurement("nothing", round, 1000, "", "", "", Map.of()));
            runs.add(new Measurement("empty", round, 1100, "", "", "", Map.of()));
            runs.add(new Measurement("bpftrace", round, 1400, "", "", "", Map.of()));
            runs.add(new Measurement("bpfscope", round, ns, "", "", "", figures));
        }
        return runs;
    }
}
