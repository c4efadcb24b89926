package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecCpuReportTest {

    private static final CpuPerExec DEAR = new CpuPerExec(10_000, 20, List.of(
            new CpuPerExec.ThreadShare("ForkJoinPool-N-worker-N", 22, 200),
            new CpuPerExec.ThreadShare("vert.x-eventloop-thread-N", 12, 100),
            new CpuPerExec.ThreadShare("VM Periodic Tas", 0.4, 50)));

    @Test
    void theSectionHasTheTotalsTheBusiestThreadsAndTheVerdict() {
        String section = ExecCpuReport.section(new ExecCpu.Result(DEAR, 10_000), 500, Duration.ofSeconds(30), "?");
        assertThat(section).contains("| 10000 | 500 | 10000 | 34.4 | 350 |")
                .contains("| `ForkJoinPool-N-worker-N` | 22.0 | 200 |")
                .doesNotContain("VM Periodic")
                .contains("**FAIL**")
                .doesNotContain("asked");
    }

    @Test
    void aCheapDaemonPassesOnlyIfEveryExecArrived() {
        CpuPerExec cheap = new CpuPerExec(10_000, 20, List.of(new CpuPerExec.ThreadShare("reader", 15, 40)));
        assertThat(ExecCpuReport.section(new ExecCpu.Result(cheap, 10_000), 500, Duration.ZERO, "?"))
                .contains("**PASS**");
        assertThat(ExecCpuReport.section(new ExecCpu.Result(cheap, 9_999), 500, Duration.ZERO, "?"))
                .contains("**FAIL** (9999 of 10000 received)");
    }

    @Test
    void anotherRateIsSaid() {
        assertThat(ExecCpuReport.section(new ExecCpu.Result(DEAR, 10_000), 400, Duration.ZERO, "?"))
                .contains("(400/s asked, not the target's 500/s)").doesNotContain("reached");
    }

    @Test
    void aPaceTheMachineDidNotKeepIsSaid() {
        CpuPerExec slow = new CpuPerExec(5_000, 20, DEAR.threads());
        assertThat(ExecCpuReport.section(new ExecCpu.Result(slow, 5_000), 500, Duration.ZERO, "?"))
                .contains("(only 250/s reached of the 500/s asked: the machine did not keep the pace)");
    }
}
