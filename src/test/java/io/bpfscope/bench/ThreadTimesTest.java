package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadTimesTest {

    @Test
    void aThreadNameHasEveryRunOfDigitsFolded() {
        assertThat(ThreadTimes.fold("ForkJoinPool-1-worker-13")).isEqualTo("ForkJoinPool-N-worker-N");
        assertThat(ThreadTimes.fold("C2 CompilerThre")).isEqualTo("CN CompilerThre");
        assertThat(ThreadTimes.fold("vert.x-eventloop-thread-0")).isEqualTo("vert.x-eventloop-thread-N");
        assertThat(ThreadTimes.fold("java")).isEqualTo("java");
    }

    @Test
    void schedstatGivesTheCpuNanosecondsAndTheRunsNotTheWait() {
        assertThat(ThreadTimes.schedstat("123456789 4242 17\n")).isEqualTo(new ThreadTimes.Usage(123456789, 17));
    }

    @Test
    void aLineThatIsNotSchedstatIsRefused() {
        assertThatThrownBy(() -> ThreadTimes.schedstat("1 2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void growthIsByNameAndANewNameGrewFromNothing() {
        ThreadTimes before = new ThreadTimes(Map.of("reader", new ThreadTimes.Usage(1_000, 10),
                "gone", new ThreadTimes.Usage(5_000, 5)));
        ThreadTimes after = new ThreadTimes(Map.of("reader", new ThreadTimes.Usage(4_000, 16),
                "ForkJoinPool-N-worker-N", new ThreadTimes.Usage(700, 3)));
        assertThat(after.since(before).byName()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "reader", new ThreadTimes.Usage(3_000, 6),
                "ForkJoinPool-N-worker-N", new ThreadTimes.Usage(700, 3)));
    }

    @Test
    void theThreadsOfALiveProcessAreRead() {
        ThreadTimes mine = ThreadTimes.of(ProcessHandle.current().pid());
        assertThat(mine.byName()).isNotEmpty();
        assertThat(mine.byName().values()).allSatisfy(usage -> assertThat(usage.cpuNs()).isNotNegative());
    }
}
