package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpfscope.sys.SystemCallException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectExecTest {

    @Test
    void aSpawnedProgramIsWaitedForWithItsStatus() {
        assertThat(DirectExec.await(DirectExec.spawn(List.of("/bin/true", "mark")))).isZero();
        assertThat(DirectExec.await(DirectExec.spawn(List.of("/bin/sh", "-c", "exit 3")))).isEqualTo(3 << 8);
    }

    @Test
    void aProgramThatCannotBeRunIsSaidAtTheSpawn() {
        assertThatThrownBy(() -> DirectExec.spawn(List.of("/nonexistent/true"))).isInstanceOf(SystemCallException.class)
                .hasMessageContaining("ENOENT");
    }

    @Test
    void onlyAnAbsolutePathIsSpawned() {
        assertThatThrownBy(() -> DirectExec.spawn(List.of("true"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pacedExecsNeverRunAheadOfTheirSchedule() throws InterruptedException {
        assertThat(new PacedExecs(50).run(Duration.ofMillis(400), "paced-test")).isBetween(1L, 21L);
    }
}
