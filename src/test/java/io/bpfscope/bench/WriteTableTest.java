package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The write table's arithmetic on runs laid out by the test. */
class WriteTableTest {

    @Test
    void overheadsAreOverNothingAndRatiosOverTheFloorsOverhead() {
        List<Configuration> configurations = List.of(new Nothing("nothing"), new Nothing("empty"),
                new Nothing("ref"));
        List<Measurement> runs = List.of(
                run("nothing", 1, 100, ""), run("nothing", 2, 110, ""), run("nothing", 3, 90, ""),
                run("empty", 1, 150, ""), run("empty", 2, 160, ""), run("empty", 3, 140, ""),
                run("ref", 1, 300, "read 7 of 7"), run("ref", 2, 280, "read 7 of 7"), run("ref", 3, 320, "read 7 of 7"));

        String table = WriteTable.render(configurations, runs);

        // median 300 - 100 = 200 over the floor's 150 - 100 = 50; minima 280 - 90.
        assertThat(table).contains("| `ref` | nothing attached | 3 | 280 | 300 | 190 | 200 | 4.00 | 50 | read 7 of 7 |");
        assertThat(table).contains("| `empty` | nothing attached | 3 | 140 | 150 | 50 | 50 | 1.00 |");
    }

    @Test
    void notesThatDifferAreGivenAsTheRangesOfTheRunsFigures() {
        List<Measurement> runs = List.of(
                new Measurement("ref", 1, 300, "read 6 of 7", "", "", Map.of("read", 6.0, "cpu_ns", 1.0)),
                new Measurement("ref", 2, 300, "read 7 of 7", "", "", Map.of("read", 7.0, "cpu_ns", 1.0)));

        assertThat(Notes.of(runs)).isEqualTo("per run: read 6..7");
    }

    @Test
    void aRunKeptDespiteAForeignTracerSaysSo() {
        List<Measurement> runs = List.of(new Measurement("ref", 2, 300, "read 7 of 7", "", "bpftrace(42) on sys_enter_write",
                Map.of()));

        assertThat(Notes.of(runs)).isEqualTo("read 7 of 7; FOREIGN TRACERS: run 2: bpftrace(42) on sys_enter_write");
    }

    private static Measurement run(String configuration, int round, double ns, String note) {
        return new Measurement(configuration, round, ns, note, "", "", Map.of("cpu_ns", 50.0));
    }
}
