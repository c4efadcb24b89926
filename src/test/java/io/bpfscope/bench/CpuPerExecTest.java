package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuPerExecTest {

    private static final ThreadTimes GROWN = new ThreadTimes(Map.of(
            "ForkJoinPool-N-worker-N", new ThreadTimes.Usage(220_000_000, 4_000),
            "vert.x-eventloop-thread-N", new ThreadTimes.Usage(120_000_000, 2_000),
            "C2 CompilerThre", new ThreadTimes.Usage(40_000_000, 100),
            "VM Periodic Tas", new ThreadTimes.Usage(4_000_000, 1_000)));

    @Test
    void cpuIsSharedOutPerExecAndRunsPerSecond() {
        CpuPerExec cpu = CpuPerExec.of(GROWN, 10_000, 20);
        assertThat(cpu.microsPerExec()).isEqualTo(38.4);
        assertThat(cpu.runsPerSecond()).isEqualTo(355);
        assertThat(cpu.execsPerSecond()).isEqualTo(500);
    }

    @Test
    void theBusiestAreTheDearestFirstAndTheSmallLeftOutOfThemButNotOfTheTotal() {
        CpuPerExec cpu = CpuPerExec.of(GROWN, 10_000, 20);
        assertThat(cpu.busiest()).extracting(CpuPerExec.ThreadShare::name)
                .containsExactly("ForkJoinPool-N-worker-N", "vert.x-eventloop-thread-N", "C2 CompilerThre");
        assertThat(cpu.busiest().getFirst()).isEqualTo(new CpuPerExec.ThreadShare("ForkJoinPool-N-worker-N", 22, 200));
        assertThat(cpu.threads()).hasSize(4);
    }

    @Test
    void withoutExecsThereIsNothingToShareOut() {
        assertThatThrownBy(() -> CpuPerExec.of(GROWN, 0, 20)).isInstanceOf(IllegalArgumentException.class);
    }
}
