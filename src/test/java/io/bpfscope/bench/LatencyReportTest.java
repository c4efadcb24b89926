package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyReportTest {

    @Test
    void theFilterPassesWhenTheFirstAddAndTheP99AreWithinTheTarget() {
        String section = LatencyReport.filterSection(Samples.of(23.8, 10, 12, 14.4), "5% busy, 0% steal");
        assertThat(section).contains("| 4 | 23.80 | 14.40 | 23.80 | 23.80 |").contains("**PASS**");
    }

    @Test
    void aSlowFirstAddFailsTheFilterEvenIfTheRestAreQuick() {
        assertThat(LatencyReport.filterSection(Samples.of(140, 10, 12), "?")).contains("**FAIL**");
    }

    @Test
    void anExecRunFailsWhenAnExecDidNotArrive() {
        String section = LatencyReport.execSection(new ExecLatency.Result(3, Samples.of(27.5, 30, 52.6)),
                Duration.ofMillis(10), "?");
        assertThat(section).contains("| 3 | 3 | 30.00 | 52.60 | 52.60 |").contains("**PASS**");
        assertThat(LatencyReport.execSection(new ExecLatency.Result(4, Samples.of(27.5, 30, 52.6)),
                Duration.ofMillis(10), "?")).contains("**FAIL** (3 of 4 received)");
    }
}
